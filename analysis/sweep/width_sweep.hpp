// Seed 003, section 4.1 (figure 4): the ESD of every MLP 1-i-j-1 (one input, hidden
// layers of i and j nodes, one output) for each activation, over a grid of widths
// (i, j in [1, 40] and relu, sigmoid, tanh: the paper's 4,800 networks).
//
// Every network runs the same ESD protocol (analysis/spectral/esd.hpp) with one
// thread of its own; networks run side by side on the sweep's threads through
// for_each_index, so a row's numbers do not depend on the thread count, and a sweep
// resumed from its finished rows ends with the same rows as one run straight through.
// Under mpirun (parallel/ranks.hpp) the networks are also split over the ranks and
// gathered on rank 0, whose rows are then those of one process.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/nn/activation.hpp"

namespace netdim::analysis {

struct SweepGrid {
  std::vector<nn::Activation> activations;
  std::vector<std::size_t> widths1, widths2;  // i and j, each >= 1
};

// The grid of the paper: i, j in [1, n], relu, sigmoid and tanh.
SweepGrid square_grid(std::size_t n);

struct SweepNetwork {
  nn::Activation activation = nn::Activation::Relu;
  std::size_t i = 1, j = 1;
};

// Activation-major, then i, then j: the order of the rows in every output.
std::vector<SweepNetwork> sweep_networks(const SweepGrid& grid);

// The 1-i-j-1 MLP with biases everywhere.
nn::Architecture sweep_architecture(const SweepNetwork& network);

struct SweepRow {
  SweepNetwork network;
  std::size_t parameters = 0, samples = 0;
  double esd = 0, stderr_of_mean = 0;  // stderr NaN below 2 samples
};

// One row: the network's ESD under `protocol` (its threads ignored: one thread).
SweepRow sweep_row(const SweepNetwork& network, const EsdProtocol& protocol);

struct SweepCallbacks {
  std::function<bool()> stop_requested;
  // Calling thread, after each row; `rows` holds every finished row so far (network order, gaps as nullopt).
  std::function<void(const std::vector<std::optional<SweepRow>>& rows, std::size_t index)> row_done;
};

struct SweepResult {
  std::vector<std::optional<SweepRow>> rows;  // one slot per network of sweep_networks(grid); complete on rank 0 only
  bool interrupted = false;
};

// Throws std::invalid_argument for an empty grid, a width of 0, or a protocol the
// smallest network cannot run (validate_protocol). `finished` (from resume) must have
// one slot per network; those rows are kept, not recomputed.
SweepResult run_sweep(const SweepGrid& grid, const EsdProtocol& protocol, std::size_t threads,
                      std::vector<std::optional<SweepRow>> finished = {}, const SweepCallbacks& callbacks = {});

}  // namespace netdim::analysis
