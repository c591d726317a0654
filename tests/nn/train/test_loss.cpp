// Losses: derivative rules through check_op (forward, reverse, adjoint and the
// recorded rule), values against hand computations and PyTorch, stability at
// extreme logits, exactness over Rational, and the errors for bad input.
//
// The PyTorch numbers were printed once by tests/nn/train/make_reference.py
// (Debian's python3-torch 1.13) and pasted here; the suite does not need PyTorch.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <span>
#include <vector>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/nn/train/loss.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn;
using netdim::testing::away_from_zero;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;
using V = Var<double>;
using Vs = std::vector<V>;

namespace {

void expect_ok(const std::string& name, const MultiFunction<double>& f, const std::vector<Tensor<double>>& at) {
  const CheckReport r = check_op(name, f, at);
  INFO(r.summary());
  CHECK(r.ok);
}

const std::vector<int> labels4{2, 0, 3, 3, 1};
const Tensor<double> logits = uniform({5, 4}, -3, 3, 40);
const Tensor<double> pred = uniform({3, 4}, -1, 1, 41);
const Tensor<double> target = uniform({3, 4}, -1, 1, 42);
const Tensor<double> probabilities = uniform({3, 4}, 0.05, 0.95, 43);

}  // namespace

TEST_CASE("every loss passes check_op in both modes") {
  expect_ok("mse_loss", [](const Vs& x) { return mse_loss(x[0], x[1]); }, {pred, target});
  expect_ok("mse_loss tensor target", [](const Vs& x) { return mse_loss(x[0], target); }, {pred});
  // abs has a kink at zero: keep pred - target away from it.
  const Tensor<double> far = target + away_from_zero({3, 4}, -1, 1, 0.1, 44);
  expect_ok("mae_loss", [](const Vs& x) { return mae_loss(x[0], x[1]); }, {far, target});
  expect_ok("mae_loss tensor target", [](const Vs& x) { return mae_loss(x[0], target); }, {far});
  expect_ok("cross_entropy", [](const Vs& x) { return cross_entropy(x[0], labels4); }, {logits});
  expect_ok("cross_entropy one row", [](const Vs& x) { return cross_entropy(x[0], {1}); },
            {uniform({1, 6}, -2, 2, 45)});
  expect_ok("cross_entropy of a product", [](const Vs& x) { return cross_entropy(matmul(x[0], x[1]), labels4); },
            {uniform({5, 3}, -1, 1, 46), uniform({3, 4}, -1, 1, 47)});
  expect_ok("bce with logits", [](const Vs& x) { return binary_cross_entropy_with_logits(x[0], x[1]); },
            {pred * 4.0, probabilities});
  expect_ok("bce with logits tensor target",
            [](const Vs& x) { return binary_cross_entropy_with_logits(x[0], probabilities); }, {pred * 4.0});
}

TEST_CASE("losses pass check_op in float") {
  CheckOptions options;
  options.step = 1e-2;
  options.tolerance = 5e-3;
  using F = std::vector<Var<float>>;
  const Tensor<float> x = uniform<float>({4, 3}, -2, 2, 50), t = uniform<float>({4, 3}, 0.1, 0.9, 51);
  const MultiFunction<float> ce = [](const F& v) { return cross_entropy(v[0], {0, 2, 1, 2}); };
  const MultiFunction<float> bce = [](const F& v) { return binary_cross_entropy_with_logits(v[0], v[1]); };
  const MultiFunction<float> mse = [](const F& v) { return mse_loss(v[0], v[1]); };
  for (const CheckReport& r : {check_op<float>("float cross_entropy", ce, {x}, options),
                               check_op<float>("float bce", bce, {x, t}, options),
                               check_op<float>("float mse", mse, {x, t}, options)}) {
    INFO(r.summary());
    CHECK(r.ok);
  }
}

TEST_CASE("cross_entropy by hand and against PyTorch") {
  Tape<double> tape;
  const V one = tape.variable(Tensor<double>{{1.0, 2.0, 3.0}});
  const V loss = cross_entropy(one, {2});
  CHECK(loss.rank() == 0);
  const double e = std::exp(1.0);
  CHECK(loss.value()() == doctest::Approx(std::log(e + e * e + e * e * e) - 3.0).epsilon(1e-14));
  // The gradient is softmax - onehot (N = 1).
  const double z = e + e * e + e * e * e;
  const Tensor<double> expected{{e / z, e * e / z, e * e * e / z - 1.0}};
  CHECK(max_abs_diff(grad(loss, one), expected) < 1e-15);

  const V x = tape.variable(Tensor<double>{{0.5, -1.25, 2.0, 0.0}, {3.0, 1.5, -0.5, -2.0}, {-0.75, 0.25, 0.125, 1.0}});
  const V batch = cross_entropy(x, {2, 0, 1});
  CHECK(batch.value()() == doctest::Approx(0.6799415874891691).epsilon(1e-14));
  const Tensor<double> torch_grad = Tensor<double>{
      {0.05323118334403608, 0.009250192644226803, -0.09476772073920521, 0.032286344750942345},
      {-0.06879681850298791, 0.05902607491920246, 0.007988310567535784, 0.0017824330162496543},
      {0.028077836731279133, -0.25700985996425735, 0.06735522884270741, 0.16157679439027087}};
  CHECK(max_abs_diff(grad(batch, x), torch_grad) < 1e-15);
}

TEST_CASE("binary_cross_entropy_with_logits by hand and against PyTorch") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{{-3.0, -0.5, 0.0}, {0.75, 2.0, 6.0}});
  const V t = tape.variable(Tensor<double>{{0.0, 1.0, 0.5}, {1.0, 0.25, 0.0}});
  const V loss = binary_cross_entropy_with_logits(x, t);
  CHECK(loss.value()() == doctest::Approx(1.6220143697682328).epsilon(1e-14));
  const std::array<V, 2> wrt{x, t};
  const std::vector<Tensor<double>> g = grad(loss, std::span<const V>(wrt));
  CHECK(max_abs_diff(g[0], Tensor<double>{{0.00790431219626113, -0.10374322186697577, 0.0},
                                          {-0.05347021680410117, 0.10513284632964705, 0.16625456280722756}}) < 1e-15);
  CHECK(max_abs_diff(g[1], Tensor<double>{{0.5, 0.08333333333333333, 0.0}, {-0.125, -0.3333333333333333, -1.0}}) <
        1e-15);
  // At x = 0 the loss is log 2 whatever the target.
  const V zero = tape.variable(Tensor<double>{0.0, 0.0});
  CHECK(binary_cross_entropy_with_logits(zero, Tensor<double>{0.0, 0.7}).value()() ==
        doctest::Approx(std::log(2.0)).epsilon(1e-15));
}

TEST_CASE("mse_loss and mae_loss are exact over Rational") {
  using Q = Rational;
  Tape<Q> tape;
  const Var<Q> p = tape.variable(Tensor<Q>{Q(1), Q(-2), Q(1, 3)});
  const Tensor<Q> t{Q(0), Q(1), Q(2, 3)};
  const Var<Q> mse = mse_loss(p, t);
  // ((1)^2 + (-3)^2 + (-1/3)^2) / 3 = (1 + 9 + 1/9) / 3 = 91/27.
  CHECK(mse.value()() == Q(91, 27));
  const Tensor<Q> g = grad(mse, p);  // 2 (p - t) / 3
  CHECK(g(0) == Q(2, 3));
  CHECK(g(1) == Q(-2));
  CHECK(g(2) == Q(-2, 9));

  const Var<Q> mae = mae_loss(p, t);
  CHECK(mae.value()() == Q(13, 9));  // (1 + 3 + 1/3) / 3
  const Tensor<Q> h = grad(mae, p);  // sign(p - t) / 3
  CHECK(h(0) == Q(1, 3));
  CHECK(h(1) == Q(-1, 3));
  CHECK(h(2) == Q(-1, 3));
}

TEST_CASE("mse_loss and mae_loss values in double") {
  Tape<double> tape;
  const V p = tape.variable(Tensor<double>{{1.0, 2.0}, {3.0, -4.0}});
  const Tensor<double> t{{0.0, 0.0}, {1.0, 0.0}};
  CHECK(mse_loss(p, t).value()() == doctest::Approx((1.0 + 4.0 + 4.0 + 16.0) / 4.0));
  CHECK(mae_loss(p, t).value()() == doctest::Approx((1.0 + 2.0 + 2.0 + 4.0) / 4.0));
}

TEST_CASE("extreme logits give finite losses and gradients") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{{1000.0, -1000.0, 0.0}, {-1000.0, 1000.0, 1000.0}});
  const V ce = cross_entropy(x, {1, 0});
  // Row 0: lse = 1000, pick -1000 -> 2000. Row 1: lse = 1000 + log 2, pick -1000 -> 2000 + log 2.
  CHECK(ce.value()() == doctest::Approx(2000.0 + std::log(2.0) / 2.0));
  for (double v : grad(ce, x)) CHECK(std::isfinite(v));

  const V b = tape.variable(Tensor<double>{1000.0, -1000.0, 1000.0, -1000.0});
  const V bce = binary_cross_entropy_with_logits(b, Tensor<double>{0.0, 1.0, 1.0, 0.0});
  CHECK(bce.value()() == doctest::Approx(500.0));
  const Tensor<double> gb = grad(bce, b);  // (sigmoid(x) - t) / 4
  CHECK(max_abs_diff(gb, Tensor<double>{0.25, -0.25, 0.0, 0.0}) < 1e-15);

  Tape<float> ftape;
  const Var<float> f = ftape.variable(Tensor<float>{{1000.0f, -1000.0f}, {-1000.0f, 1000.0f}});
  const Var<float> fce = cross_entropy(f, {0, 0});
  CHECK(std::isfinite(fce.value()()));
  CHECK(fce.value()() == doctest::Approx(1000.0f));
  for (float v : grad(fce, f)) CHECK(std::isfinite(v));
  const Var<float> fbce = binary_cross_entropy_with_logits(f, Tensor<float>{{0.0f, 1.0f}, {1.0f, 0.0f}});
  CHECK(fbce.value()() == doctest::Approx(1000.0f));
  for (float v : grad(fbce, f)) CHECK(std::isfinite(v));
}

TEST_CASE("Hessian-vector products of cross_entropy and bce go through the recorded rule") {
  // For one row, the Hessian of cross-entropy is (diag(p) - p p^T) / N with p = softmax.
  const Tensor<double> x = uniform({2, 3}, -1, 1, 60);
  const Tensor<double> v = uniform({2, 3}, -1, 1, 61);
  const Function<double> ce = [](const V& a) { return cross_entropy(a, {2, 0}); };
  Tensor<double> expected = zeros_of<double>({2, 3});
  for (std::size_t i = 0; i < 2; ++i) {
    double z = 0, pv = 0;
    for (std::size_t c = 0; c < 3; ++c) z += std::exp(x(i, c));
    for (std::size_t c = 0; c < 3; ++c) pv += std::exp(x(i, c)) / z * v(i, c);
    for (std::size_t c = 0; c < 3; ++c) expected(i, c) = std::exp(x(i, c)) / z * (v(i, c) - pv) / 2.0;
  }
  CHECK(max_abs_diff(hvp(ce, x, v), expected) < 1e-14);
  CHECK(max_abs_diff(hvp_reverse(ce, x, v), expected) < 1e-14);

  // BCE's Hessian in the logits is diagonal: sigmoid'(x) / n.
  const Tensor<double> t = uniform({2, 3}, 0, 1, 62);
  const Function<double> bce = [&t](const V& a) { return binary_cross_entropy_with_logits(a, t); };
  Tensor<double> diag = zeros_of<double>({2, 3});
  for (std::size_t k = 0; k < x.size(); ++k) {
    const double s = 1 / (1 + std::exp(-x.flat(k)));
    diag.flat(k) = s * (1 - s) * v.flat(k) / 6.0;
  }
  CHECK(max_abs_diff(hvp(bce, x, v), diag) < 1e-14);
  CHECK(max_abs_diff(hvp_reverse(bce, x, v), diag) < 1e-14);
}

TEST_CASE("bad labels, targets and shapes give clear errors") {
  Tape<double> tape;
  const V x = tape.variable(uniform({3, 4}, -1, 1, 70));
  CHECK_THROWS_WITH_AS(cross_entropy(x, {0, 4, 1}), doctest::Contains("label 4 at index 1 is out of range [0, 4)"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(cross_entropy(x, {0, 1, -1}), doctest::Contains("label -1 at index 2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(cross_entropy(x, {0, 1}), doctest::Contains("2 labels for 3 rows"), std::invalid_argument);
  CHECK_THROWS_AS(cross_entropy(tape.variable(uniform({4}, -1, 1, 71)), {0}), ShapeError);
  CHECK_THROWS_AS(cross_entropy(tape.variable(zeros_of<double>({0, 4})), {}), ShapeError);

  CHECK_THROWS_WITH_AS(binary_cross_entropy_with_logits(x, Tensor<double>(Shape{3, 4}, 1.5)),
                       doctest::Contains("target 1.5 at flat index 0 is outside [0, 1]"), std::invalid_argument);
  CHECK_THROWS_AS(binary_cross_entropy_with_logits(x, Tensor<double>(Shape{4}, 0.5)), ShapeError);
  CHECK_THROWS_WITH_AS(mse_loss(x, Tensor<double>(Shape{4, 3}, 0.0)),
                       doctest::Contains("prediction shape [3, 4] differs from target shape [4, 3]"), ShapeError);
  CHECK_THROWS_AS(mae_loss(x, Tensor<double>(Shape{3, 1}, 0.0)), ShapeError);
}
