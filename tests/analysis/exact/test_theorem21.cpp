// Theorem 2.1 (PSD <= l + 2 for height-1 networks): the table for small depths with
// x^2 and x^3, the depths where the PSD is known by hand, and the refusals.
#include <doctest/doctest.h>

#include <stdexcept>

#include "netdim/analysis/exact/theorem21.hpp"

using namespace netdim;
using namespace netdim::analysis;

TEST_CASE("theorem21: height-1 networks of x^2 and x^3 stay within l + 2") {
  for (std::size_t k : {2, 3}) {
    const std::vector<Theorem21Row> rows = theorem21(4, k);
    REQUIRE(rows.size() == 4);
    for (std::size_t l = 1; l <= 4; ++l) {
      const Theorem21Row& r = rows[l - 1];
      CAPTURE(k);
      CAPTURE(l);
      CHECK(r.depth == l);
      CHECK(r.parameters == 2 * (l + 1));
      CHECK(r.bound == l + 2);
      CHECK(r.holds());
    }
    // By hand: l = 1 is w2 (w1 x + b1)^K + b2 = a (x - s)^K + c, three free directions;
    // l = 2 with K = 2 is seed 003's network, PSD 4.
    CHECK(rows[0].psd == 3);
  }
  CHECK(theorem21(2, 2)[1].psd == 4);
  CHECK(height_one_network(3, 2).parameter_count() == 8);
}

TEST_CASE("theorem21 refuses what it cannot build") {
  CHECK_THROWS_WITH_AS(theorem21(2, 4), doctest::Contains("square (2) and cube (3)"), std::invalid_argument);
  CHECK_THROWS_AS(theorem21(0, 2), std::invalid_argument);
  CHECK_THROWS_WITH_AS(theorem21(6, 3), doctest::Contains("3^6 in x, above the limit of 256"), std::invalid_argument);
}
