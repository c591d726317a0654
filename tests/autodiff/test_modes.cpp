// Forward and reverse mode agree with each other and with central differences.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

// A small two-layer network of its flat parameters, evaluated on fixed inputs.
Var<double> small_net(const Var<double>& theta) {
  Tape<double>& tape = theta.tape();
  const Var<double> x = tape.constant(uniform({5, 3}, -1, 1, 7));
  const Var<double> w1 = segment(theta, 0, Shape{4, 3});
  const Var<double> b1 = segment(theta, 12, Shape{4});
  const Var<double> w2 = segment(theta, 16, Shape{2, 4});
  const Var<double> b2 = segment(theta, 24, Shape{2});
  const Var<double> h = tanh(matmul(x, w1, false, true) + b1);
  return sigmoid(matmul(h, w2, false, true) + b2);
}

Tensor<double> central_difference_jacobian(const Function<double>& f, const Tensor<double>& x0, double h) {
  const Tensor<double> y0 = jvp<double>(f, x0, zeros_of<double>(shape_of(x0))).first;
  Tensor<double> jac = zeros_of<double>({y0.size(), x0.size()});
  for (std::size_t j = 0; j < x0.size(); ++j) {
    Tensor<double> plus = x0, minus = x0;
    plus.flat(j) += h;
    minus.flat(j) -= h;
    const Tensor<double> fp = jvp<double>(f, plus, zeros_of<double>(shape_of(x0))).first;
    const Tensor<double> fm = jvp<double>(f, minus, zeros_of<double>(shape_of(x0))).first;
    for (std::size_t i = 0; i < y0.size(); ++i) jac(i, j) = (fp.flat(i) - fm.flat(i)) / (2 * h);
  }
  return jac;
}

}  // namespace

TEST_CASE("the Jacobian by rows (reverse) equals the Jacobian by columns (forward)") {
  const Tensor<double> theta = uniform({26}, -1, 1, 3);
  const Tensor<double> rows = jacobian_rows<double>(small_net, theta);
  const Tensor<double> cols = jacobian_columns<double>(small_net, theta);
  REQUIRE(rows.shape() == cols.shape());
  CHECK(rows.shape()[0] == 10);
  CHECK(rows.shape()[1] == 26);
  CHECK(max_abs_diff(rows, cols) < 1e-14);
  CHECK(max_abs_diff(rows, central_difference_jacobian(small_net, theta, 1e-6)) < 1e-8);
}

TEST_CASE("jvp and vjp are the two products with the same Jacobian") {
  const Tensor<double> theta = uniform({26}, -1, 1, 4);
  const Tensor<double> v = uniform({26}, -1, 1, 5);
  const Tensor<double> u = uniform({5, 2}, -1, 1, 6);
  const Tensor<double> jac = jacobian_rows<double>(small_net, theta);
  const Tensor<double> jv = jvp<double>(small_net, theta, v).second;
  const Tensor<double> ujt = vjp<double>(small_net, theta, u).second;
  for (std::size_t i = 0; i < 10; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < 26; ++j) s += jac(i, j) * v(j);
    CHECK(jv.flat(i) == doctest::Approx(s).epsilon(1e-12));
  }
  for (std::size_t j = 0; j < 26; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < 10; ++i) s += u.flat(i) * jac(i, j);
    CHECK(ujt(j) == doctest::Approx(s).epsilon(1e-12));
  }
}

TEST_CASE("forward mode needs no reverse sweep: tangents exist as soon as values do") {
  Tape<double> tape;
  const Var<double> x = tape.variable(Tensor<double>{1.0, 2.0});
  tape.set_tangent(x, Tensor<double>{1.0, 0.0});
  const Var<double> y = exp(x) * x;  // d/dx0 = e(1 + 1) at x0 = 1
  CHECK(tape.has_tangent(y));
  CHECK(tape.tangent(y)(0) == doctest::Approx(2 * std::exp(1.0)));
  CHECK(tape.tangent(y)(1) == 0.0);
  const Var<double> c = tape.constant(Tensor<double>{5.0});
  CHECK_FALSE(tape.has_tangent(c * c));
}

TEST_CASE("value_and_grad of a scalar function") {
  const auto [value, g] = value_and_grad<double>([](const Var<double>& x) { return sum(square(x)) * 0.5; },
                                                 Tensor<double>{1.0, -2.0, 3.0});
  CHECK(value() == doctest::Approx(7.0));
  CHECK(g(0) == 1.0);
  CHECK(g(1) == -2.0);
  CHECK(g(2) == 3.0);
}
