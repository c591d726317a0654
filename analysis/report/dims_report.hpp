// `netdim dims`' report: "how many dimensions does this network have?" on one screen (the
// nominal count, the exact answer or why there is none, the ESD with its confidence interval,
// each with a line saying what it means), and the same as JSON for scripts.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "netdim/analysis/exact/exact_answer.hpp"
#include "netdim/analysis/spectral/esd.hpp"

namespace netdim::analysis::report {

// `name` heads the text (the file's name).
std::string dims_text(const std::string& name, const nn::Architecture& a, const ExactAnswer& exact,
                      const EsdResult& esd, const EsdProtocol& protocol);

// {"file", "nominal", "exact", "exact_reason", "esd"}: `exact` is psd_json or null, and
// `exact_reason` null when there is an exact answer.
nlohmann::ordered_json dims_json(const std::string& file, const nn::Architecture& a, const ExactAnswer& exact,
                                 const EsdResult& esd, const EsdProtocol& protocol);

}  // namespace netdim::analysis::report
