// The per-example reference Jacobian: against central differences (double), against
// forward-mode jacobian_columns of the batched network for every output reduction,
// exactly over Q for seed 003's x^2 network, and its refusals.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/autodiff/functional.hpp"
#include "netdim/autodiff/ops.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

using Kind = OutputReduction::Kind;

const std::vector<OutputReduction> kReductions{OutputReduction::first(), OutputReduction::sum_squares(),
                                               OutputReduction::stack(), OutputReduction::per_output(1)};

// g of every example (the reduced outputs), as a Var of the batched network: row i*k + c
// for stack, row i otherwise. Independent of reference_jacobian's per-example code.
template <Scalar T>
Var<T> reduced_outputs(const nn::Model<T>& model, const Var<T>& theta, const Tensor<T>& x, OutputReduction r) {
  const Var<T> y = model.forward(theta, theta.tape().constant(x));  // [n, k]
  switch (r.kind) {
    case Kind::First: return index(y, 1, 0);
    case Kind::SumSquares: return sum(y * y, 1);
    case Kind::Stack: return reshape(y, Shape{y.size()});
    case Kind::PerOutput: return index(y, 1, r.output);
  }
  throw std::logic_error("unknown reduction");
}

// Central differences of the reduced outputs, column by column.
Tensor<double> central_differences(const nn::Model<double>& model, const Tensor<double>& x, OutputReduction r,
                                   double h) {
  const Tensor<double> theta = model.parameters();
  const auto value_at = [&](const Tensor<double>& t) {
    Tape<double> tape;
    return Tensor<double>(reduced_outputs(model, tape.constant(t), x, r).value());
  };
  const std::size_t m = theta.size(), rows = value_at(theta).size();
  Tensor<double> jac = zeros_of<double>({rows, m});
  for (std::size_t j = 0; j < m; ++j) {
    Tensor<double> plus = theta, minus = theta;
    plus(j) += h, minus(j) -= h;
    const Tensor<double> d = (value_at(plus) - value_at(minus)) / (2 * h);
    for (std::size_t i = 0; i < rows; ++i) jac(i, j) = d(i);
  }
  return jac;
}

nn::Architecture small_cnn() {
  nn::Architecture a;
  const auto x = a.input(Shape{2, 5, 5});
  nn::Conv2dOptions c;
  c.out_channels = 3;
  c.window.kernel = {3, 3};
  a.dense(a.flatten(a.activation(a.conv2d(x, c), nn::Activation::Tanh)), 2);
  return a;
}

}  // namespace

TEST_CASE("reference Jacobian against central differences") {
  const nn::Model<double> model(nn::mlp(3, {4, 5}, 2, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}), 11);
  const Tensor<double> x = uniform({6, 3}, -1, 1, 12);
  for (const OutputReduction& r : kReductions) {
    INFO(r.name());
    const Tensor<double> j = reference_jacobian(model, x, r);
    CHECK(j.shape()[0] == (r.kind == Kind::Stack ? 12u : 6u));
    CHECK(j.shape()[1] == model.parameter_count());
    CHECK(max_abs_diff(j, central_differences(model, x, r, 1e-6)) < 1e-8);
  }
}

TEST_CASE("reference Jacobian equals forward-mode jacobian_columns of the batched network") {
  const nn::Model<double> mlp(nn::mlp(2, {5, 3}, 3, {nn::Activation::Sigmoid, nn::Shortcuts::AddInputs, nn::Adapt::Projection, true}), 21);
  const nn::Model<double> cnn(small_cnn(), 22);
  const std::vector<std::pair<const nn::Model<double>*, Tensor<double>>> cases{
      {&mlp, uniform({7, 2}, -1, 1, 23)}, {&cnn, uniform({3, 2, 5, 5}, -1, 1, 24)}};
  for (const auto& [model, x] : cases)
    for (const OutputReduction& r : kReductions) {
      INFO(r.name());
      const Function<double> f = [&, model = model, x = &x](const Var<double>& t) {
        return reduced_outputs(*model, t, *x, r);
      };
      const Tensor<double> expected = jacobian_columns(f, model->parameters());
      const Tensor<double> j = reference_jacobian(*model, x, r);
      REQUIRE(shape_of(j) == shape_of(expected));
      CHECK(max_abs_diff(j, expected) < 1e-12);
    }
  // At a parameter vector other than the model's own.
  const Tensor<double> theta = uniform({mlp.parameter_count()}, -2, 2, 25);
  const Tensor<double> x = uniform({4, 2}, -1, 1, 26);
  const Function<double> f = [&](const Var<double>& t) { return reduced_outputs(mlp, t, x, OutputReduction::stack()); };
  CHECK(max_abs_diff(reference_jacobian(mlp, theta, x, OutputReduction::stack()), jacobian_columns(f, theta)) < 1e-12);
}

TEST_CASE("reference Jacobian over Q: seed 003's x^2 network and a multi-output square network") {
  // x^2 network: N(x) = w3 (w2 (w1 x + b1)^2 + b2)^2 + b3, canonical order (w1, b1, w2, b2, w3, b3).
  nn::Architecture a;
  auto h = a.input(Shape{1});
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  a.dense(h, 1);
  nn::Model<Rational> model(a);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({6});
  const int values[] = {3, 2, 9, 4, 7, 6};
  for (std::size_t i = 0; i < 6; ++i) theta(i) = Rational(values[i]);
  Tensor<Rational> x = Tensor<Rational>::from_shape({3, 1});
  x(0, 0) = Rational(1), x(1, 0) = Rational(-1), x(2, 0) = Rational(1, 2);
  const Tensor<Rational> j = reference_jacobian(model, theta, x, OutputReduction::first());
  // By hand (u = w1 x + b1, v = w2 u^2 + b2): (4 w2 w3 u v x, 4 w2 w3 u v, 2 w3 v u^2, 2 w3 v, v^2, 1).
  // x = 1: u = 5, v = 229; x = -1: u = -1, v = 13; x = 1/2: u = 7/2, v = 457/4.
  const Rational expected[3][6] = {{288540, 288540, 80150, 3206, 52441, 1},
                                   {3276, -3276, 182, 182, 169, 1},
                                   {Rational(201537, 4), Rational(201537, 2), Rational(156751, 8), Rational(3199, 2),
                                    Rational(208849, 16), 1}};
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t c = 0; c < 6; ++c) CHECK(j(i, c) == expected[i][c]);
  // One output: every reduction but sum_squares is the same matrix; sum_squares is 2 N J.
  CHECK(reference_jacobian(model, theta, x, OutputReduction::stack()) == j);
  const Tensor<Rational> y = [&] {
    Tape<Rational> tape;
    return Tensor<Rational>(model.forward(tape.constant(theta), tape.constant(x)).value());
  }();
  const Tensor<Rational> s = reference_jacobian(model, theta, x, OutputReduction::sum_squares());
  for (std::size_t i = 0; i < 3; ++i)
    for (std::size_t c = 0; c < 6; ++c) CHECK(s(i, c) == Rational(2) * y(i, 0) * j(i, c));

  // A 2-3-2 square network with small integer parameters, exactly against jacobian_rows.
  nn::Model<Rational> wide(nn::mlp(2, {3}, 2, {nn::Activation::Square, nn::Shortcuts::None, nn::Adapt::Identity, true}));
  Tensor<Rational> t = Tensor<Rational>::from_shape({wide.parameter_count()});
  for (std::size_t i = 0; i < t.size(); ++i) t(i) = Rational(static_cast<long>(i % 5) - 2, 1 + static_cast<long>(i % 3));
  Tensor<Rational> xw = Tensor<Rational>::from_shape({4, 2});
  for (std::size_t i = 0; i < xw.size(); ++i) xw.flat(i) = Rational(static_cast<long>(i * 7 % 9) - 4, 3);
  for (const OutputReduction& r : kReductions) {
    INFO(r.name());
    const Function<Rational> f = [&](const Var<Rational>& v) { return reduced_outputs(wide, v, xw, r); };
    CHECK(reference_jacobian(wide, t, xw, r) == jacobian_rows(f, t));
  }
}

TEST_CASE("reference Jacobian in float agrees with double") {
  const nn::Architecture arch = nn::mlp(3, {6}, 2, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true});
  const nn::Model<double> md(arch, 51);
  const nn::Model<float> mf(arch, 51);
  const Tensor<double> x = uniform({5, 3}, -1, 1, 52);
  const Tensor<float> xf = xt::cast<float>(x);
  const Tensor<double> jf = xt::cast<double>(reference_jacobian(mf, xf, OutputReduction::stack()));
  CHECK(max_abs_diff(jf, reference_jacobian(md, x, OutputReduction::stack())) < 1e-5);
}

TEST_CASE("reference Jacobian refuses wrong shapes, empty batches and missing outputs") {
  const nn::Model<double> model(nn::mlp(3, {4}, 2), 1);
  CHECK_THROWS_WITH_AS(reference_jacobian(model, zeros_of<double>({7}), zeros_of<double>({2, 3}), OutputReduction::first()),
                       doctest::Contains("parameter vector has shape [7], expected [26]"), ShapeError);
  CHECK_THROWS_WITH_AS(reference_jacobian(model, zeros_of<double>({2, 4}), OutputReduction::first()),
                       doctest::Contains("inputs have shape [2, 4], expected [N, 3]"), ShapeError);
  CHECK_THROWS_AS(reference_jacobian(model, zeros_of<double>({3}), OutputReduction::first()), ShapeError);
  CHECK_THROWS_WITH_AS(reference_jacobian(model, zeros_of<double>({0, 3}), OutputReduction::first()),
                       doctest::Contains("no inputs"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(reference_jacobian(model, zeros_of<double>({2, 3}), OutputReduction::per_output(2)),
                       doctest::Contains("per_output(2) asked of a network with 2 outputs"), std::invalid_argument);
  nn::Architecture bare;
  bare.activation(bare.input(Shape{3}), nn::Activation::Tanh);
  const nn::Model<double> no_parameters(bare);
  CHECK_THROWS_WITH_AS(reference_jacobian(no_parameters, zeros_of<double>({2, 3}), OutputReduction::first()),
                       doctest::Contains("the network has no parameters"), std::invalid_argument);
}
