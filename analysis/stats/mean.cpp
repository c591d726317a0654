#include "netdim/analysis/stats/mean.hpp"

#include <limits>

namespace netdim::analysis {

double mean_of(std::span<const double> values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (double x : values) sum += x;
  return sum / static_cast<double>(values.size());
}

}  // namespace netdim::analysis
