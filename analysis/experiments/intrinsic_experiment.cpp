#include "netdim/analysis/experiments/intrinsic_experiment.hpp"

#include <algorithm>
#include <cmath>

#include "netdim/nn/model.hpp"
#include "netdim/nn/subspace/dense_projection.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"
#include "netdim/nn/train/optimizer.hpp"
#include "netdim/nn/train/trainer.hpp"

namespace netdim::analysis::experiments {

std::uint64_t projection_seed(std::uint64_t seed) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::vector<std::size_t> dimension_grid(const IntrinsicOptions& options, std::size_t parameters) {
  std::vector<std::size_t> grid = options.dims.empty() ? subspace::default_dimension_grid(parameters) : options.dims;
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  return grid;
}

bool fit_dense_grid(std::vector<std::size_t>& grid, const IntrinsicOptions& options, std::size_t parameters) {
  if (options.projection != nn::subspace::ProjectionKind::Dense || grid.empty()) return false;
  if (!options.dims.empty() || !nn::subspace::dense_projection_fits(parameters, grid.front(), sizeof(float)))
    nn::subspace::require_dense_projection_fits(parameters, grid.back(), sizeof(float));
  const std::size_t before = grid.size();
  std::erase_if(grid, [&](std::size_t d) { return !nn::subspace::dense_projection_fits(parameters, d, sizeof(float)); });
  return grid.size() < before;
}

const subspace::SubspaceRun* IntrinsicResult::best() const {
  const subspace::SubspaceRun* best = nullptr;
  for (const auto& r : search.runs)
    if (search.d_int && r.d == *search.d_int && (!best || r.accuracy > best->accuracy)) best = &r;
  return best;
}

IntrinsicResult run_intrinsic(const nn::Architecture& architecture, const data::Dataset<float>& train_set,
                              const data::Dataset<float>& test_set, const IntrinsicOptions& options,
                              const std::vector<std::size_t>& grid, const IntrinsicCallbacks& callbacks) {
  const auto stop = [&] { return callbacks.stop_requested && callbacks.stop_requested(); };
  IntrinsicResult result;
  result.parameters = architecture.parameter_count();
  nn::TrainOptions train_options;
  train_options.epochs = options.epochs;
  train_options.batch_size = options.batch;
  train_options.progress = -1;
  train_options.stop_requested = callbacks.stop_requested;
  const auto trained_accuracy = [](const nn::TrainResult& r) {
    return r.epochs.empty() ? std::nan("") : r.epochs.back().test.accuracy;
  };

  // The baseline: the full model, every parameter trained.
  nn::Model<float> full(architecture, options.seed);
  train_options.shuffle_seed = options.seed;
  auto optimizer = nn::make_optimizer<float>(options.optimizer, options.lr, options.momentum);
  result.baseline = trained_accuracy(nn::train(full, *optimizer, train_set, &test_set, train_options));
  if (stop()) {
    result.baseline_interrupted = true;
    result.search.complete = false;
    return result;
  }
  const bool absolute = options.threshold_absolute.has_value();
  result.target = absolute ? *options.threshold_absolute : options.threshold * result.baseline;
  if (callbacks.baseline_done) callbacks.baseline_done(result.baseline, result.target);

  const std::size_t parameters = result.parameters;
  const auto run = [&](std::size_t d, std::uint64_t seed) {
    nn::Model<float> model(architecture, seed);
    nn::subspace::Subspace<float> sub(
        model.parameters(), nn::subspace::make_projection<float>(options.projection, projection_seed(seed), parameters, d));
    auto opt = nn::make_optimizer<float>(options.optimizer, options.lr, options.momentum);
    nn::TrainOptions run_options = train_options;
    run_options.shuffle_seed = seed;
    const double accuracy = trained_accuracy(nn::train(model, sub.trainable(), *opt, train_set, &test_set, run_options));
    if (options.keep_models) {
      nn::subspace::CompressedModel& m = result.models[{d, seed}];
      m = nn::subspace::compressed_model_of(architecture);  // the fingerprint, D and the initialisers of theta0
      m.projection = options.projection;
      m.init_seed = seed;
      m.projection_seed = projection_seed(seed);
      m.coordinates.assign(sub.coordinates().begin(), sub.coordinates().end());
    }
    if (callbacks.run_done) callbacks.run_done(d, seed, accuracy);
    return accuracy;
  };
  subspace::SearchOptions search;
  search.grid = grid;
  search.seeds = options.seeds;
  search.first_seed = options.seed;
  search.target = result.target;
  search.resolution = options.resolution;
  result.search = options.dims.empty() ? subspace::search_intrinsic_dimension(run, search, stop)
                                       : subspace::run_dimensions(run, search, stop);
  return result;
}

}  // namespace netdim::analysis::experiments
