// The ESD and the spectrum laid out for people (text, SVG) and scripts (JSON and
// CSV with stable keys, documented in the README).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "netdim/analysis/report/histogram.hpp"
#include "netdim/analysis/report/line_plot.hpp"
#include "netdim/analysis/spectral/esd.hpp"

namespace netdim::analysis {

// {"samples", "points", "init", "inputs", "reduce", "columns", "dtype", "seed", "until_stderr",
//  "bootstrap_resamples"}: every choice a run made, so it can be repeated. "init" is "network"
// (each layer's own) or the initialiser that replaced it; "inputs" is "uniform", "sign",
// "normal" or "data:PATH"; "columns" is null for all of them; "until_stderr" null when unused.
nlohmann::ordered_json protocol_json(const EsdProtocol& protocol, std::size_t parameters);

// {"esd", "stderr", "ci95": [low, high], "min", "max", "samples", "sd": [...], "parameters",
//  "interrupted", "reached_stderr", "protocol"}. stderr is null below 2 samples; esd, ci95,
// min and max are null with no sample.
nlohmann::ordered_json esd_json(const EsdResult& result, const EsdProtocol& protocol);
std::string esd_text(const EsdResult& result, const EsdProtocol& protocol, const std::string& name);
// The SD distribution with the ESD marked (seed 003, figures 1 and 2).
report::Histogram esd_histogram(const EsdResult& result, const std::string& name);

// {"sample", "rows", "columns", "sd", "singular_values": [...], "protocol"}.
nlohmann::ordered_json spectrum_json(const SpanningSample& sample, std::size_t index, const EsdProtocol& protocol,
                                     std::size_t parameters);
// "index,singular_value\n" then one line per value, descending.
std::string spectrum_csv(const SpanningSample& sample);
// The singular values against their index, on a log scale.
report::LinePlot spectrum_plot(const SpanningSample& sample, const std::string& name);

}  // namespace netdim::analysis
