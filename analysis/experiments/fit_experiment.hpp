// Seed 003, section 4 (figure 3): does the ESD say how well an MLP can fit data?
// R random MLPs (1 to 6 hidden layers of 2 to 30 nodes, each layer's activation
// tanh, relu or sigmoid; one input, one output) each get their ESD and their best
// training error over several restarts of SGD fitting 8 random points
// (|x_i - x_j| > 1e-4, as in the paper); then the correlation of training error
// with the ESD and with the parameter count.
//
// Every draw is seeded: network k from (seed, k), restart s of network k from
// (seed, k, s); networks run side by side (for_each_index), so the rows do not
// depend on the thread count. Under mpirun they are split over the ranks too and
// gathered on rank 0 (parallel/ranks.hpp), whose result is then one process's.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/analysis/stats/correlation.hpp"
#include "netdim/nn/activation.hpp"

namespace netdim::analysis {

struct RandomMlp {
  std::vector<std::size_t> widths;
  std::vector<nn::Activation> activations;  // one per hidden layer
  std::string describe() const;             // "12 tanh, 5 relu"
};

struct FitOptions {
  std::size_t networks = 200;                        // R
  std::size_t min_layers = 1, max_layers = 6;
  std::size_t min_width = 2, max_width = 30;
  std::vector<nn::Activation> activations = {nn::Activation::Tanh, nn::Activation::Relu, nn::Activation::Sigmoid};
  std::size_t points = 8;                             // the data to fit: x, y uniform on [-1, 1]
  std::size_t restarts = 10;                          // SGD runs per network, from fresh initialisations
  std::size_t steps = 2000;                           // full-batch SGD steps per run
  double lr = 0.01, momentum = 0.9;
  std::uint64_t seed = 0;
  EsdProtocol protocol;                               // the ESD of each network (its threads ignored)
};

// Throws std::invalid_argument with a one-line cause for options no experiment can run.
void validate_fit_options(const FitOptions& options);

RandomMlp random_mlp(const FitOptions& options, std::size_t index);
nn::Architecture fit_architecture(const RandomMlp& mlp);

// At most this many points are drawn 1e-4 apart in [-1, 1] (fit_points throws above it): one by
// one, rejection sampling jams near 14,950 points and would redraw forever.
inline constexpr std::size_t kMaxFitPoints = 10000;

// The points every network fits: [points, 1] inputs and targets.
struct FitData {
  Tensor<double> x, y;
};
FitData fit_points(const FitOptions& options);

// The lowest final mean squared error over the restarts (a restart that diverges
// counts as +inf; all of them diverging gives +inf). NaN when stop_requested (polled every 16
// steps) said stop before the end.
double best_training_error(const nn::Architecture& architecture, const FitData& data, const FitOptions& options,
                           std::size_t index, const std::function<bool()>& stop_requested = {});

struct FitRow {
  std::size_t index = 0;
  RandomMlp mlp;
  std::size_t parameters = 0;
  double esd = 0, esd_stderr = 0, train_error = 0;
};

struct FitCallbacks {
  std::function<bool()> stop_requested;
  std::function<void(std::size_t done)> row_done;  // calling thread
};

struct FitResult {
  std::vector<std::optional<FitRow>> rows;  // one per network; nullopt when stopped before it
  bool interrupted = false;
  std::optional<Correlation> error_vs_esd, error_vs_parameters;  // over the finished rows with a finite error
};

FitResult run_fit_experiment(const FitOptions& options, std::size_t threads, const FitCallbacks& callbacks = {});

}  // namespace netdim::analysis
