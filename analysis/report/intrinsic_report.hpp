// The reports of an intrinsic-dimension run (analysis/experiments/intrinsic_experiment.hpp):
// the threshold in words, the table of runs, the JSON of the run, and the plot of test
// accuracy against log10 d with the threshold and d_int90.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "netdim/analysis/experiments/intrinsic_experiment.hpp"
#include "netdim/analysis/report/line_plot.hpp"

namespace netdim::analysis::report {

// What the runs are measured against, as run's text says it: "0.90 of the baseline (0.2250)"
// or "absolute test accuracy 0.6000".
std::string intrinsic_rule(const experiments::IntrinsicOptions& options, double target);

// Where the run came from, for its reports.
struct IntrinsicSetup {
  std::string network;     // the .net file
  std::string data;        // the data's description
  std::string projection;  // dense, sparse or fastfood
};

// A row per run (d, seed, accuracy, fraction of the baseline, seconds), then the baseline,
// the data, the threshold, the projection and d_int.
std::string intrinsic_table(const experiments::IntrinsicResult& result, const experiments::IntrinsicOptions& options,
                            const IntrinsicSetup& setup);

// {"network", "parameters", "data", "projection", "baseline", "threshold", "d_int90", "complete", "runs"}.
nlohmann::ordered_json intrinsic_json(const experiments::IntrinsicResult& result,
                                      const experiments::IntrinsicOptions& options, const IntrinsicSetup& setup);

// Accuracy against log10 d: every run, the mean per d, the threshold, and d_int90.
LinePlot intrinsic_plot(const experiments::IntrinsicResult& result, const experiments::IntrinsicOptions& options);

}  // namespace netdim::analysis::report
