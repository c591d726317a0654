// What a set of spanning-dimension samples says about the ESD: its mean (the ESD
// itself, seed 003's Algorithm 1), the standard error of that mean, a 95% bootstrap
// interval, and the range. The paper reports only the mean; the rest says how far
// to trust it (and lets `netdim esd --until-stderr` know when to stop).
#pragma once

#include <cstdint>
#include <span>

namespace netdim::analysis {

struct SampleSummary {
  std::size_t count = 0;
  double mean = 0;
  double stderr_of_mean = 0;  // s / sqrt(count), s the sample standard deviation; NaN below 2 samples
  double ci95_low = 0, ci95_high = 0;  // percentile bootstrap interval of the mean; [mean, mean] for 1 sample
  double min = 0, max = 0;
};

inline constexpr std::size_t kBootstrapResamples = 2000;

// Throws std::invalid_argument for no samples or a non-finite one. The bootstrap
// draws come from a stream seeded with `seed`, so the interval is reproducible.
SampleSummary summarize_samples(std::span<const double> samples, std::uint64_t seed = 0,
                                std::size_t resamples = kBootstrapResamples);

// The standard error alone (NaN below 2 samples), for stopping rules.
double standard_error(std::span<const double> samples);

}  // namespace netdim::analysis
