// The three projections: each product and transpose product against P formed
// explicitly (P d and P^T g to 1e-12), dense and Fastfood also against P built
// independently from their definitions; column norms; the same seed gives the
// same projection and another seed another; bad sizes are refused with a message.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <numeric>
#include <vector>

#include "netdim/nn/subspace/dense_projection.hpp"
#include "netdim/nn/subspace/fastfood_projection.hpp"
#include "netdim/nn/subspace/projection.hpp"
#include "netdim/nn/subspace/seeded_draws.hpp"
#include "netdim/nn/subspace/sparse_projection.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn::subspace;

namespace {

using Matrix = std::vector<std::vector<double>>;  // [row][col]

// P formed column by column as P e_j.
Matrix formed(const LinearOperator<double>& p) {
  Matrix m(p.rows(), std::vector<double>(p.cols()));
  std::vector<double> e(p.cols(), 0.0), column(p.rows());
  for (std::size_t j = 0; j < p.cols(); ++j) {
    e[j] = 1;
    p.apply(e, column);
    e[j] = 0;
    for (std::size_t i = 0; i < p.rows(); ++i) m[i][j] = column[i];
  }
  return m;
}

// Worst difference of P d and P^T g from the products of the explicit matrix m.
double product_error(const LinearOperator<double>& p, const Matrix& m, std::uint64_t seed) {
  const Tensor<double> d = testing::uniform<double>({p.cols()}, -1, 1, seed);
  const Tensor<double> g = testing::uniform<double>({p.rows()}, -1, 1, seed + 1);
  std::vector<double> y(p.rows(), 7.0), x(p.cols(), 7.0);  // garbage: products must overwrite
  p.apply(std::span<const double>(d.data(), d.size()), y);
  p.apply_transpose(std::span<const double>(g.data(), g.size()), x);
  double worst = 0;
  for (std::size_t i = 0; i < p.rows(); ++i) {
    double s = 0;
    for (std::size_t j = 0; j < p.cols(); ++j) s += m[i][j] * d(j);
    worst = std::max(worst, std::abs(s - y[i]));
  }
  for (std::size_t j = 0; j < p.cols(); ++j) {
    double s = 0;
    for (std::size_t i = 0; i < p.rows(); ++i) s += m[i][j] * g(i);
    worst = std::max(worst, std::abs(s - x[j]));
  }
  return worst;
}

// The largest |a - b| of two matrices of the same shape; matrices of different shapes
// fail the calling test (naming both) and are +infinity apart, as testing::max_abs_diff.
double max_difference(const Matrix& a, const Matrix& b) {
  const auto shape = [](const Matrix& m) {
    std::string s = std::to_string(m.size()) + " rows of";
    for (const auto& row : m) s += " " + std::to_string(row.size());
    return s;
  };
  bool same = a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i) same = a[i].size() == b[i].size();
  if (!same) {
    FAIL_CHECK("max_difference: the shapes differ: " << shape(a) << " against " << shape(b));
    return std::numeric_limits<double>::infinity();
  }
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    for (std::size_t j = 0; j < a[i].size(); ++j) {
      const double d = std::abs(a[i][j] - b[i][j]);
      if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
      worst = std::max(worst, d);
    }
  return worst;
}

std::vector<double> column_norms(const Matrix& m) {
  std::vector<double> norms(m.empty() ? 0 : m[0].size(), 0.0);
  for (const auto& row : m)
    for (std::size_t j = 0; j < row.size(); ++j) norms[j] += row[j] * row[j];
  for (double& n : norms) n = std::sqrt(n);
  return norms;
}

// The dense projection from its definition: Gaussian columns drawn one after another, normalised.
Matrix dense_by_definition(std::uint64_t seed, std::size_t rows, std::size_t cols) {
  SeededDraws draws(seed);
  Matrix m(rows, std::vector<double>(cols));
  for (std::size_t j = 0; j < cols; ++j) {
    double norm2 = 0;
    for (std::size_t i = 0; i < rows; ++i) {
      m[i][j] = draws.gaussian();
      norm2 += m[i][j] * m[i][j];
    }
    for (std::size_t i = 0; i < rows; ++i) m[i][j] /= std::sqrt(norm2);
  }
  return m;
}

// Fastfood from its definition with explicit matrices: each block
// V = S H G Pi H B multiplied out, stacked, cut to D rows and d columns.
Matrix fastfood_by_definition(std::uint64_t seed, std::size_t rows, std::size_t cols) {
  const std::size_t L = std::bit_ceil(cols), blocks = (rows + L - 1) / L;
  const auto h = [](std::size_t i, std::size_t j) { return std::popcount(i & j) % 2 ? -1.0 : 1.0; };
  SeededDraws draws(seed);
  Matrix p(rows, std::vector<double>(cols));
  for (std::size_t b = 0; b < blocks; ++b) {
    std::vector<double> sign(L), g(L);
    for (double& s : sign) s = draws.sign();
    std::vector<std::size_t> pi(L);
    std::iota(pi.begin(), pi.end(), std::size_t(0));
    for (std::size_t i = L - 1; i > 0; --i) std::swap(pi[i], pi[draws.below(i + 1)]);
    double norm2 = 0;
    for (double& v : g) {
      v = draws.gaussian();
      norm2 += v * v;
    }
    const double s = std::sqrt(double(L) / double(rows)) / std::sqrt(double(L) * norm2);
    Matrix hb(L, std::vector<double>(L)), v(L, std::vector<double>(L, 0.0));
    for (std::size_t i = 0; i < L; ++i)
      for (std::size_t j = 0; j < L; ++j) hb[i][j] = h(i, j) * sign[j];
    // (G Pi H B)[k][j] = g[k] (H B)[pi[k]][j]; then V = s H (G Pi H B).
    for (std::size_t i = 0; i < L; ++i)
      for (std::size_t k = 0; k < L; ++k)
        for (std::size_t j = 0; j < L; ++j) v[i][j] += s * h(i, k) * g[k] * hb[pi[k]][j];
    for (std::size_t r = 0; r < L && b * L + r < rows; ++r)
      for (std::size_t j = 0; j < cols; ++j) p[b * L + r][j] = v[r][j];
  }
  return p;
}

}  // namespace

TEST_CASE("projections: P d and P^T g against P formed explicitly") {
  for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
    for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{37, 5}, {64, 8}, {50, 50}, {20, 33}, {1, 1},
                              {300, 13}}) {
      INFO(projection_name(kind) << " D = " << rows << " d = " << cols);
      const auto p = make_projection<double>(kind, 42, rows, cols);
      REQUIRE(p->rows() == rows);
      REQUIRE(p->cols() == cols);
      CHECK(product_error(*p, formed(*p), rows + cols) < 1e-12);
    }
  }
}

TEST_CASE("dense projection: P is its definition, with unit columns") {
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{40, 6}, {7, 12}}) {
    const DenseProjection<double> p(9, rows, cols);
    const Matrix m = formed(p);
    CHECK(max_difference(m, dense_by_definition(9, rows, cols)) < 1e-15);
    for (double n : column_norms(m)) CHECK(n == doctest::Approx(1).epsilon(1e-14));
  }
}

TEST_CASE("fastfood projection: P is its definition, blocks stacked and cut") {
  // d a power of two or not; D a multiple of the block order, or cut; d above D.
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{32, 8}, {40, 5}, {45, 8}, {10, 16}, {9, 9}, {100, 3}}) {
    INFO("D = " << rows << " d = " << cols);
    const FastfoodProjection<double> p(5, rows, cols);
    CHECK(p.block_order() == std::bit_ceil(cols));
    CHECK(p.block_count() == (rows + p.block_order() - 1) / p.block_order());
    const Matrix m = formed(p);
    CHECK(max_difference(m, fastfood_by_definition(5, rows, cols)) < 1e-12);
  }
}

TEST_CASE("fastfood projection: unit columns when L divides D, unit on average when the last block is cut") {
  for (auto [rows, cols] : {std::pair<std::size_t, std::size_t>{96, 32}, {96, 20}, {1024, 1000}, {64, 1}}) {
    INFO("D = " << rows << " d = " << cols);
    const FastfoodProjection<double> p(3, rows, cols);
    for (double n : column_norms(formed(p))) CHECK(n == doctest::Approx(1).epsilon(1e-12));
  }
  // Cut: D = 3 L + 100 with L = 256. Each squared norm is 1 in expectation.
  const FastfoodProjection<double> cut(4, 3 * 256 + 100, 256);
  const std::vector<double> norms = column_norms(formed(cut));
  double mean2 = 0;
  for (double n : norms) mean2 += n * n / double(norms.size());
  CHECK(mean2 == doctest::Approx(1).epsilon(0.03));
  CHECK(*std::min_element(norms.begin(), norms.end()) > 0.8);
  CHECK(*std::max_element(norms.begin(), norms.end()) < 1.2);
}

TEST_CASE("sparse projection: density about 1/sqrt(D), entries +-1/sqrt(k) per column, unit columns") {
  const std::size_t rows = 10000, cols = 200;
  const SparseProjection<double> p(8, rows, cols);
  const double density = double(p.nonzeros()) / double(rows * cols);
  CHECK(density == doctest::Approx(0.01).epsilon(0.05));  // 1/sqrt(10000); 20000 expected nonzeros
  const Matrix m = formed(p);
  for (const double n : column_norms(m)) CHECK(n == doctest::Approx(1).epsilon(1e-14));
  std::size_t positive = 0, negative = 0;
  for (std::size_t j = 0; j < cols; ++j) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < rows; ++i) k += m[i][j] != 0;
    for (std::size_t i = 0; i < rows; ++i)
      if (m[i][j] != 0) {
        CHECK(std::abs(m[i][j]) == doctest::Approx(1 / std::sqrt(double(k))).epsilon(1e-14));
        (m[i][j] > 0 ? positive : negative) += 1;
      }
  }
  CHECK(double(positive) / double(positive + negative) == doctest::Approx(0.5).epsilon(0.05));
  // Tiny D: no column is left empty.
  for (const double n : column_norms(formed(SparseProjection<double>(1, 2, 50)))) CHECK(n == doctest::Approx(1));
}

TEST_CASE("projections: the same seed gives the same projection, another seed another") {
  for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
    INFO(projection_name(kind));
    const Matrix a = formed(*make_projection<double>(kind, 11, 200, 17));
    const Matrix b = formed(*make_projection<double>(kind, 11, 200, 17));
    const Matrix c = formed(*make_projection<double>(kind, 12, 200, 17));
    CHECK(max_difference(a, b) == 0);
    CHECK(max_difference(a, c) > 0.01);
  }
}

TEST_CASE("projections in float agree with double") {
  for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
    INFO(projection_name(kind));
    const auto pd = make_projection<double>(kind, 2, 500, 40);
    const auto pf = make_projection<float>(kind, 2, 500, 40);
    const Tensor<double> x = testing::uniform<double>({40}, -1, 1, 1);
    const Tensor<double> y = apply_operator(*pd, x);
    const Tensor<float> yf = apply_operator(*pf, Tensor<float>(xt::cast<float>(x)));
    for (std::size_t i = 0; i < 500; ++i) CHECK(yf(i) == doctest::Approx(y(i)).epsilon(1e-4).scale(1));
  }
}

TEST_CASE("projections: bad sizes are refused with a message") {
  CHECK_THROWS_WITH_AS(DenseProjection<double>(1, 2'000'000, 1'000'000),
                       doctest::Contains("use the sparse or the fastfood projection instead"), std::invalid_argument);
  for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
    CHECK_THROWS_AS(make_projection<double>(kind, 1, 0, 3), std::invalid_argument);
    CHECK_THROWS_AS(make_projection<double>(kind, 1, 3, 0), std::invalid_argument);
  }
  CHECK(projection_from_name("fastfood") == ProjectionKind::Fastfood);
  CHECK_FALSE(projection_from_name("gaussian").has_value());
}
