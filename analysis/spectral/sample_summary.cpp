#include "netdim/analysis/spectral/sample_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/stats/mean.hpp"

namespace netdim::analysis {
namespace {

// The q-quantile of sorted values by linear interpolation (numpy's default).
double quantile(const std::vector<double>& sorted, double q) {
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

double standard_error(std::span<const double> samples) {
  const std::size_t n = samples.size();
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const double m = mean_of(samples);
  double ss = 0;
  for (double x : samples) ss += (x - m) * (x - m);
  return std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
}

SampleSummary summarize_samples(std::span<const double> samples, std::uint64_t seed, std::size_t resamples) {
  if (samples.empty()) throw std::invalid_argument("summarize_samples: no samples");
  for (double x : samples)
    if (!std::isfinite(x)) throw std::invalid_argument("summarize_samples: a sample is not finite");
  SampleSummary s;
  s.count = samples.size();
  s.mean = mean_of(samples);
  s.stderr_of_mean = standard_error(samples);
  const auto [lo, hi] = std::minmax_element(samples.begin(), samples.end());
  s.min = *lo, s.max = *hi;
  s.ci95_low = s.ci95_high = s.mean;
  if (s.count < 2 || resamples == 0) return s;
  // Percentile bootstrap: the mean of `count` draws with replacement, `resamples` times.
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> pick(0, s.count - 1);
  std::vector<double> means(resamples);
  for (double& m : means) {
    double sum = 0;
    for (std::size_t i = 0; i < s.count; ++i) sum += samples[pick(rng)];
    m = sum / static_cast<double>(s.count);
  }
  std::sort(means.begin(), means.end());
  s.ci95_low = quantile(means, 0.025);
  s.ci95_high = quantile(means, 0.975);
  return s;
}

}  // namespace netdim::analysis
