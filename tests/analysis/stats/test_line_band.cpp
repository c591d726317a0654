// The one-sigma bootstrap band of a least-squares line: exact data give a zero-width
// band, noisy data a band that widens away from the centre, and the same seed the same band.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/stats/line_band.hpp"

using namespace netdim::analysis;

TEST_CASE("line band: exact line, zero width; noisy data, wider at the ends; deterministic") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6}, exact{3, 5, 7, 9, 11, 13};
  const LineBand b = line_with_band(x, exact, 200, 1, 11);
  CHECK(b.fit.slope == doctest::Approx(2));
  CHECK(b.fit.intercept == doctest::Approx(1));
  CHECK(b.correlation.r == doctest::Approx(1));
  REQUIRE(b.x.size() == 11);
  CHECK(b.x.front() == 1);
  CHECK(b.x.back() == 6);
  CHECK(b.resamples > 150);  // all but the resamples with a single x value
  for (std::size_t g = 0; g < b.x.size(); ++g) {
    CHECK(b.low[g] == doctest::Approx(2 * b.x[g] + 1).epsilon(1e-9));
    CHECK(b.high[g] == doctest::Approx(2 * b.x[g] + 1).epsilon(1e-9));
  }
  const std::vector<double> noisy{3.5, 4.2, 7.9, 8.1, 11.8, 12.4};
  const LineBand n = line_with_band(x, noisy, 1000, 7, 11);
  const auto width = [&](std::size_t g) { return n.high[g] - n.low[g]; };
  CHECK(width(0) > 0);
  CHECK(width(0) > width(5));   // narrowest near the centre of the x values
  CHECK(width(10) > width(5));
  const double mid = n.fit.slope * n.x[5] + n.fit.intercept;
  CHECK((n.low[5] + n.high[5]) / 2 == doctest::Approx(mid));
  const LineBand again = line_with_band(x, noisy, 1000, 7, 11);
  CHECK(again.low == n.low);
  CHECK_THROWS_AS(line_with_band(std::vector<double>{1, 2}, std::vector<double>{1, 2}), std::invalid_argument);
}
