// Seed 002's intrinsic dimension of a classifier: the full model trained once for
// the baseline test accuracy, then the network trained in random subspaces
// theta0 + P d (nn/subspace) for each d of a grid or of the search
// (analysis/subspace/intrinsic_search.hpp), and d_int90, the smallest d whose test
// accuracy reaches 90% of the baseline (or an absolute accuracy). Float32
// throughout, as the paper's code and PyTorch. The report of a run is
// analysis/report/intrinsic_report.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netdim/analysis/subspace/intrinsic_search.hpp"
#include "netdim/nn/architecture.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/subspace/compressed_model.hpp"
#include "netdim/nn/subspace/projection.hpp"

namespace netdim::analysis::experiments {

struct IntrinsicOptions {
  nn::subspace::ProjectionKind projection = nn::subspace::ProjectionKind::Fastfood;
  std::vector<std::size_t> dims;       // explicit subspace dimensions; empty: the search
  std::size_t seeds = 1;               // runs per d, seeds seed, seed + 1, ...
  std::uint64_t seed = 0;              // of the baseline, and the first run's
  std::size_t epochs = 5, batch = 128;
  std::string optimizer = "adam";      // nn::make_optimizer's names
  double lr = 1e-3, momentum = 0.9;
  double threshold = 0.9;              // fraction of the baseline's test accuracy
  std::optional<double> threshold_absolute;  // an absolute test accuracy instead
  double resolution = 0.05;            // the search's bisection stops within this fraction of d
  bool keep_models = false;            // keep every run's compressed model (for the best one's file)
};

// A seed for the projection that does not share its stream with the model's
// initialisation (splitmix64 of the run's seed).
std::uint64_t projection_seed(std::uint64_t seed);

// The d to run for a network of `parameters` parameters: the explicit dims or the default
// grid, sorted, each once.
std::vector<std::size_t> dimension_grid(const IntrinsicOptions& options, std::size_t parameters);

// A dense projection stores P, D x d floats: explicit dims that do not fit are refused
// (nn::subspace::require_dense_projection_fits throws), and the search's grid stops at
// the largest d that fits. Returns whether the grid was cut. Other projections: no change.
bool fit_dense_grid(std::vector<std::size_t>& grid, const IntrinsicOptions& options, std::size_t parameters);

struct IntrinsicCallbacks {
  std::function<bool()> stop_requested;  // polled in every batch and between runs
  // After the baseline, with the accuracy a d must reach; after each subspace run.
  std::function<void(double baseline, double target)> baseline_done;
  std::function<void(std::size_t d, std::uint64_t seed, double accuracy)> run_done;
};

struct IntrinsicResult {
  std::size_t parameters = 0;
  double baseline = 0;           // the full model's test accuracy (NaN without an epoch)
  double target = 0;             // the accuracy a d must reach
  bool baseline_interrupted = false;  // stopped during the baseline: nothing else ran
  subspace::SearchResult search;
  // With keep_models: each run's model, by (d, seed): the architecture's fingerprint, the seeds, the coordinates.
  std::map<std::pair<std::size_t, std::uint64_t>, nn::subspace::CompressedModel> models;

  // The run at d_int with the highest accuracy; none without a d_int.
  const subspace::SubspaceRun* best() const;
};

// Trains the baseline, then the runs of `grid` (the search, or every d when options.dims
// is not empty).
IntrinsicResult run_intrinsic(const nn::Architecture& architecture, const data::Dataset<float>& train_set,
                              const data::Dataset<float>& test_set, const IntrinsicOptions& options,
                              const std::vector<std::size_t>& grid, const IntrinsicCallbacks& callbacks = {});

}  // namespace netdim::analysis::experiments
