// The test helpers themselves: a comparison that looked at values only would let
// an empty result, a transposed one or a truncated one pass as "equal".
#include <doctest/doctest.h>

#include <cmath>

#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::max_abs_diff_quiet;

TEST_CASE("max_abs_diff compares values of equal shapes") {
  const Tensor<double> a{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
  Tensor<double> b = a;
  CHECK(max_abs_diff(a, b) == 0.0);
  b(1, 2) = 6.5;
  b(0, 0) = 0.75;
  CHECK(max_abs_diff(a, b) == 0.5);
  CHECK(max_abs_diff(Tensor<double>::from_shape(Shape{0}), Tensor<double>::from_shape(Shape{0})) == 0.0);
}

TEST_CASE("max_abs_diff_quiet: tensors of different shapes are infinitely far apart") {
  const Tensor<double> full{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  SUBCASE("an empty a against a full b") {
    CHECK(std::isinf(max_abs_diff_quiet(Tensor<double>::from_shape(Shape{0}), full)));
  }
  SUBCASE("the same size in another shape, equal values in flat order") {
    const Tensor<double> rows{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
    const Tensor<double> cols{{1.0, 2.0}, {3.0, 4.0}, {5.0, 6.0}};
    CHECK(std::isinf(max_abs_diff_quiet(rows, full)));
    CHECK(std::isinf(max_abs_diff_quiet(rows, cols)));
  }
  SUBCASE("a longer a whose first elements are b") {
    const Tensor<double> shorter{1.0, 2.0, 3.0};
    CHECK(std::isinf(max_abs_diff_quiet(full, shorter)));
    CHECK(std::isinf(max_abs_diff_quiet(shorter, full)));
  }
}

TEST_CASE("max_abs_diff_quiet: a NaN is never skipped, infinities only match themselves") {
  const Tensor<double> a{1.0, std::nan(""), 3.0};
  const Tensor<double> b{1.0, 2.0, 3.0};
  CHECK(std::isnan(max_abs_diff_quiet(a, b)));
  CHECK(std::isnan(max_abs_diff_quiet(b, a)));
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(max_abs_diff_quiet(Tensor<double>{inf, 1.0}, Tensor<double>{inf, 1.0}) == 0.0);
  CHECK(std::isinf(max_abs_diff_quiet(Tensor<double>{inf}, Tensor<double>{-inf})));
  CHECK(std::isnan(max_abs_diff_quiet(Tensor<double>{inf}, Tensor<double>{std::nan("")})));
}

// The checked form also fails the test that calls it, naming both shapes: here three
// failed assertions, one FAIL_CHECK per mismatched call, while the CHECKs around the
// calls pass (+infinity). A helper that stopped failing the test (0), or that returned a
// finite number as well (6), gives another count, and this test case fails.
TEST_CASE("max_abs_diff fails the calling test on a shape mismatch, naming both shapes" *
          doctest::expected_failures(3)) {
  const Tensor<double> full{1.0, 2.0, 3.0, 4.0, 5.0, 6.0};
  const Tensor<double> rows{{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}};
  const Tensor<double> shorter{1.0, 2.0, 3.0};
  CHECK(std::isinf(max_abs_diff(Tensor<double>::from_shape(Shape{0}), full)));  // failure 1: [0] against [6]
  CHECK(std::isinf(max_abs_diff(rows, full)));                             // failure 2: [2, 3] against [6]
  CHECK(std::isinf(max_abs_diff(full, shorter)));                          // failure 3: [6] against [3]
}
