#include "netdim/analysis/sweep/width_sweep.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "netdim/analysis/parallel/for_each_index.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/autodiff/blas_threads.hpp"
#include "netdim/nn/mlp.hpp"

namespace netdim::analysis {

SweepGrid square_grid(std::size_t n) {
  SweepGrid g;
  g.activations = {nn::Activation::Relu, nn::Activation::Sigmoid, nn::Activation::Tanh};
  g.widths1.resize(n);
  std::iota(g.widths1.begin(), g.widths1.end(), std::size_t{1});
  g.widths2 = g.widths1;
  return g;
}

std::vector<SweepNetwork> sweep_networks(const SweepGrid& grid) {
  std::vector<SweepNetwork> nets;
  for (nn::Activation a : grid.activations)
    for (std::size_t i : grid.widths1)
      for (std::size_t j : grid.widths2) nets.push_back({a, i, j});
  return nets;
}

nn::Architecture sweep_architecture(const SweepNetwork& n) {
  return nn::mlp(1, {n.i, n.j}, 1, {n.activation, nn::Shortcuts::None, nn::Adapt::Identity, true});
}

SweepRow sweep_row(const SweepNetwork& network, const EsdProtocol& protocol) {
  EsdProtocol one = protocol;
  one.threads = 1;
  one.single_process = true;  // the sweep splits networks over ranks, not samples
  const EsdResult r = expected_spanning_dimension(sweep_architecture(network), one);
  SweepRow row;
  row.network = network;
  row.parameters = r.parameters;
  row.samples = r.sd.size();
  row.esd = r.summary.mean;
  row.stderr_of_mean = r.summary.stderr_of_mean;
  return row;
}

SweepResult run_sweep(const SweepGrid& grid, const EsdProtocol& protocol, std::size_t threads,
                      std::vector<std::optional<SweepRow>> finished, const SweepCallbacks& callbacks) {
  if (grid.activations.empty() || grid.widths1.empty() || grid.widths2.empty())
    throw std::invalid_argument("the sweep is empty: it needs at least one activation and one width for each layer");
  for (const auto* widths : {&grid.widths1, &grid.widths2})
    for (std::size_t w : *widths)
      if (w == 0) throw std::invalid_argument("a hidden layer width must be at least 1");
  if (threads == 0) throw std::invalid_argument("the number of threads must be at least 1");
  const std::vector<SweepNetwork> nets = sweep_networks(grid);
  // The smallest network is the first to fail a protocol (more columns than parameters, say).
  for (nn::Activation a : grid.activations)
    validate_protocol(sweep_architecture({a, *std::min_element(grid.widths1.begin(), grid.widths1.end()),
                                          *std::min_element(grid.widths2.begin(), grid.widths2.end())}),
                      protocol);
  if (finished.empty()) finished.resize(nets.size());
  if (finished.size() != nets.size())
    throw std::invalid_argument("the finished rows do not match the sweep's " + std::to_string(nets.size()) +
                                " networks");

  SweepResult result;
  result.rows = std::move(finished);
  // Under mpirun each rank takes the networks k with k % size == rank.
  const Ranks ranks = world();
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < nets.size(); ++k)
    if (!result.rows[k] && ranks.owns(k)) todo.push_back(k);
  std::vector<SweepRow> computed(todo.size());
  std::vector<char> fresh(nets.size(), 0);
  const BlasThreadsScope blas(1);
  IndexLoop loop;
  loop.task = [&](std::size_t t) { computed[t] = sweep_row(nets[todo[t]], protocol); };
  loop.finished = [&](std::size_t t) {
    result.rows[todo[t]] = computed[t];
    fresh[todo[t]] = 1;
    if (callbacks.row_done) callbacks.row_done(result.rows, todo[t]);
    return true;
  };
  loop.stop_requested = callbacks.stop_requested;
  result.interrupted = any_rank(for_each_index(todo.size(), threads, loop));
  if (ranks.size > 1) {
    // Every rank's new rows to rank 0: esd, stderr, samples per network.
    std::vector<double> values(nets.size() * 3, 0.0);
    for (std::size_t k = 0; k < nets.size(); ++k)
      if (fresh[k]) {
        values[3 * k] = result.rows[k]->esd;
        values[3 * k + 1] = result.rows[k]->stderr_of_mean;
        values[3 * k + 2] = static_cast<double>(result.rows[k]->samples);
      }
    gather_to_root(values, fresh);
    if (ranks.root())
      for (std::size_t k = 0; k < nets.size(); ++k)
        if (fresh[k] && !result.rows[k]) {
          SweepRow row;
          row.network = nets[k];
          row.parameters = sweep_architecture(nets[k]).parameter_count();
          row.esd = values[3 * k];
          row.stderr_of_mean = values[3 * k + 1];
          row.samples = static_cast<std::size_t>(values[3 * k + 2]);
          result.rows[k] = row;
        }
  }
  return result;
}

}  // namespace netdim::analysis
