// The search for the intrinsic dimension (seed 002): the smallest subspace
// dimension d whose training reaches a target accuracy (d_int90: 90% of the
// full model's). A coarse grid of d upwards until the first d that reaches it,
// then bisection between that d and the grid point below, which did not;
// several seeds per d, a d reaching the target when their mean accuracy does.
// Training is the caller's (a function of d and seed), so the search is the
// same for any network, data set, projection or optimiser, and is tested
// without training anything.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace netdim::analysis::subspace {

struct SubspaceRun {
  std::size_t d = 0;
  std::uint64_t seed = 0;
  double accuracy = 0;
  double seconds = 0;
};

struct SearchOptions {
  std::vector<std::size_t> grid;  // increasing, each >= 1
  std::size_t seeds = 1;          // runs per d, with seeds first_seed, first_seed + 1, ...
  std::uint64_t first_seed = 0;
  double target = 0;              // the accuracy a d must reach (mean over its seeds)
  // Bisection stops when the bracket (fails, reaches] is at most max(1, resolution * reaches) wide.
  double resolution = 0.05;
};

struct SearchResult {
  std::vector<SubspaceRun> runs;  // in the order they ran
  std::optional<std::size_t> d_int;  // the smallest d found to reach the target; none when no d did
  bool complete = true;              // false when stopped early: d_int is then only an upper bound
};

// The grid 10, 20, 50, 100, 200, 500, ... below D (the number of parameters), then D.
std::vector<std::size_t> default_dimension_grid(std::size_t parameters);

// `train(d, seed)` returns the test accuracy of one subspace training; `stop()`,
// asked before and after every run, ends the search early (Ctrl-C) keeping the
// finished runs; a run after which stop() is true was cut short and is dropped.
// Throws std::invalid_argument for an empty or non-increasing grid, a zero d, or no seeds.
SearchResult search_intrinsic_dimension(const std::function<double(std::size_t d, std::uint64_t seed)>& train,
                                        const SearchOptions& options,
                                        const std::function<bool()>& stop = [] { return false; });

// Every d of options.grid (no bisection), options.seeds runs each: d_int is the
// smallest whose mean accuracy reaches options.target. For explicit --dims.
SearchResult run_dimensions(const std::function<double(std::size_t d, std::uint64_t seed)>& train,
                            const SearchOptions& options, const std::function<bool()>& stop = [] { return false; });

}  // namespace netdim::analysis::subspace
