// Every built-in operation, checked in both modes with check_op: forward mode
// and reverse mode against central differences, the adjoint identity, and the
// recorded (higher-order) rule against the numeric one.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::away_from_zero;
using netdim::testing::uniform;
using V = Var<double>;
using Vs = std::vector<V>;

namespace {

void expect_ok(const std::string& name, const MultiFunction<double>& f, const std::vector<Tensor<double>>& at,
               double tolerance = 1e-6) {
  CheckOptions options;
  options.tolerance = tolerance;
  const CheckReport r = check_op(name, f, at, options);
  INFO(r.summary());
  CHECK(r.ok);
}

const Tensor<double> A = uniform({3, 4}, -1, 1, 1);
const Tensor<double> B = uniform({3, 4}, -1, 1, 2);
const Tensor<double> row = uniform({4}, -1, 1, 3);
const Tensor<double> col = uniform({3, 1}, -1, 1, 4);
const Tensor<double> positive = uniform({3, 4}, 0.5, 2, 5);
const Tensor<double> kinked = away_from_zero({3, 4}, -2, 2, 0.1, 6);

}  // namespace

TEST_CASE("arithmetic with broadcasting") {
  expect_ok("add", [](const Vs& x) { return x[0] + x[1]; }, {A, B});
  expect_ok("add broadcast row", [](const Vs& x) { return x[0] + x[1]; }, {A, row});
  expect_ok("add broadcast col", [](const Vs& x) { return x[1] + x[0]; }, {A, col});
  expect_ok("sub", [](const Vs& x) { return x[0] - x[1]; }, {A, row});
  expect_ok("mul", [](const Vs& x) { return x[0] * x[1]; }, {A, B});
  expect_ok("mul broadcast", [](const Vs& x) { return x[0] * x[1]; }, {col, A});
  expect_ok("div", [](const Vs& x) { return x[0] / x[1]; }, {A, positive});
  expect_ok("div broadcast", [](const Vs& x) { return x[0] / x[1]; }, {row, positive});
  expect_ok("neg", [](const Vs& x) { return -x[0]; }, {A});
  expect_ok("scalar ops", [](const Vs& x) { return 2.5 * x[0] + 1.0 - x[0] / 3.0; }, {A});
  expect_ok("scalar minus and divide", [](const Vs& x) { return 1.0 - 2.0 / x[0]; }, {positive});
  expect_ok("same input twice", [](const Vs& x) { return x[0] * x[0] + x[0]; }, {A});
}

TEST_CASE("matmul in all four transpose forms") {
  const Tensor<double> m34 = uniform({3, 4}, -1, 1, 10), m45 = uniform({4, 5}, -1, 1, 11);
  const Tensor<double> m43 = uniform({4, 3}, -1, 1, 12), m54 = uniform({5, 4}, -1, 1, 13);
  expect_ok("matmul", [](const Vs& x) { return matmul(x[0], x[1]); }, {m34, m45});
  expect_ok("matmul a^T", [](const Vs& x) { return matmul(x[0], x[1], true, false); }, {m43, m45});
  expect_ok("matmul b^T", [](const Vs& x) { return matmul(x[0], x[1], false, true); }, {m34, m54});
  expect_ok("linear", [](const Vs& x) { return linear(x[0], x[1], x[2]); }, {m34, m54, uniform({5}, -1, 1, 14)});
  expect_ok("matmul a^T b^T", [](const Vs& x) { return matmul(x[0], x[1], true, true); }, {m43, m54});
}

TEST_CASE("shape operations") {
  const Tensor<double> t3 = uniform({2, 3, 4}, -1, 1, 20);
  expect_ok("transpose", [](const Vs& x) { return transpose(x[0]); }, {A});
  expect_ok("permute", [](const Vs& x) { return permute(x[0], {2, 0, 1}); }, {t3});
  expect_ok("reshape", [](const Vs& x) { return reshape(x[0], Shape{6, 2}); }, {A});
  expect_ok("broadcast_to", [](const Vs& x) { return broadcast_to(x[0], Shape{2, 3, 4}); }, {row});
  expect_ok("sum_to", [](const Vs& x) { return sum_to(x[0], Shape{3, 1}); }, {A});
  expect_ok("slice", [](const Vs& x) { return slice(x[0], 1, 1, 4, 2); }, {A});
  expect_ok("slice negative axis", [](const Vs& x) { return slice(x[0], -1, 0, 3); }, {t3});
  expect_ok("index", [](const Vs& x) { return index(x[0], 0, 2); }, {A});
  expect_ok("index middle axis", [](const Vs& x) { return index(x[0], 1, 1); }, {t3});
  expect_ok("concat", [](const Vs& x) { return concat(Vs{x[0], x[1], x[0]}, 0); }, {A, B});
  expect_ok("concat axis 1", [](const Vs& x) { return concat(Vs{x[0], x[1]}, 1); }, {A, col});
  expect_ok("segment", [](const Vs& x) { return segment(x[0], 2, Shape{2, 3}) * segment(x[0], 5, Shape{2, 3}); },
            {uniform({12}, -1, 1, 21)});
}

TEST_CASE("reductions") {
  expect_ok("sum", [](const Vs& x) { return sum(x[0]); }, {A});
  expect_ok("sum axis 0", [](const Vs& x) { return sum(x[0], 0); }, {A});
  expect_ok("sum axis -1 keepdims", [](const Vs& x) { return sum(x[0], -1, true); }, {A});
  expect_ok("mean", [](const Vs& x) { return mean(x[0]); }, {A});
  expect_ok("mean axis 1", [](const Vs& x) { return mean(x[0], 1); }, {A});
}

TEST_CASE("elementwise functions") {
  expect_ok("exp", [](const Vs& x) { return exp(x[0]); }, {A});
  expect_ok("log", [](const Vs& x) { return log(x[0]); }, {positive});
  expect_ok("sqrt", [](const Vs& x) { return sqrt(x[0]); }, {positive});
  expect_ok("abs", [](const Vs& x) { return abs(x[0]); }, {kinked});
  expect_ok("tanh", [](const Vs& x) { return tanh(x[0]); }, {A});
  expect_ok("sigmoid", [](const Vs& x) { return sigmoid(x[0]); }, {kinked * 5.0});
  expect_ok("relu", [](const Vs& x) { return relu(x[0]); }, {kinked});
  expect_ok("leaky_relu", [](const Vs& x) { return leaky_relu(x[0], 0.1); }, {kinked});
  expect_ok("relu6 around 0", [](const Vs& x) { return relu6(x[0]); }, {kinked});
  expect_ok("relu6 around 6", [](const Vs& x) { return relu6(x[0]); }, {Tensor<double>(kinked + 6.0)});
  expect_ok("softplus", [](const Vs& x) { return softplus(x[0]); }, {kinked * 5.0});
  expect_ok("sin", [](const Vs& x) { return sin(x[0]); }, {A});
  expect_ok("cos", [](const Vs& x) { return cos(x[0]); }, {A});
  expect_ok("square", [](const Vs& x) { return square(x[0]); }, {A});
  expect_ok("pow 3", [](const Vs& x) { return pow(x[0], 3); }, {A});
  expect_ok("pow 1", [](const Vs& x) { return pow(x[0], 1); }, {A});
  expect_ok("pow 0", [](const Vs& x) { return pow(x[0], 0) * x[0]; }, {A});
  expect_ok("log_softmax", [](const Vs& x) { return log_softmax(x[0]); }, {A * 3.0});
  expect_ok("log_softmax axis 0", [](const Vs& x) { return log_softmax(x[0], 0); }, {A * 3.0});
}

TEST_CASE("relu6 values, and torch's gradient at the kinks: zero at exactly 0 and 6") {
  // torch 1.13: F.relu6(x).sum().backward() at [-1, 0, 3, 6, 7] gives [0, 0, 1, 0, 0].
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{-1.0, 0.0, 3.0, 6.0, 7.0});
  const V y = relu6(x);
  CHECK(testing::max_abs_diff(y.value(), Tensor<double>{0.0, 0.0, 3.0, 6.0, 6.0}) == 0.0);
  const Tensor<double> g = backward(y, Tensor<double>{1.0, 1.0, 1.0, 1.0, 1.0}, std::span<const V>(Vs{x}))[0];
  CHECK(testing::max_abs_diff(g, Tensor<double>{0.0, 0.0, 1.0, 0.0, 0.0}) == 0.0);
}

TEST_CASE("check_op in float with a step suited to float") {
  CheckOptions options;
  options.step = 1e-2;
  options.tolerance = 5e-3;
  const Tensor<float> a = uniform<float>({3, 4}, -1, 1, 30), b = uniform<float>({4, 2}, -1, 1, 31);
  const CheckReport r = check_op<float>(
      "float mlp step", [](const std::vector<Var<float>>& x) { return tanh(matmul(x[0], x[1])); }, {a, b}, options);
  INFO(r.summary());
  CHECK(r.ok);
}

// A deliberately wrong derivative (2x instead of 3x^2 for x^3): check_op must report it.
struct WrongCube {
  std::string name() const { return "wrong_cube"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0] * *x[0] * *x[0]; }
  template <class X> void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const { out.add(0, X(g * *x[0] * 2.0)); }
  template <class X> X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return dx[0] * *x[0] * 2.0; }
};

TEST_CASE("check_op catches a wrong rule") {
  const CheckReport r = check_op<double>("wrong", [](const Vs& x) { return apply(WrongCube{}, x[0]); }, {A});
  CHECK_FALSE(r.ok);
  CHECK(r.forward_vs_differences > 1e-2);
}

TEST_CASE("stable forms do not overflow") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{{-1000.0, 0.0, 1000.0}});
  const Tensor<double> s = sigmoid(x).value();
  CHECK(s(0, 0) == doctest::Approx(0.0));
  CHECK(s(0, 2) == doctest::Approx(1.0));
  const Tensor<double> sp = softplus(x).value();
  CHECK(sp(0, 2) == doctest::Approx(1000.0));
  CHECK(sp(0, 0) == doctest::Approx(0.0));
  const Tensor<double> ls = log_softmax(x).value();
  CHECK(ls(0, 2) == doctest::Approx(0.0));
  CHECK(ls(0, 0) == doctest::Approx(-2000.0));
  for (double v : grad(sum(log_softmax(x)), x)) CHECK(std::isfinite(v));
}
