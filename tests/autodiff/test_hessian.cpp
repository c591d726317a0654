// Hessian-vector products: forward over reverse and reverse over reverse,
// against central differences of gradients and against exact polynomials.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

// Cross-entropy-like scalar loss of a small tanh network.
Var<double> loss(const Var<double>& theta) {
  Tape<double>& tape = theta.tape();
  const Var<double> x = tape.constant(uniform({6, 3}, -1, 1, 11));
  const Var<double> w1 = segment(theta, 0, Shape{4, 3});
  const Var<double> b1 = segment(theta, 12, Shape{4});
  const Var<double> w2 = segment(theta, 16, Shape{3, 4});
  const Var<double> z = matmul(tanh(matmul(x, w1, false, true) + b1), w2, false, true);
  Tensor<double> onehot = zeros_of<double>({6, 3});
  for (std::size_t i = 0; i < 6; ++i) onehot(i, i % 3) = 1.0;
  return -sum(log_softmax(z) * tape.constant(onehot)) / 6.0 + 0.1 * sum(softplus(w2)) + mean(sin(w1)) * mean(cos(b1));
}

}  // namespace

TEST_CASE("Hessian-vector products match central differences of gradients") {
  const Tensor<double> theta = uniform({28}, -1, 1, 12);
  const Tensor<double> v = uniform({28}, -1, 1, 13);
  const double h = 1e-5;
  const Tensor<double> gp = value_and_grad<double>(loss, theta + h * v).second;
  const Tensor<double> gm = value_and_grad<double>(loss, theta - h * v).second;
  const Tensor<double> fd = (gp - gm) / (2 * h);
  const Tensor<double> hv_forward = hvp<double>(loss, theta, v);
  const Tensor<double> hv_reverse = hvp_reverse<double>(loss, theta, v);
  CHECK(max_abs_diff(hv_forward, fd) < 1e-8);
  CHECK(max_abs_diff(hv_reverse, fd) < 1e-8);
  CHECK(max_abs_diff(hv_forward, hv_reverse) < 1e-12);
}

TEST_CASE("the Hessian of a polynomial is exact over the rationals") {
  // f(x, y) = x^3 y + 2 x y^2: H = [[6xy, 3x^2 + 4y], [3x^2 + 4y, 4x]].
  const Function<Rational> f = [](const Var<Rational>& p) {
    const Var<Rational> x = index(p, 0, 0), y = index(p, 0, 1);
    return pow(x, 3) * y + Rational(2) * x * square(y);
  };
  const Tensor<Rational> at{Rational(1, 2), Rational(-3)};
  const Tensor<Rational> e0{Rational(1), Rational(0)}, e1{Rational(0), Rational(1)};
  const Tensor<Rational> col0 = hvp<Rational>(f, at, e0), col1 = hvp_reverse<Rational>(f, at, e1);
  CHECK(col0(0) == Rational(-9));           // 6 * 1/2 * -3
  CHECK(col0(1) == Rational(-45, 4));       // 3/4 - 12
  CHECK(col1(0) == Rational(-45, 4));
  CHECK(col1(1) == Rational(2));            // 4 * 1/2
}
