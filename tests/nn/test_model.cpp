// Models: forward values against hand computation, parameter gradients checked
// in both modes, exact evaluation over Q, and input validation.
#include <doctest/doctest.h>

#include <xtensor/xadapt.hpp>
#include <xtensor/xmath.hpp>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/model.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

// check_op over the flat parameters and the input batch at once.
void check_model(const Architecture& arch, const Tensor<double>& x, double tolerance = 1e-6) {
  const Model<double> model(arch, 5);
  CheckOptions options;
  options.trials = 2;
  options.tolerance = tolerance;
  const CheckReport r = check_op(
      "model", [&](const std::vector<Var<double>>& v) { return model.forward(v[0], v[1]); },
      {model.parameters(), x}, options);
  INFO(r.summary());
  CHECK(r.ok);
}

}  // namespace

TEST_CASE("a dense network computes x W^T + b layer by layer") {
  const Model<double> model(mlp(3, {4}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 1);
  const Tensor<double> x = uniform({5, 3}, -1, 1, 2);
  const auto& p = model.parameters();
  Tensor<double> w1 = xt::adapt(p.data(), 12, xt::no_ownership(), std::vector<std::size_t>{4, 3});
  Tensor<double> b1 = xt::adapt(p.data() + 12, 4, xt::no_ownership(), std::vector<std::size_t>{4});
  Tensor<double> w2 = xt::adapt(p.data() + 16, 8, xt::no_ownership(), std::vector<std::size_t>{2, 4});
  Tensor<double> b2 = xt::adapt(p.data() + 24, 2, xt::no_ownership(), std::vector<std::size_t>{2});
  Tensor<double> expected = zeros_of<double>({5, 2});
  for (std::size_t n = 0; n < 5; ++n) {
    double h[4];
    for (std::size_t j = 0; j < 4; ++j) {
      double s = b1(j);
      for (std::size_t i = 0; i < 3; ++i) s += w1(j, i) * x(n, i);
      h[j] = std::tanh(s);
    }
    for (std::size_t k = 0; k < 2; ++k) {
      double s = b2(k);
      for (std::size_t j = 0; j < 4; ++j) s += w2(k, j) * h[j];
      expected(n, k) = s;
    }
  }
  CHECK(max_abs_diff(model.predict(x), expected) < 1e-14);
}

TEST_CASE("PyTorch's default initialisation bounds and seeded reproducibility") {
  const Model<double> a(mlp(100, {50}, 10), 7), b(mlp(100, {50}, 10), 7), c(mlp(100, {50}, 10), 8);
  CHECK(a.parameters() == b.parameters());
  CHECK(a.parameters() != c.parameters());
  const auto w = a.block(0);  // dense1.weight: U(-1/sqrt(100), 1/sqrt(100))
  double lo = 1, hi = -1;
  for (double v : w) lo = std::min(lo, v), hi = std::max(hi, v);
  CHECK(lo >= -0.1);
  CHECK(hi <= 0.1);
  CHECK(hi - lo > 0.19);
  const auto w2 = a.block(2);  // dense2.weight: fan_in 50
  for (double v : w2) CHECK(std::abs(v) <= 1 / std::sqrt(50.0));
}

TEST_CASE("every layer kind differentiates correctly inside a model") {
  SUBCASE("mlp with add-shortcuts and add-inputs") {
    for (Shortcuts s : {Shortcuts::AddShortcuts, Shortcuts::AddInputs})
      check_model(mlp(3, {3, 3}, 2, {Activation::Sigmoid, s, Adapt::Identity, false}), uniform({4, 3}, -1, 1, 3));
    check_model(mlp(3, {5, 6}, 2, {Activation::Tanh, Shortcuts::AddInputs, Adapt::Projection, true}),
                uniform({4, 3}, -1, 1, 4));
    check_model(mlp(6, {3, 8}, 2, {Activation::Softplus, Shortcuts::AddShortcuts, Adapt::Sample, true}),
                uniform({4, 6}, -1, 1, 5));
  }
  SUBCASE("a small residual CNN with every image layer") {
    Architecture a;
    const auto x = a.input(Shape{2, 8, 8});
    Conv2dOptions c;
    c.out_channels = 4;
    c.window.kernel = {3, 3};
    c.window.padding = {1, 1};
    const auto c1 = a.activation(a.batch_norm(a.conv2d(x, c)), Activation::Relu);
    Conv2dOptions down = c;
    down.window.stride = {2, 2};
    const auto c2 = a.conv2d(c1, down);
    const auto s1 = a.shortcut(x, c2, Adapt::Sample);
    const auto s2 = a.shortcut(c1, s1, Adapt::Projection);
    const auto p = a.avg_pool2d(s2, Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}});
    const auto m = a.max_pool2d(s2, Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}});
    const auto cat = a.concat({p, m});
    const auto g = a.global_avg_pool(cat);
    const auto f = a.flatten(cat);
    const auto d = a.dense(f, 3);
    const auto e = a.dense(g, 3);
    a.add({d, e});
    Tensor<double> input = uniform({2, 2, 8, 8}, -1, 1, 6);
    // Keep max-pool windows free of ties and kinks for finite differences.
    for (std::size_t i = 0; i < input.size(); ++i) input.flat(i) += 1e-3 * static_cast<double>(i % 17);
    check_model(a, input, 1e-5);
  }
}

TEST_CASE("an exact model over the rationals") {
  // The x^2 network of seed 003 built from layers: 1-1-1-1 with square activations.
  Architecture a;
  auto h = a.input(Shape{1});
  h = a.activation(a.dense(h, 1), Activation::Square);
  h = a.activation(a.dense(h, 1), Activation::Square);
  a.dense(h, 1);
  Model<Rational> model(a);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({6});
  const int values[] = {3, 2, 9, 4, 7, 6};
  for (std::size_t i = 0; i < 6; ++i) theta(i) = Rational(values[i]);
  model.set_parameters(theta);
  Tensor<Rational> x = Tensor<Rational>::from_shape({2, 1});
  x(0, 0) = Rational(1);
  x(1, 0) = Rational(1, 3);
  const Tensor<Rational> y = model.predict(x);
  CHECK(y(0, 0) == Rational(7 * 229 * 229 + 6));
  // At x = 1/3: 3x + 2 = 3, 9 * 9 + 4 = 85, 7 * 85^2 + 6.
  CHECK(y(1, 0) == Rational(7 * 85 * 85 + 6));
  // A non-polynomial activation refuses exact evaluation with a clear message.
  Model<Rational> sig(mlp(2, {2}, 1, {Activation::Sigmoid, Shortcuts::None, Adapt::Identity, true}));
  CHECK_THROWS_WITH_AS(sig.predict(zeros_of<Rational>({1, 2})), doctest::Contains("sigmoid is not polynomial"),
                       std::invalid_argument);
}

TEST_CASE("models refuse wrong inputs and parameter vectors") {
  Model<double> model(mlp(4, {3}, 2));
  CHECK_THROWS_WITH_AS(model.predict(zeros_of<double>({5, 3})), doctest::Contains("input batch has shape [5, 3], expected [N, 4]"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(model.set_parameters(zeros_of<double>({7})), doctest::Contains("expected [23]"), ShapeError);
  CHECK_THROWS_AS(model.block_named("dense9.weight"), std::out_of_range);
  CHECK(model.block_named("dense2.bias").offset == 21);
}

TEST_CASE("float models agree with double models") {
  const Architecture a = mlp(5, {7}, 3, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true});
  const Model<double> md(a, 3);
  Model<float> mf(a, 3);
  const Tensor<double> x = uniform({4, 5}, -1, 1, 9);
  const Tensor<float> xf = xt::cast<float>(x);
  CHECK(max_abs_diff(Tensor<double>(xt::cast<double>(mf.predict(xf))), md.predict(x)) < 1e-5);
}
