// Exact arithmetic: the Rational type, polynomial operations over it, and the
// seed 003 x^2 network whose parameter Jacobian has rank 4.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

#include "netdim/autodiff/autodiff.hpp"

using namespace netdim;
using Q = Rational;

namespace {

// Rank by exact Gaussian elimination over Q.
std::size_t exact_rank(Tensor<Q> m) {
  const std::size_t rows = m.shape()[0], cols = m.shape()[1];
  std::size_t rank = 0;
  for (std::size_t c = 0; c < cols && rank < rows; ++c) {
    std::size_t pivot = rank;
    while (pivot < rows && m(pivot, c) == Q(0)) ++pivot;
    if (pivot == rows) continue;
    for (std::size_t k = 0; k < cols; ++k) std::swap(m(rank, k), m(pivot, k));
    for (std::size_t r = rank + 1; r < rows; ++r) {
      const Q factor = m(r, c) / m(rank, c);
      for (std::size_t k = c; k < cols; ++k) m(r, k) -= factor * m(rank, k);
    }
    ++rank;
  }
  return rank;
}

// g(x) = w3 (w2 (w1 x + b1)^2 + b2)^2 + b3 on a column of inputs; theta = (w1, b1, w2, b2, w3, b3).
Var<Q> square_network(const Var<Q>& theta, const Tensor<Q>& inputs) {
  Var<Q> h = theta.tape().constant(inputs);
  for (std::size_t layer = 0; layer < 3; ++layer) {
    const Var<Q> w = segment(theta, 2 * layer, Shape{1, 1});
    const Var<Q> b = segment(theta, 2 * layer + 1, Shape{1});
    h = matmul(h, w, false, true) + b;
    if (layer < 2) h = square(h);
  }
  return h;
}

template <class V> concept HasExp = requires(const V& v) { exp(v); };
template <class V> concept HasTanh = requires(const V& v) { tanh(v); };
template <class V> concept HasSigmoid = requires(const V& v) { sigmoid(v); };
template <class V> concept HasLogSoftmax = requires(const V& v) { log_softmax(v); };
template <class V> concept HasSquare = requires(const V& v) { square(v); };
template <class V> concept HasRelu = requires(const V& v) { relu(v); };

}  // namespace

TEST_CASE("Rational is an exact value type") {
  const Q third(1, 3);
  CHECK(third + third + third == Q(1));
  CHECK((Q(2, 4)).str() == "1/2");
  CHECK(Q(6, -4).str() == "-3/2");
  CHECK(Q(std::string("10/4")) == Q(5, 2));
  CHECK(Q(0.375) == Q(3, 8));
  CHECK(Q(7).is_integer());
  CHECK(Q(1, 3) < Q(1, 2));
  CHECK_THROWS_AS(Q(1) / Q(0), std::domain_error);
  CHECK_THROWS_AS(Q(std::string("x/2")), std::invalid_argument);
  CHECK_THROWS_AS(Q(1, 0), std::domain_error);
  Q moved = std::move(third);
  CHECK(moved == Q(1, 3));
}

TEST_CASE("xtensor reductions and products work on Rational tensors") {
  Tape<Q> tape;
  const Var<Q> a = tape.variable(Tensor<Q>{{Q(1, 2), Q(1, 3)}, {Q(1, 4), Q(1, 5)}});
  CHECK(sum(a).value()() == Q(77, 60));
  CHECK(mean(a, 0).value()(1) == Q(4, 15));
  const Tensor<Q> p = matmul(a, a).value();
  CHECK(p(0, 0) == Q(1, 4) + Q(1, 12));
  const Tensor<Q> g = grad(sum(matmul(a, a) * a), a);
  CHECK(g.size() == 4);
}

TEST_CASE("non-polynomial operations do not accept a rational Var") {
  // The constraint is checked at compile time; these document it.
  static_assert(!HasExp<Var<Q>>);
  static_assert(!HasTanh<Var<Q>>);
  static_assert(!HasSigmoid<Var<Q>>);
  static_assert(!HasLogSoftmax<Var<Q>>);
  static_assert(HasSquare<Var<Q>>);
  static_assert(HasRelu<Var<Q>>);
  static_assert(HasExp<Var<double>> && HasTanh<Var<float>>);
  // The ones the constraint lets through stay exact over the rationals.
  Tape<Q> tape;
  const Var<Q> x = tape.variable(Tensor<Q>{Q(-1, 2), Q(2, 3)});
  const Tensor<Q> squared = square(x).value();
  CHECK(squared(0) == Q(1, 4));
  CHECK(squared(1) == Q(4, 9));
  const Tensor<Q> rectified = relu(x).value();
  CHECK(rectified(0) == Q(0));
  CHECK(rectified(1) == Q(2, 3));
  const Tensor<Q> g = grad(sum(square(x)), x);  // 2x
  CHECK(g(0) == Q(-1));
  CHECK(g(1) == Q(4, 3));
}

TEST_CASE("seed 003: the x^2 network at w=(3,9,7), b=(2,4,6) has an exact integer Jacobian of rank 4") {
  const Tensor<Q> theta{Q(3), Q(2), Q(9), Q(4), Q(7), Q(6)};
  Tensor<Q> inputs = Tensor<Q>::from_shape({6, 1});
  for (int i = 0; i < 6; ++i) inputs(i, 0) = Q(i + 1);
  const Function<Q> g = [&](const Var<Q>& t) { return square_network(t, inputs); };
  const Tensor<Q> rows = jacobian_rows<Q>(g, theta);
  const Tensor<Q> cols = jacobian_columns<Q>(g, theta);
  REQUIRE(rows.shape()[0] == 6);
  REQUIRE(rows.shape()[1] == 6);
  CHECK(rows == cols);
  for (const Q& v : rows) CHECK(v.is_integer());
  // Hand values at x = 1: w1 x + b1 = 5, u = w2 * 25 + b2 = 229.
  CHECK(rows(0, 5) == Q(1));                 // d/db3
  CHECK(rows(0, 4) == Q(229 * 229));         // d/dw3 = u^2
  CHECK(rows(0, 3) == Q(2 * 7 * 229));       // d/db2 = 2 w3 u
  CHECK(rows(0, 2) == Q(2 * 7 * 229 * 25));  // d/dw2 = 2 w3 u (w1 x + b1)^2
  CHECK(rows(0, 1) == Q(2 * 7 * 229 * 2 * 9 * 5));  // d/db1 = 2 w3 u * 2 w2 (w1 x + b1)
  CHECK(exact_rank(rows) == 4);
}

TEST_CASE("Rational(INT64_MIN, -1) is exactly 2^63, never undefined behaviour") {
  constexpr std::int64_t min = std::numeric_limits<std::int64_t>::min();
  CHECK(Q(min, -1).str() == "9223372036854775808");
  CHECK(Q(min, -1) == Q("9223372036854775808"));
  CHECK(Q(1, min).str() == "-1/9223372036854775808");
  CHECK(Q(min, min) == Q(1));
  CHECK(Q(-6, -4).str() == "3/2");
  CHECK_THROWS_AS(Q(min, 0), std::domain_error);
}
