// The d_int90 search on made-up accuracy curves (no training): it brackets the
// threshold with the grid, bisects to the resolution, averages seeds, keeps the
// finished runs when stopped, and says when no d reaches the target.
#include <doctest/doctest.h>

#include <set>
#include <stdexcept>

#include "netdim/analysis/subspace/intrinsic_search.hpp"

using namespace netdim::analysis::subspace;

namespace {

// Accuracy 0.95 from d = threshold on, 0.5 below; the seed moves it by +-0.1 around that (mean unchanged for 2 seeds).
auto step_curve(std::size_t threshold) {
  return [threshold](std::size_t d, std::uint64_t seed) {
    return (d >= threshold ? 0.95 : 0.5) + (seed % 2 ? -0.1 : 0.1);
  };
}

SearchOptions options_for(std::vector<std::size_t> grid, double resolution, std::size_t seeds = 2) {
  SearchOptions o;
  o.grid = std::move(grid);
  o.seeds = seeds;
  o.target = 0.9;
  o.resolution = resolution;
  return o;
}

}  // namespace

TEST_CASE("intrinsic search: the grid brackets the threshold and bisection finds it") {
  const SearchResult exact = search_intrinsic_dimension(step_curve(137), options_for({10, 20, 50, 100, 200, 500}, 0));
  REQUIRE(exact.d_int.has_value());
  CHECK(*exact.d_int == 137);
  CHECK(exact.complete);
  // Two seeds per d, each d once: the grid up to 200, then bisection inside (100, 200].
  std::set<std::size_t> ds;
  for (const SubspaceRun& r : exact.runs) ds.insert(r.d);
  CHECK(exact.runs.size() == 2 * ds.size());
  CHECK(ds.count(500) == 0);
  CHECK(ds.count(200) == 1);
  for (std::size_t d : ds) CHECK((d <= 200));

  // At 5% resolution: an upper bound within 5% of the threshold, with fewer runs.
  const SearchResult coarse = search_intrinsic_dimension(step_curve(137), options_for({10, 20, 50, 100, 200, 500}, 0.05));
  REQUIRE(coarse.d_int.has_value());
  CHECK(*coarse.d_int >= 137);
  CHECK(double(*coarse.d_int - 137) <= 0.05 * double(*coarse.d_int));
  CHECK(coarse.runs.size() < exact.runs.size());
}

TEST_CASE("intrinsic search: the mean over seeds decides, and the first grid point can already reach") {
  // With one seed, seed 0 alone (+0.1) lifts d below the threshold to 0.6 only: still 137.
  CHECK(*search_intrinsic_dimension(step_curve(137), options_for({10, 1000}, 0, 1)).d_int == 137);
  // A curve where seed 1 fails everywhere: the mean of two seeds never reaches 0.9.
  const auto half = [](std::size_t, std::uint64_t seed) { return seed == 0 ? 1.0 : 0.7; };
  const SearchResult none = search_intrinsic_dimension(half, options_for({10, 100, 1000}, 0));
  CHECK_FALSE(none.d_int.has_value());
  CHECK(none.complete);
  CHECK(none.runs.size() == 6);
  // Reached at the first grid point: bisection below it, down to d = 1 at most.
  CHECK(*search_intrinsic_dimension(step_curve(3), options_for({10, 100}, 0)).d_int == 3);
  CHECK(*search_intrinsic_dimension(step_curve(1), options_for({10, 100}, 0)).d_int == 1);
}

TEST_CASE("intrinsic search: stopping early keeps the finished runs") {
  std::size_t calls = 0;
  const auto counted = [&](std::size_t d, std::uint64_t seed) {
    ++calls;
    return step_curve(137)(d, seed);
  };
  const SearchResult r =
      search_intrinsic_dimension(counted, options_for({10, 20, 50, 100, 200}, 0), [&] { return calls >= 5; });
  CHECK_FALSE(r.complete);
  CHECK(r.runs.size() == 4);  // the fifth run ended with the stop requested: cut short, dropped
  CHECK_FALSE(r.d_int.has_value());  // stopped in the grid, before any d reached
  for (const SubspaceRun& run : r.runs) CHECK(run.seconds >= 0);
}

TEST_CASE("intrinsic search: bad options are refused") {
  const auto curve = step_curve(5);
  CHECK_THROWS_AS(search_intrinsic_dimension(curve, options_for({}, 0)), std::invalid_argument);
  CHECK_THROWS_AS(search_intrinsic_dimension(curve, options_for({0, 5}, 0)), std::invalid_argument);
  CHECK_THROWS_AS(search_intrinsic_dimension(curve, options_for({5, 5}, 0)), std::invalid_argument);
  CHECK_THROWS_AS(search_intrinsic_dimension(curve, options_for({50, 5}, 0)), std::invalid_argument);
  CHECK_THROWS_AS(search_intrinsic_dimension(curve, options_for({5}, 0, 0)), std::invalid_argument);
}

TEST_CASE("intrinsic search: the default grid") {
  CHECK(default_dimension_grid(199210) == std::vector<std::size_t>{10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
                                                                    20000, 50000, 100000, 199210});
  CHECK(default_dimension_grid(100) == std::vector<std::size_t>{10, 20, 50, 100});
  CHECK(default_dimension_grid(7) == std::vector<std::size_t>{7});
  CHECK(default_dimension_grid(1) == std::vector<std::size_t>{1});
}

TEST_CASE("intrinsic search: explicit dimensions all run, d_int the smallest that reaches") {
  const SearchResult r = run_dimensions(step_curve(137), options_for({50, 137, 500}, 0.05));
  CHECK(r.runs.size() == 6);
  REQUIRE(r.d_int.has_value());
  CHECK(*r.d_int == 137);
  CHECK(r.complete);
  CHECK_FALSE(run_dimensions(step_curve(137), options_for({50, 100}, 0)).d_int.has_value());
  std::size_t calls = 0;
  const SearchResult cut = run_dimensions(
      [&](std::size_t d, std::uint64_t seed) {
        ++calls;
        return step_curve(137)(d, seed);
      },
      options_for({50, 137, 500}, 0), [&] { return calls >= 3; });
  CHECK_FALSE(cut.complete);
  CHECK(cut.runs.size() == 2);
  CHECK_THROWS_AS(run_dimensions(step_curve(1), options_for({}, 0)), std::invalid_argument);
}
