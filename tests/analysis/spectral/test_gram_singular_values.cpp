// The Gram's singular values (the pivoted-Cholesky route at low rank, dsyevd at high
// rank) against the SVD of J, and what gram_singular_values must refuse.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::uniform;

TEST_CASE("gram singular values: those of J, at low and at full rank") {
  // J = U V with U n x r, V r x cols: rank r, then the full-rank case r = n.
  for (const auto& [n, r, cols] : std::vector<std::array<std::size_t, 3>>{{60, 8, 40}, {30, 1, 5}, {6, 6, 10}}) {
    INFO("n " << n << ", rank " << r);
    const Tensor<double> j = matmul(uniform({n, r}, -1, 1, n + r), uniform({r, cols}, -1, 1, 7 * r));
    const std::vector<double> from_svd = singular_values(j);
    const std::vector<double> got = gram_singular_values(matmul(j, j, false, true));
    REQUIRE(got.size() == n);
    for (std::size_t i = 0; i < r; ++i) CHECK(std::abs(got[i] - from_svd[i]) <= 1e-10 * from_svd[0]);
    for (std::size_t i = r; i < n; ++i) CHECK(got[i] == 0.0);
    for (std::size_t i = 1; i < n; ++i) CHECK(got[i] <= got[i - 1]);
    CHECK(effective_rank(got) == doctest::Approx(effective_rank(from_svd)).epsilon(1e-10));
  }
}

TEST_CASE("gram singular values: zero and empty matrices, and what it refuses") {
  const std::vector<double> zero = gram_singular_values(zeros_of<double>({4, 4}));
  CHECK(zero == std::vector<double>(4, 0.0));
  CHECK(effective_rank(zero) == 0.0);
  CHECK(gram_singular_values(zeros_of<double>({0, 0})).empty());
  CHECK_THROWS_WITH_AS(gram_singular_values(zeros_of<double>({2, 3})),
                       doctest::Contains("expected a square matrix"), std::invalid_argument);
  Tensor<double> nan = zeros_of<double>({2, 2});
  nan(1, 0) = std::nan("");
  CHECK_THROWS_WITH_AS(gram_singular_values(nan), doctest::Contains("non-finite"), std::invalid_argument);
  Tensor<double> asym = zeros_of<double>({2, 2});
  asym(0, 1) = 1;
  CHECK_THROWS_WITH_AS(gram_singular_values(asym), doctest::Contains("not symmetric"), std::invalid_argument);
}
