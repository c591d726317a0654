#include "netdim/analysis/stats/correlation.hpp"

#include <boost/math/special_functions/beta.hpp>

#include <cmath>
#include <stdexcept>
#include <string>

namespace netdim::analysis {
namespace {

struct Moments {
  double mean_x = 0, mean_y = 0, sxx = 0, syy = 0, sxy = 0;
};

Moments moments(std::span<const double> x, std::span<const double> y, std::size_t minimum) {
  if (x.size() != y.size())
    throw std::invalid_argument("correlation: " + std::to_string(x.size()) + " x values against " +
                                std::to_string(y.size()) + " y values");
  if (x.size() < minimum)
    throw std::invalid_argument("correlation: needs at least " + std::to_string(minimum) + " pairs, got " +
                                std::to_string(x.size()));
  Moments m;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x[i]) || !std::isfinite(y[i])) throw std::invalid_argument("correlation: a value is not finite");
    m.mean_x += x[i], m.mean_y += y[i];
  }
  const auto n = static_cast<double>(x.size());
  m.mean_x /= n, m.mean_y /= n;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double dx = x[i] - m.mean_x, dy = y[i] - m.mean_y;
    m.sxx += dx * dx, m.syy += dy * dy, m.sxy += dx * dy;
  }
  return m;
}

}  // namespace

Correlation pearson(std::span<const double> x, std::span<const double> y) {
  const Moments m = moments(x, y, 3);
  if (m.sxx == 0 || m.syy == 0) throw std::invalid_argument("correlation: x or y is constant; r is undefined");
  Correlation c;
  c.n = x.size();
  c.r = std::clamp(m.sxy / std::sqrt(m.sxx * m.syy), -1.0, 1.0);
  const double df = static_cast<double>(c.n - 2);
  const double one_minus_r2 = (1 - c.r) * (1 + c.r);
  if (one_minus_r2 <= 0) {
    c.p = 0;  // a perfect line
  } else {
    // P(|T| >= |t|) for Student's t with df degrees of freedom = I_{df / (df + t^2)}(df / 2, 1 / 2),
    // and df / (df + t^2) = 1 - r^2 exactly.
    c.p = boost::math::ibeta(df / 2, 0.5, one_minus_r2);
  }
  return c;
}

LineFit least_squares_line(std::span<const double> x, std::span<const double> y) {
  const Moments m = moments(x, y, 2);
  if (m.sxx == 0) throw std::invalid_argument("least squares line: x is constant");
  LineFit f;
  f.slope = m.sxy / m.sxx;
  f.intercept = m.mean_y - f.slope * m.mean_x;
  return f;
}

}  // namespace netdim::analysis
