// A least-squares line with its one-sigma bootstrap band (seed 003, figures 9 to 13):
// resample the (x, y) pairs with replacement, refit, and at each x of a grid take the
// standard deviation of the refitted lines' values; the band is the fit +- that.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "netdim/analysis/stats/correlation.hpp"

namespace netdim::analysis {

struct LineBand {
  LineFit fit;
  Correlation correlation;
  std::vector<double> x, low, high;  // the band on a grid over [min x, max x]
  std::size_t resamples = 0;         // resamples used (those with two distinct x values)
};

// Throws std::invalid_argument (as pearson) for fewer than 3 pairs or a constant column.
// Deterministic in `seed`.
LineBand line_with_band(std::span<const double> x, std::span<const double> y, std::size_t resamples = 1000,
                        std::uint64_t seed = 0, std::size_t grid = 50);

}  // namespace netdim::analysis
