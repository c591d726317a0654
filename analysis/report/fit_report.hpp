// fitexp's reports (seed 003's section 4, figure 3): the rows as CSV and JSON, the scatter of
// training error against the ESD or the parameter count with its least-squares line, and the
// one-line correlation summaries.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "netdim/analysis/experiments/fit_experiment.hpp"
#include "netdim/analysis/report/line_plot.hpp"

namespace netdim::analysis::report {

// network,layers,parameters,esd,esd_stderr,train_error; one line per finished network.
std::string fit_rows_csv(const FitResult& r);
// {"r", "p", "n"}, or null when there is no correlation.
nlohmann::ordered_json correlation_json(const std::optional<Correlation>& c);
// {"experiment", "error_vs_esd", "error_vs_parameters", "interrupted", "rows"}.
nlohmann::ordered_json fit_json(const FitOptions& o, const EsdProtocol& p, const FitResult& r);
// Training error against the ESD (esd) or the parameter count, with the least-squares line.
LinePlot fit_scatter(const FitResult& r, bool esd, const std::optional<Correlation>& c);
// "WHAT: r = R, p = P (n = N)", or why there is no correlation; ends in a newline.
std::string correlation_line(const char* what, const std::optional<Correlation>& c);

}  // namespace netdim::analysis::report
