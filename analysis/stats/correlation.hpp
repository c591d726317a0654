// Pearson's correlation with its two-sided p-value, and the least-squares line: how
// `netdim fitexp` relates training error to the ESD and to the parameter count
// (seed 003, figure 3). The p-value is the t test with n - 2 degrees of freedom,
// computed through Boost.Math's regularised incomplete beta function, which keeps
// its relative accuracy far into the tail (the paper reports p = 1.2e-70).
#pragma once

#include <cstddef>
#include <span>

namespace netdim::analysis {

struct Correlation {
  std::size_t n = 0;
  double r = 0;  // Pearson's r
  double p = 1;  // two-sided, H0: no correlation; t = r sqrt((n - 2) / (1 - r^2))
};

// Throws std::invalid_argument for fewer than 3 pairs, lengths that differ, a
// non-finite value, or a constant x or y (r undefined).
Correlation pearson(std::span<const double> x, std::span<const double> y);

struct LineFit {
  double slope = 0, intercept = 0;  // y = slope x + intercept, by least squares
};
LineFit least_squares_line(std::span<const double> x, std::span<const double> y);

}  // namespace netdim::analysis
