// Effective rank against its definition on known spectra, and the two ways to
// the singular values (SVD of J, eigenvalues of J J^T) against each other and
// against a matrix built from known singular values.
#include <doctest/doctest.h>
#include <lapacke.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::uniform;

namespace {

// The Householder reflection I - 2 v v^T / (v^T v): orthogonal by construction.
Tensor<double> householder(const Tensor<double>& v) {
  const std::size_t n = v.size();
  double vv = 0;
  for (double x : v) vv += x * x;
  Tensor<double> h = zeros_of<double>({n, n});
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < n; ++j) h(i, j) = (i == j ? 1.0 : 0.0) - 2 * v(i) * v(j) / vv;
  return h;
}

double erank(const std::vector<double>& s) { return effective_rank(s); }

}  // namespace

TEST_CASE("effective rank on known spectra") {
  SUBCASE("k equal singular values (the identity of size k) give k") {
    for (std::size_t k : {1u, 2u, 5u, 17u}) CHECK(erank(std::vector<double>(k, 1.0)) == doctest::Approx(double(k)).epsilon(1e-14));
    CHECK(erank(std::vector<double>(4, 2.5)) == doctest::Approx(4).epsilon(1e-14));
  }
  SUBCASE("one nonzero value gives 1, whatever the zeros around it") {
    CHECK(erank({7.0}) == 1.0);
    CHECK(erank({0.0, 3.0, 0.0, 0.0}) == 1.0);
  }
  SUBCASE("two equal values and zeros give 2 (0 ln 0 = 0)") {
    CHECK(erank({5.0, 5.0, 0.0, 0.0, 0.0}) == doctest::Approx(2).epsilon(1e-14));
  }
  SUBCASE("mixed spectra computed by hand") {
    // (3, 1): p = (3/4, 1/4), erank = (3/4)^(-3/4) (1/4)^(-1/4) = 4 / 3^(3/4) = 1.75476...
    CHECK(erank({3.0, 1.0}) == doctest::Approx(4 / std::pow(3.0, 0.75)).epsilon(1e-14));
    CHECK(erank({3.0, 1.0}) == doctest::Approx(1.754765).epsilon(1e-6));
    // (2, 1, 1): p = (1/2, 1/4, 1/4), entropy = (1/2) ln 2 + (1/2) ln 4 = (3/2) ln 2, erank = 2^(3/2).
    CHECK(erank({1.0, 2.0, 1.0}) == doctest::Approx(std::sqrt(8.0)).epsilon(1e-14));
  }
  SUBCASE("scale invariance and the bounds 1 <= erank <= rank") {
    const std::vector<double> s{4.0, 0.5, 0.25, 1e-3, 0.0};
    std::vector<double> scaled;
    for (double v : s) scaled.push_back(1e6 * v);
    CHECK(erank(scaled) == doctest::Approx(erank(s)).epsilon(1e-13));
    CHECK(erank(s) > 1);
    CHECK(erank(s) < 4);
  }
  SUBCASE("an empty or all-zero spectrum has effective rank 0") {
    CHECK(erank({}) == 0);
    CHECK(erank({0.0, 0.0}) == 0);
  }
  SUBCASE("negative or non-finite values are refused") {
    CHECK_THROWS_WITH_AS(erank({1.0, -0.5}), doctest::Contains("finite and non-negative"), std::invalid_argument);
    CHECK_THROWS_AS(erank({1.0, std::nan("")}), std::invalid_argument);
    CHECK_THROWS_AS(erank({INFINITY}), std::invalid_argument);
  }
}

TEST_CASE("singular values of a matrix built from known ones: U diag(s) V^T") {
  // U (5 x 5) and V (3 x 3) orthogonal; s = (4, 2, 0.5), so J is 5 x 3.
  const Tensor<double> u = householder(Tensor<double>({1.0, -2.0, 0.5, 3.0, 1.5}));
  const Tensor<double> v = householder(Tensor<double>({2.0, 1.0, -1.0}));
  Tensor<double> sigma = zeros_of<double>({5, 3});
  sigma(0, 0) = 0.5, sigma(1, 1) = 4, sigma(2, 2) = 2;  // out of order on purpose
  const Tensor<double> j = matmul(matmul(u, sigma), v, false, true);
  const std::vector<double> expected{4, 2, 0.5};
  for (const auto& s : {singular_values(j), singular_values(Tensor<double>(xt::transpose(j)))}) {
    REQUIRE(s.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) CHECK(s[i] == doctest::Approx(expected[i]).epsilon(1e-13));
  }
  // The Gram of the 5 x 3 J has the three values and two zeros.
  const std::vector<double> g = gram_singular_values(matmul(j, j, false, true));
  REQUIRE(g.size() == 5);
  for (std::size_t i = 0; i < 3; ++i) CHECK(g[i] == doctest::Approx(expected[i]).epsilon(1e-12));
  CHECK(g[3] == 0);
  CHECK(g[4] == 0);
  CHECK(effective_rank(g) == doctest::Approx(effective_rank(expected)).epsilon(1e-12));
}

TEST_CASE("the SVD of J and the eigenvalues of J J^T give the same singular values") {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    const Tensor<double> j = uniform({6, 10}, -1, 1, seed);
    const std::vector<double> a = singular_values(j);
    const std::vector<double> b = gram_singular_values(matmul(j, j, false, true));
    REQUIRE(a.size() == 6);
    REQUIRE(b.size() == 6);
    for (std::size_t i = 0; i < 6; ++i) CHECK(std::abs(a[i] - b[i]) < 1e-10);
    for (std::size_t i = 1; i < 6; ++i) CHECK(a[i] <= a[i - 1]);
    CHECK(std::abs(effective_rank(a) - effective_rank(b)) < 1e-10);
  }
}

TEST_CASE("Gram singular values read the upper triangle, as LAPACK's row-major dsyevd on 'U' does") {
  // gram_singular_values hands LAPACK the row-major array as column-major (the same
  // symmetric matrix) instead of letting LAPACKE transpose a copy. The lower triangle
  // is off by 8e-13 (relative; the symmetry check allows 1e-12), which moves the
  // largest singular values by a few 1e-13 relative: that must show against the
  // tolerance, and the code paths' rounding (about 2e-14 with one thread) must not.
  for (std::size_t n : {1u, 7u, 64u, 150u}) {
    INFO("n = " << n);
    const Tensor<double> j = uniform({n, n + 3}, -1, 1, 40 + n);
    Tensor<double> g = matmul(j, j, false, true);
    for (std::size_t r = 0; r < n; ++r)
      for (std::size_t c = 0; c < r; ++c) g(r, c) = g(c, r) * (1 + 8e-13);
    // Reference singular values of the upper (and, to show the test can tell, the lower) triangle.
    const auto reference = [&](char triangle) {
      Tensor<double> a = g;
      std::vector<double> eig(n);
      const auto order = static_cast<lapack_int>(n);
      REQUIRE(LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 'N', triangle, order, a.data(), order, eig.data()) == 0);
      const double floor = double(n) * std::numeric_limits<double>::epsilon() * std::max(eig[n - 1], 0.0);
      std::vector<double> s(n);
      for (std::size_t i = 0; i < n; ++i) s[i] = eig[n - 1 - i] > floor ? std::sqrt(eig[n - 1 - i]) : 0.0;
      return s;
    };
    const std::vector<double> upper = reference('U'), lower = reference('L');
    const std::vector<double> s = gram_singular_values(g);
    REQUIRE(s.size() == n);
    const double tolerance = 1e-13 * upper[0];
    double off_upper = 0, lower_from_upper = 0;
    for (std::size_t i = 0; i < n; ++i) {
      off_upper = std::max(off_upper, std::abs(s[i] - upper[i]));
      lower_from_upper = std::max(lower_from_upper, std::abs(lower[i] - upper[i]));
    }
    CHECK(off_upper <= tolerance);
    if (n >= 64) CHECK(lower_from_upper > 2 * tolerance);  // reading the lower triangle would fail the check above
  }
}

TEST_CASE("the spectral functions refuse what they cannot take") {
  CHECK_THROWS_WITH_AS(singular_values(zeros_of<double>({2, 2, 2})), doctest::Contains("expected a 2-D matrix"),
                       std::invalid_argument);
  Tensor<double> nan = zeros_of<double>({2, 2});
  nan(1, 0) = std::nan("");
  CHECK_THROWS_WITH_AS(singular_values(nan), doctest::Contains("non-finite"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(gram_singular_values(zeros_of<double>({2, 3})), doctest::Contains("expected a square matrix"),
                       std::invalid_argument);
  Tensor<double> asym = zeros_of<double>({2, 2});
  asym(0, 1) = 1;
  CHECK_THROWS_WITH_AS(gram_singular_values(asym), doctest::Contains("not symmetric"), std::invalid_argument);
  CHECK(singular_values(zeros_of<double>({0, 3})).empty());
  CHECK(gram_singular_values(zeros_of<double>({0, 0})).empty());
}

TEST_CASE("gram singular values: the low-rank route (pivoted Cholesky) and the dense route agree with the SVD") {
  // J = U diag(s) V^T with chosen singular values: rank 3 of 40 rows (Cholesky route,
  // r <= n/3) and rank 30 of 40 (dense eigenvalue route).
  for (std::size_t rank : {3, 30}) {
    const std::size_t n = 40, m = 60;
    Tensor<double> j = zeros_of<double>({n, m});
    const Tensor<double> u = uniform({n, rank}, -1, 1, 7 + rank), v = uniform({rank, m}, -1, 1, 9 + rank);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < rank; ++k)
        for (std::size_t c = 0; c < m; ++c) j(i, c) += u(i, k) * std::pow(0.7, static_cast<double>(k)) * v(k, c);
    const std::vector<double> svd = singular_values(j);
    const Tensor<double> g = matmul(j, j, false, true);
    Tensor<double> sym = g;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < a; ++b) sym(a, b) = sym(b, a);
    const std::vector<double> from_gram = gram_singular_values(sym);
    REQUIRE(from_gram.size() == n);
    for (std::size_t k = 0; k < n; ++k) {
      CAPTURE(k);
      if (k < rank)
        CHECK(from_gram[k] == doctest::Approx(svd[k]).epsilon(1e-6));  // s_29 = 3e-5 s_0: squared, 1e-9 of lambda_max
      else
        CHECK(from_gram[k] == 0.0);  // below the cut-off
    }
    CHECK(effective_rank(from_gram) == doctest::Approx(effective_rank(svd)).epsilon(1e-9));
  }
}
