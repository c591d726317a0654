// The Z/p scalar (p = 2^61 - 1): arithmetic against hand values and against Rational
// reduced mod p, the inverse, negative numbers, the edges at p - 1, the refusals,
// and a polynomial on the tape.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <stdexcept>

#include "netdim/autodiff/autodiff.hpp"

using namespace netdim;

namespace {

constexpr std::uint64_t kP = Modular::kPrime;

// r mod p computed with GMP, independently of Modular's own reduction.
std::uint64_t reduced(const Rational& r) {
  mpz_t p, inv, num;
  mpz_init_set_ui(p, kP);
  mpz_init(inv);
  mpz_init(num);
  REQUIRE(mpz_invert(inv, mpq_denref(r.get_mpq()), p) != 0);
  mpz_mul(num, mpq_numref(r.get_mpq()), inv);
  mpz_fdiv_r(num, num, p);
  const std::uint64_t v = mpz_get_ui(num);
  mpz_clear(p);
  mpz_clear(inv);
  mpz_clear(num);
  return v;
}

// f(x, y) = sum((3x + y)^2 y + x^3), the same expression for every scalar.
template <class T>
Var<T> polynomial(const Var<T>& x, const Var<T>& y) {
  const Var<T> s = x * T(3) + y;
  return sum(square(s) * y + pow(x, 3));
}

}  // namespace

TEST_CASE("modular: hand values") {
  CHECK(kP == (std::uint64_t{1} << 61) - 1);
  CHECK(Modular(3) + Modular(4) == Modular(7));
  CHECK(Modular(3) - Modular(4) == Modular(-1));
  CHECK(Modular(-1).residue() == kP - 1);
  CHECK(Modular(6) * Modular(7) == Modular(42));
  CHECK(Modular(42) / Modular(6) == Modular(7));
  CHECK((Modular(1) / Modular(2)).residue() == (kP + 1) / 2);  // 2 * (p + 1) / 2 = p + 1 = 1
  CHECK(-Modular(5) == Modular(-5));
  CHECK(-Modular(0) == Modular(0));
  CHECK(Modular().residue() == 0);
  CHECK(Modular(static_cast<long>(kP)) == Modular(0));
  CHECK(Modular(static_cast<long>(kP) + 5).residue() == 5);
  CHECK(Modular(-static_cast<long>(kP) - 5).residue() == kP - 5);
  CHECK(Modular(std::numeric_limits<long long>::min()).residue() ==
        kP - (std::uint64_t{1} << 63) % kP);  // -2^63 mod p, without overflow
  CHECK(Modular::from_residue(std::numeric_limits<std::uint64_t>::max()).residue() ==
        std::numeric_limits<std::uint64_t>::max() % kP);
  CHECK(Modular(-7).str() == std::to_string(kP - 7));
}

TEST_CASE("modular: the edges at p - 1") {
  const Modular m1(-1);                            // p - 1
  CHECK(m1 * m1 == Modular(1));                    // (p - 1)^2 = 1: the largest product folds back
  CHECK(m1 + Modular(1) == Modular(0));
  CHECK(m1 + m1 == Modular(-2));
  CHECK(Modular(0) - m1 == Modular(1));
  CHECK(m1.inverse() == m1);
  CHECK(Modular::from_residue(kP - 1) * Modular::from_residue(kP - 2) == Modular(2));
  // 2^60 * 4 = 2^62 = 2 mod p (2^61 = 1).
  CHECK(Modular(1LL << 60) * Modular(4) == Modular(2));
}

TEST_CASE("modular: the inverse") {
  CHECK(Modular(2).inverse() * Modular(2) == Modular(1));
  CHECK(Modular(-3).inverse() * Modular(-3) == Modular(1));
  std::mt19937_64 rng(13);
  for (int k = 0; k < 200; ++k) {
    const Modular a = Modular::from_residue(rng());
    if (a == Modular(0)) continue;
    CHECK(a * a.inverse() == Modular(1));
    CHECK(a / a == Modular(1));
  }
  CHECK_THROWS_WITH_AS(Modular(0).inverse(), "Modular: division by zero", std::domain_error);
  CHECK_THROWS_WITH_AS(Modular(5) / Modular(static_cast<long>(kP)), "Modular: division by zero", std::domain_error);
}

TEST_CASE("modular: from a Rational") {
  CHECK(Modular(Rational(3, 4)) * Modular(4) == Modular(3));
  CHECK(Modular(Rational(-3, 4)) == -Modular(Rational(3, 4)));
  CHECK(Modular(Rational(-5)) == Modular(-5));
  CHECK(Modular(Rational(0.375)) == Modular(3) / Modular(8));
  CHECK(Modular(Rational("123456789012345678901234567890")).residue() ==
        reduced(Rational("123456789012345678901234567890")));
  CHECK_THROWS_WITH_AS(Modular(Rational(1, static_cast<std::int64_t>(kP))),
                       doctest::Contains("divisible by p = 2^61 - 1"), std::domain_error);
  CHECK_THROWS_AS(Modular(Rational("1/4611686018427387902")), std::domain_error);  // 2p
}

TEST_CASE("modular: random operations agree with Rational reduced mod p") {
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<long> small(-1000000, 1000000);
  for (int k = 0; k < 300; ++k) {
    const Rational a(small(rng), 1 + k % 13);
    const long bn = small(rng);
    const Rational b(bn == 0 ? 1 : bn, 3 + k % 11);
    const Modular ma(a), mb(b);
    CHECK((ma + mb).residue() == reduced(a + b));
    CHECK((ma - mb).residue() == reduced(a - b));
    CHECK((ma * mb).residue() == reduced(a * b));
    CHECK((ma / mb).residue() == reduced(a / b));
    CHECK((-ma).residue() == reduced(-a));
  }
  // A long chain: products far past 2^64 over Q stay one word mod p.
  Rational q = 1;
  Modular m = 1;
  for (int k = 1; k <= 60; ++k) {
    const Rational f(1000003L * k - 500, k % 5 + 1);
    q = q * f + Rational(k);
    m = m * Modular(f) + Modular(k);
  }
  CHECK(m.residue() == reduced(q));
}

TEST_CASE("modular: a polynomial on the tape, values and gradient against Rational") {
  // polynomial() and its gradient, over Z/p and over Q.
  Tape<Modular> tm;
  Tape<Rational> tq;
  Tensor<Modular> xm = Tensor<Modular>::from_shape({3}), ym = Tensor<Modular>::from_shape({3});
  Tensor<Rational> xq = Tensor<Rational>::from_shape({3}), yq = Tensor<Rational>::from_shape({3});
  const long xs[] = {-7, 123456789, 5}, ys[] = {4, -987654321, 1};
  for (std::size_t i = 0; i < 3; ++i) {
    xq(i) = Rational(xs[i]);
    yq(i) = Rational(ys[i], 2);
    xm(i) = Modular(xq(i));
    ym(i) = Modular(yq(i));
  }
  const Var<Modular> vxm = tm.variable(xm), vym = tm.variable(ym);
  const Var<Rational> vxq = tq.variable(xq), vyq = tq.variable(yq);
  const Var<Modular> om = polynomial(vxm, vym);
  const Var<Rational> oq = polynomial(vxq, vyq);
  CHECK(om.value().flat(0).residue() == reduced(oq.value().flat(0)));
  const Tensor<Modular> gxm = grad(om, vxm), gym = grad(om, vym);
  const Tensor<Rational> gxq = grad(oq, vxq), gyq = grad(oq, vyq);
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(gxm(i).residue() == reduced(gxq(i)));
    CHECK(gym(i).residue() == reduced(gyq(i)));
  }
}
