// Exact ranks over Q and ranks mod p: hand-known ranks, exact against modular on
// random integer matrices, and seed 003's x^2 network (rank 4 at w=(3,9,7), b=(2,4,6),
// its Jacobian from the per-example reference).
#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "netdim/nn/model.hpp"
#include "tests/analysis/square_network.hpp"

using namespace netdim;
using namespace netdim::testing;
using namespace netdim::analysis;

namespace {

constexpr std::uint64_t kLargePrime = 2305843009213693951ULL;  // 2^61 - 1, a Mersenne prime

// A matrix from rows of "p/q" or "p" strings.
Tensor<Rational> rational_matrix(const std::vector<std::vector<std::string>>& rows) {
  const std::size_t cols = rows.empty() ? 0 : rows[0].size();
  Tensor<Rational> m = Tensor<Rational>::from_shape({rows.size(), cols});
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < cols; ++j) m(i, j) = Rational(rows[i][j]);
  return m;
}

Tensor<Rational> random_integers(std::size_t rows, std::size_t cols, int bound, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(-bound, bound);
  Tensor<Rational> m = Tensor<Rational>::from_shape({rows, cols});
  for (auto& v : m) v = Rational(d(rng));
  return m;
}

}  // namespace

TEST_CASE("exact rank of small matrices with hand-known ranks") {
  CHECK(exact_rank(rational_matrix({{"1", "2"}, {"2", "4"}})) == 1);
  CHECK(exact_rank(rational_matrix({{"1", "2"}, {"3", "4"}})) == 2);
  // Rational entries, rank-deficient: row 2 = 3 * row 1.
  CHECK(exact_rank(rational_matrix({{"1/2", "1/3", "-5/7"}, {"3/2", "1", "-15/7"}})) == 1);
  // Row 3 = row 1 / 7 + (2/3) row 2, with denominators that differ along each row.
  Tensor<Rational> m = rational_matrix({{"1", "1/2", "0", "7"}, {"3/5", "-1", "2/9", "1/3"}, {"0", "0", "0", "0"}});
  for (std::size_t j = 0; j < 4; ++j) m(2, j) = m(0, j) / Rational(7) + Rational(2, 3) * m(1, j);
  CHECK(exact_rank(m) == 2);
  m(2, 3) += Rational(1, 1000000007);  // a tiny change makes it full rank
  CHECK(exact_rank(m) == 3);
  // The 5 x 5 Hilbert matrix 1/(i+j+1) is nonsingular (and badly conditioned in floating point).
  Tensor<Rational> hilbert = Tensor<Rational>::from_shape({5, 5});
  for (std::size_t i = 0; i < 5; ++i)
    for (std::size_t j = 0; j < 5; ++j) hilbert(i, j) = Rational(1, static_cast<std::int64_t>(i + j + 1));
  CHECK(exact_rank(hilbert) == 5);
  CHECK(exact_rank(zeros_of<Rational>({3, 4})) == 0);
  CHECK(exact_rank(zeros_of<Rational>({0, 4})) == 0);
  // Entries beyond 64 bits: 2^100 and 2^100 + 1 in a rank-2 matrix, then rank 1.
  Tensor<Rational> big = Tensor<Rational>::from_shape({2, 2});
  big(0, 0) = Rational("1267650600228229401496703205376"), big(0, 1) = Rational(1);
  big(1, 0) = Rational("1267650600228229401496703205377"), big(1, 1) = Rational(1);
  CHECK(exact_rank(big) == 2);
  big(1, 0) = big(0, 0) * Rational(3), big(1, 1) = Rational(3);
  CHECK(exact_rank(big) == 1);
}

TEST_CASE("modular rank agrees with the exact rank and never exceeds it") {
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    // A (9 x r) (r x 7) product has rank r for random integer factors.
    const std::size_t r = 1 + seed;
    const Tensor<Rational> a = matmul(random_integers(9, r, 50, seed), random_integers(r, 7, 50, seed + 100));
    CHECK(exact_rank(a) == r);
    CHECK(modular_rank(a, kLargePrime) == r);
    CHECK(modular_rank(a, 1000003) == r);
    const Tensor<Rational> full = random_integers(6, 6, 1000, seed + 200);
    CHECK(exact_rank(full) == modular_rank(full, kLargePrime));
  }
  // A small prime can lose rank (the bound is one-sided): diag(2, 1) has rank 2 over Q, 1 mod 2.
  const Tensor<Rational> d = rational_matrix({{"2", "0"}, {"0", "1"}});
  CHECK(exact_rank(d) == 2);
  CHECK(modular_rank(d, 2) == 1);
  CHECK(modular_rank(d, 3) == 2);
  // Rational entries reduce through the inverse of the denominator: rows (1/2, 1/3), (3/2, 1).
  const Tensor<Rational> q = rational_matrix({{"1/2", "1/3"}, {"3/2", "1"}});
  CHECK(modular_rank(q, 7) == 1);
  CHECK(modular_rank(rational_matrix({{"1/2", "1/3"}, {"3/2", "-1"}}), 7) == 2);
}

TEST_CASE("modular rank of a Modular matrix: its residues as they are") {
  const auto as_modular = [](const Tensor<Rational>& t) {
    Tensor<Modular> r = Tensor<Modular>::from_shape(t.shape());
    for (std::size_t i = 0; i < t.size(); ++i) r.data()[i] = Modular(t.data()[i]);
    return r;
  };
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    const std::size_t r = 1 + seed;
    const Tensor<Rational> a = matmul(random_integers(9, r, 50, seed), random_integers(r, 7, 50, seed + 100));
    CHECK(modular_rank(as_modular(a)) == r);
  }
  const Tensor<Rational> q = rational_matrix({{"1/2", "1/3"}, {"3/2", "1"}});
  CHECK(modular_rank(as_modular(q)) == 1);
  CHECK(modular_rank(as_modular(rational_matrix({{"1/2", "1/3"}, {"3/2", "-1"}}))) == 2);
  // Nonzero over Q, zero mod p: p itself, and 2^61 = 1 mod p makes (2^61, 1; 1, 1) singular.
  CHECK(modular_rank(as_modular(rational_matrix({{"2305843009213693951", "0"}, {"0", "1"}}))) == 1);
  CHECK(modular_rank(as_modular(rational_matrix({{"2305843009213693952", "1"}, {"1", "1"}}))) == 1);
  CHECK(exact_rank(rational_matrix({{"2305843009213693952", "1"}, {"1", "1"}})) == 2);
  CHECK(modular_rank(zeros_of<Modular>({0, 3})) == 0);
  CHECK_THROWS_WITH_AS(modular_rank(zeros_of<Modular>({2, 2, 2})), doctest::Contains("expected a 2-D matrix"),
                       std::invalid_argument);
}

TEST_CASE("the rank functions refuse what has no rank") {
  CHECK_THROWS_WITH_AS(exact_rank(zeros_of<Rational>({2, 2, 2})), doctest::Contains("expected a 2-D matrix"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(modular_rank(zeros_of<Rational>({2, 2}), 91), doctest::Contains("91 is not a prime"),
                       std::invalid_argument);
  CHECK_THROWS_AS(modular_rank(zeros_of<Rational>({2, 2}), 1), std::invalid_argument);
  CHECK_THROWS_WITH_AS(modular_rank(rational_matrix({{"1", "2/21"}}), 7),
                       doctest::Contains("entry (0, 1) = 2/21 has a denominator divisible by 7"), std::invalid_argument);
}

TEST_CASE("seed 003's x^2 network has Jacobian rank 4 at w=(3,9,7), b=(2,4,6)") {
  nn::Model<Rational> model(square_network());
  REQUIRE(model.parameter_count() == 6);
  CHECK(model.block_named("dense1.weight").offset == 0);
  CHECK(model.block_named("dense1.bias").offset == 1);
  CHECK(model.block_named("dense3.bias").offset == 5);
  const Tensor<Rational> theta = seed003_parameters();
  // The seed's inputs read 1, 3, 5, 1, 3, 4 after its text lost the minus signs;
  // they must be distinct, so this takes x4 = -1, x5 = -3. The second set has fractions.
  const Tensor<Rational> inputs =
      rational_column({Rational(1), Rational(3), Rational(5), Rational(-1), Rational(-3), Rational(4)});
  const Tensor<Rational> fractions =
      rational_column({Rational(1, 2), Rational(-2, 3), Rational(5, 7), Rational(-1), Rational(9, 4), Rational(-11, 5)});
  for (const Tensor<Rational>* x : {&inputs, &fractions}) {
    const Tensor<Rational> j = reference_jacobian(model, theta, *x, OutputReduction::first());
    REQUIRE(j.shape()[0] == 6);
    REQUIRE(j.shape()[1] == 6);
    CHECK(exact_rank(j) == 4);
    CHECK(modular_rank(j, kLargePrime) == 4);
  }
  // Entries by hand. With u = w1 x + b1 and v = w2 u^2 + b2:
  //   dN/dw1 = 4 w2 w3 u v x, dN/db1 = 4 w2 w3 u v, dN/dw2 = 2 w3 v u^2,
  //   dN/db2 = 2 w3 v,        dN/dw3 = v^2,         dN/db3 = 1;   4 w2 w3 = 252.
  const Tensor<Rational> j = reference_jacobian(model, theta, inputs, OutputReduction::first());
  // x = 1: u = 5, v = 9 * 25 + 4 = 229.
  //   252 * 5 * 229 = 288540 (twice), 2 * 7 * 229 * 25 = 80150, 2 * 7 * 229 = 3206, 229^2 = 52441.
  const int at_one[] = {288540, 288540, 80150, 3206, 52441, 1};
  for (std::size_t c = 0; c < 6; ++c) CHECK(j(0, c) == Rational(at_one[c]));
  // x = -1: u = -1, v = 13. 252 * (-1) * 13 * (-1) = 3276, 252 * (-1) * 13 = -3276,
  //   2 * 7 * 13 * 1 = 182, 2 * 7 * 13 = 182, 13^2 = 169.
  const int at_minus_one[] = {3276, -3276, 182, 182, 169, 1};
  for (std::size_t c = 0; c < 6; ++c) CHECK(j(3, c) == Rational(at_minus_one[c]));
  // x = 4: u = 14, v = 9 * 196 + 4 = 1768. dN/db2 = 14 * 1768 = 24752, dN/dw3 = 1768^2 = 3125824.
  CHECK(j(5, 3) == Rational(24752));
  CHECK(j(5, 4) == Rational(3125824));
  // x = 1/2 (fractions, row 0): u = 7/2, v = 9 * 49/4 + 4 = 457/4.
  //   dN/dw1 = 252 * (7/2) * (457/4) * (1/2) = 201537/4, dN/db1 = 201537/2,
  //   dN/dw2 = 14 * (457/4) * (49/4) = 156751/8, dN/dw3 = (457/4)^2 = 208849/16.
  const Tensor<Rational> jf = reference_jacobian(model, theta, fractions, OutputReduction::first());
  CHECK(jf(0, 0) == Rational(201537, 4));
  CHECK(jf(0, 1) == Rational(201537, 2));
  CHECK(jf(0, 2) == Rational(156751, 8));
  CHECK(jf(0, 3) == Rational(3199, 2));
  CHECK(jf(0, 4) == Rational(208849, 16));
  CHECK(jf(0, 5) == Rational(1));
}
