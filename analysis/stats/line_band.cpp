#include "netdim/analysis/stats/line_band.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace netdim::analysis {

LineBand line_with_band(std::span<const double> x, std::span<const double> y, std::size_t resamples,
                        std::uint64_t seed, std::size_t grid) {
  LineBand band;
  band.correlation = pearson(x, y);  // validates: lengths, finiteness, n >= 3, not constant
  band.fit = least_squares_line(x, y);
  const std::size_t n = x.size();
  const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
  const std::size_t points = std::max<std::size_t>(grid, 2);
  for (std::size_t g = 0; g < points; ++g)
    band.x.push_back(*lo + (*hi - *lo) * static_cast<double>(g) / static_cast<double>(points - 1));
  // Running sums of the refitted values at each grid x (Welford would be overkill: 1,000 lines).
  std::vector<double> sum(points, 0.0), squares(points, 0.0);
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, n - 1);
  std::vector<double> rx(n), ry(n);
  for (std::size_t r = 0; r < resamples; ++r) {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t k = pick(rng);
      rx[i] = x[k];
      ry[i] = y[k];
    }
    if (std::all_of(rx.begin(), rx.end(), [&](double v) { return v == rx[0]; })) continue;  // no line through one x
    const LineFit f = least_squares_line(rx, ry);
    for (std::size_t g = 0; g < points; ++g) {
      const double v = f.slope * band.x[g] + f.intercept;
      sum[g] += v;
      squares[g] += v * v;
    }
    ++band.resamples;
  }
  for (std::size_t g = 0; g < points; ++g) {
    const double fitted = band.fit.slope * band.x[g] + band.fit.intercept;
    double sd = 0;
    if (band.resamples > 1) {
      const double k = static_cast<double>(band.resamples), mean = sum[g] / k;
      sd = std::sqrt(std::max(0.0, (squares[g] - k * mean * mean) / (k - 1)));
    }
    band.low.push_back(fitted - sd);
    band.high.push_back(fitted + sd);
  }
  return band;
}

}  // namespace netdim::analysis
