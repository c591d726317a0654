#include "netdim/analysis/subspace/intrinsic_search.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace netdim::analysis::subspace {

std::vector<std::size_t> default_dimension_grid(std::size_t parameters) {
  std::vector<std::size_t> grid;
  for (std::size_t decade = 10; decade < parameters; decade *= 10) {
    for (std::size_t step : {1, 2, 5})
      if (decade * step < parameters) grid.push_back(decade * step);
    if (decade > parameters / 10) break;  // the next decade is past D (and would not overflow)
  }
  if (parameters > 0) grid.push_back(parameters);
  return grid;
}

namespace {

class Search {
 public:
  Search(const std::function<double(std::size_t, std::uint64_t)>& train, const SearchOptions& options,
         const std::function<bool()>& stop)
      : train_(train), options_(options), stop_(stop) {}

  // Whether d reaches the target, or nothing when stopped before all its seeds ran.
  std::optional<bool> reaches(std::size_t d) {
    double sum = 0;
    for (std::size_t k = 0; k < options_.seeds; ++k) {
      if (stop_()) return std::nullopt;
      const std::uint64_t seed = options_.first_seed + k;
      const auto start = std::chrono::steady_clock::now();
      const double accuracy = train_(d, seed);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (stop_()) return std::nullopt;  // a run cut short by the stop is not a result
      result.runs.push_back({d, seed, accuracy, seconds});
      sum += accuracy;
    }
    return sum / static_cast<double>(options_.seeds) >= options_.target;
  }

  SearchResult result;

 private:
  const std::function<double(std::size_t, std::uint64_t)>& train_;
  const SearchOptions& options_;
  const std::function<bool()>& stop_;
};


void check(const SearchOptions& options) {
  if (options.grid.empty()) throw std::invalid_argument("intrinsic dimension search: the grid of d is empty");
  if (options.grid.front() == 0) throw std::invalid_argument("intrinsic dimension search: d must be at least 1");
  if (!std::is_sorted(options.grid.begin(), options.grid.end()) ||
      std::adjacent_find(options.grid.begin(), options.grid.end()) != options.grid.end())
    throw std::invalid_argument("intrinsic dimension search: the grid of d must be strictly increasing");
  if (options.seeds == 0) throw std::invalid_argument("intrinsic dimension search: at least one seed per d");
  if (!(options.resolution >= 0)) throw std::invalid_argument("intrinsic dimension search: negative resolution");
}

}  // namespace

SearchResult run_dimensions(const std::function<double(std::size_t, std::uint64_t)>& train,
                            const SearchOptions& options, const std::function<bool()>& stop) {
  check(options);
  Search search(train, options, stop);
  for (std::size_t d : options.grid) {
    const std::optional<bool> ok = search.reaches(d);
    if (!ok) {
      search.result.complete = false;
      break;
    }
    if (*ok && !search.result.d_int) search.result.d_int = d;
  }
  return std::move(search.result);
}

SearchResult search_intrinsic_dimension(const std::function<double(std::size_t, std::uint64_t)>& train,
                                        const SearchOptions& options, const std::function<bool()>& stop) {
  check(options);
  Search search(train, options, stop);
  std::size_t fails = 0;  // the largest d known not to reach the target (0: none below)
  std::optional<std::size_t> reaches;
  for (std::size_t d : options.grid) {
    const std::optional<bool> ok = search.reaches(d);
    if (!ok) {
      search.result.complete = false;
      return std::move(search.result);
    }
    if (*ok) {
      reaches = d;
      break;
    }
    fails = d;
  }
  if (!reaches) return std::move(search.result);
  // Bisection in (fails, reaches]: accuracy is taken to grow with d, as seed 002 finds.
  const auto wide = [&] {
    const double allowed = std::max(1.0, options.resolution * static_cast<double>(*reaches));
    return static_cast<double>(*reaches - fails) > allowed;
  };
  while (wide()) {
    const std::size_t mid = fails + (*reaches - fails) / 2;
    const std::optional<bool> ok = search.reaches(mid);
    if (!ok) {
      search.result.complete = false;
      break;
    }
    (*ok ? *reaches : fails) = mid;
  }
  search.result.d_int = reaches;
  return std::move(search.result);
}

}  // namespace netdim::analysis::subspace
