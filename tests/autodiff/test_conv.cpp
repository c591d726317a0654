// conv2d and its two adjoint operations: values against a direct nested-loop
// convolution (torch.nn.functional.conv2d semantics), derivatives with
// check_op over many geometries, second order through the adjoint rules,
// exact values and adjoints over the rationals, and shape errors.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;
using V = Var<double>;
using Vs = std::vector<V>;
using Q = Rational;

namespace {

// The definition, written out: y[n, o, oh, ow] = sum over c, i, j of
// x[n, group(o) * C/groups + c, oh*sh + i*dh - ph, ow*sw + j*dw - pw] * w[o, c, i, j].
template <class T>
Tensor<T> direct_conv(const Tensor<T>& x, const Tensor<T>& w, const Conv2dGeometry& g) {
  const std::size_t n = x.shape()[0], h = x.shape()[2], wd = x.shape()[3];
  const std::size_t o = w.shape()[0], cg = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const std::size_t og = o / g.groups;
  const std::size_t ho = (h + 2 * g.pad_h - g.dilation_h * (kh - 1) - 1) / g.stride_h + 1;
  const std::size_t wo = (wd + 2 * g.pad_w - g.dilation_w * (kw - 1) - 1) / g.stride_w + 1;
  Tensor<T> y = zeros_of<T>({n, o, ho, wo});
  for (std::size_t b = 0; b < n; ++b)
    for (std::size_t oc = 0; oc < o; ++oc)
      for (std::size_t oh = 0; oh < ho; ++oh)
        for (std::size_t ow = 0; ow < wo; ++ow)
          for (std::size_t c = 0; c < cg; ++c)
            for (std::size_t i = 0; i < kh; ++i)
              for (std::size_t j = 0; j < kw; ++j) {
                const long hi = long(oh * g.stride_h + i * g.dilation_h) - long(g.pad_h);
                const long wi = long(ow * g.stride_w + j * g.dilation_w) - long(g.pad_w);
                if (hi < 0 || wi < 0 || hi >= long(h) || wi >= long(wd)) continue;
                y(b, oc, oh, ow) += x(b, (oc / og) * cg + c, std::size_t(hi), std::size_t(wi)) * w(oc, c, i, j);
              }
  return y;
}

// The cotangents of direct_conv's input and weight for the output cotangent u, by the same loops.
template <class T>
std::pair<Tensor<T>, Tensor<T>> direct_conv_grads(const Tensor<T>& x, const Tensor<T>& w, const Tensor<T>& u,
                                                  const Conv2dGeometry& g) {
  const std::size_t h = x.shape()[2], wd = x.shape()[3];
  const std::size_t o = w.shape()[0], cg = w.shape()[1], kh = w.shape()[2], kw = w.shape()[3];
  const std::size_t og = o / g.groups;
  Tensor<T> dx = zeros_of<T>(shape_of(x)), dw = zeros_of<T>(shape_of(w));
  for (std::size_t b = 0; b < u.shape()[0]; ++b)
    for (std::size_t oc = 0; oc < o; ++oc)
      for (std::size_t oh = 0; oh < u.shape()[2]; ++oh)
        for (std::size_t ow = 0; ow < u.shape()[3]; ++ow)
          for (std::size_t c = 0; c < cg; ++c)
            for (std::size_t i = 0; i < kh; ++i)
              for (std::size_t j = 0; j < kw; ++j) {
                const long hi = long(oh * g.stride_h + i * g.dilation_h) - long(g.pad_h);
                const long wi = long(ow * g.stride_w + j * g.dilation_w) - long(g.pad_w);
                if (hi < 0 || wi < 0 || hi >= long(h) || wi >= long(wd)) continue;
                const std::size_t ic = (oc / og) * cg + c;
                dx(b, ic, std::size_t(hi), std::size_t(wi)) += u(b, oc, oh, ow) * w(oc, c, i, j);
                dw(oc, c, i, j) += u(b, oc, oh, ow) * x(b, ic, std::size_t(hi), std::size_t(wi));
              }
  return {dx, dw};
}

struct Case {
  const char* name;
  Shape x, w;
  Conv2dGeometry g;
};

Conv2dGeometry geometry(std::size_t sh, std::size_t sw, std::size_t ph, std::size_t pw, std::size_t dh, std::size_t dw,
                        std::size_t groups) {
  return {sh, sw, ph, pw, dh, dw, groups};
}

const std::vector<Case> cases = {
    {"plain 3x3", {2, 3, 5, 6}, {4, 3, 3, 3}, {}},
    {"stride 2", {2, 3, 7, 6}, {4, 3, 3, 3}, geometry(2, 2, 0, 0, 1, 1, 1)},
    {"padding 1", {2, 3, 5, 5}, {2, 3, 3, 3}, geometry(1, 1, 1, 1, 1, 1, 1)},
    {"stride 2 padding 1", {1, 2, 6, 7}, {3, 2, 3, 3}, geometry(2, 2, 1, 1, 1, 1, 1)},
    {"dilation 2", {2, 2, 7, 8}, {3, 2, 3, 3}, geometry(1, 1, 0, 0, 2, 2, 1)},
    {"dilation 2 padding 2", {1, 2, 6, 6}, {3, 2, 3, 3}, geometry(1, 1, 2, 2, 2, 2, 1)},
    {"groups 2", {2, 4, 5, 5}, {6, 2, 3, 3}, geometry(1, 1, 1, 1, 1, 1, 2)},
    {"depthwise", {2, 3, 5, 6}, {3, 1, 3, 3}, geometry(1, 1, 1, 1, 1, 1, 3)},
    {"depthwise multiplier 2", {2, 3, 5, 5}, {6, 1, 3, 3}, geometry(2, 2, 1, 1, 1, 1, 3)},
    {"non-square everything", {2, 3, 7, 9}, {4, 3, 2, 3}, geometry(2, 1, 1, 0, 1, 2, 1)},
    {"all at once", {2, 4, 9, 8}, {4, 2, 3, 2}, geometry(2, 3, 2, 1, 2, 1, 2)},
    {"1x1 kernel, stride 2 skips inputs", {2, 3, 5, 5}, {2, 3, 1, 1}, geometry(2, 2, 0, 0, 1, 1, 1)},
    {"kernel equals padded input", {1, 2, 3, 4}, {2, 2, 5, 4}, geometry(1, 1, 1, 0, 1, 1, 1)},
};

void expect_ok(const std::string& name, const MultiFunction<double>& f, const std::vector<Tensor<double>>& at) {
  const CheckReport r = check_op(name, f, at);
  INFO(r.summary());
  CHECK(r.ok);
}

Shape output_shape(const Case& c) {
  const Tensor<double> y = direct_conv(zeros_of<double>(c.x), zeros_of<double>(c.w), c.g);
  return shape_of(y);
}

}  // namespace

TEST_CASE("conv2d values match a direct convolution") {
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    INFO(c.name);
    const Tensor<double> x = uniform(c.x, -1, 1, 100 + k), w = uniform(c.w, -1, 1, 200 + k);
    Tape<double> tape;
    const Tensor<double> y = conv2d(tape.variable(x), tape.variable(w), c.g).value();
    const Tensor<double> expected = direct_conv(x, w, c.g);
    REQUIRE(shape_of(y) == shape_of(expected));
    CHECK(max_abs_diff(y, expected) < 1e-12);
  }
}

TEST_CASE("conv2d gradients match the direct convolution's") {
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    INFO(c.name);
    const Tensor<double> x = uniform(c.x, -1, 1, 100 + k), w = uniform(c.w, -1, 1, 200 + k);
    const Tensor<double> u = uniform(output_shape(c), -1, 1, 900 + k);
    Tape<double> tape;
    const V xv = tape.variable(x), wv = tape.variable(w);
    const std::vector<Tensor<double>> g = backward(conv2d(xv, wv, c.g), u, std::span<const V>(Vs{xv, wv}));
    const auto [dx, dw] = direct_conv_grads(x, w, u, c.g);
    CHECK(max_abs_diff(g[0], dx) < 1e-12);
    CHECK(max_abs_diff(g[1], dw) < 1e-12);
  }
}

TEST_CASE("conv2d on a batch done in several runs of images") {
  // 23 images of 9 x 256 column entries per group exceed one column buffer
  // (2^15 entries): the batch goes in uneven runs (12 + 11 images), each run
  // in both groups, and the weight gradient sums over the runs.
  const Conv2dGeometry g = geometry(1, 1, 1, 1, 1, 1, 2);
  const Tensor<double> x = uniform({23, 2, 16, 16}, -1, 1, 1), w = uniform({4, 1, 3, 3}, -1, 1, 2);
  const Tensor<double> u = uniform({23, 4, 16, 16}, -1, 1, 3);
  Tape<double> tape;
  const V xv = tape.variable(x), wv = tape.variable(w);
  const V y = conv2d(xv, wv, g);
  CHECK(max_abs_diff(y.value(), direct_conv(x, w, g)) < 1e-12);
  const std::vector<Tensor<double>> grads = backward(y, u, std::span<const V>(Vs{xv, wv}));
  const auto [dx, dw] = direct_conv_grads(x, w, u, g);
  CHECK(max_abs_diff(grads[0], dx) < 1e-12);
  CHECK(max_abs_diff(grads[1], dw) < 1e-10);
  expect_ok("conv2d in runs", [g](const Vs& v) { return conv2d(v[0], v[1], g); }, {x, w});
}

TEST_CASE("conv2d in float (sgemm) agrees with double") {
  const Case& c = cases[10];
  const Tensor<double> x = uniform(c.x, -1, 1, 1), w = uniform(c.w, -1, 1, 2);
  Tape<float> tape;
  const Tensor<float> y = conv2d(tape.variable(Tensor<float>(xt::cast<float>(x))),
                                 tape.variable(Tensor<float>(xt::cast<float>(w))), c.g).value();
  CHECK(max_abs_diff(Tensor<double>(xt::cast<double>(y)), direct_conv(x, w, c.g)) < 1e-5);
}

TEST_CASE("conv2d derivatives in both inputs at once, for every geometry") {
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    const Conv2dGeometry g = c.g;
    expect_ok(std::string("conv2d ") + c.name, [g](const Vs& v) { return conv2d(v[0], v[1], g); },
              {uniform(c.x, -1, 1, 300 + k), uniform(c.w, -1, 1, 400 + k)});
  }
}

TEST_CASE("conv2d's adjoint operations have correct derivatives of their own") {
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const Case& c = cases[k];
    const Conv2dGeometry g = c.g;
    const Shape y = output_shape(c);
    const std::size_t h = c.x[2], w = c.x[3], kh = c.w[2], kw = c.w[3];
    expect_ok(std::string("conv2d_input_grad ") + c.name,
              [=](const Vs& v) { return conv2d_input_grad(v[0], v[1], h, w, g); },
              {uniform(y, -1, 1, 500 + k), uniform(c.w, -1, 1, 600 + k)});
    expect_ok(std::string("conv2d_weight_grad ") + c.name,
              [=](const Vs& v) { return conv2d_weight_grad(v[0], v[1], kh, kw, g); },
              {uniform(y, -1, 1, 700 + k), uniform(c.x, -1, 1, 800 + k)});
  }
}

TEST_CASE("conv2d's adjoints are the transposes of conv2d") {
  // <g, conv2d(x, w)> = <x, input_grad(g, w)> = <w, weight_grad(g, x)>.
  const Case& c = cases[10];
  const Shape ys = output_shape(c);
  Tape<double> tape;
  const V x = tape.variable(uniform(c.x, -1, 1, 1)), w = tape.variable(uniform(c.w, -1, 1, 2));
  const V g = tape.variable(uniform(ys, -1, 1, 3));
  const double a = sum(g * conv2d(x, w, c.g)).value()();
  const double b = sum(x * conv2d_input_grad(g, w, c.x[2], c.x[3], c.g)).value()();
  const double d = sum(w * conv2d_weight_grad(g, x, c.w[2], c.w[3], c.g)).value()();
  CHECK(a == doctest::Approx(b).epsilon(1e-12));
  CHECK(a == doctest::Approx(d).epsilon(1e-12));
}

TEST_CASE("conv2d Hessian-vector products: forward over reverse, reverse over reverse, differences") {
  // A squared-output loss of one conv layer in (x, w) jointly: its Hessian
  // runs through conv2d's recorded vjp, i.e. the adjoint rules' own rules.
  const Case& c = cases[10];
  const std::size_t nx = shape_size(c.x), nw = shape_size(c.w);
  const Conv2dGeometry g = c.g;
  const Function<double> loss = [&](const V& theta) {
    const V y = conv2d(segment(theta, 0, c.x), segment(theta, nx, c.w), g);
    return sum(square(y) * y) / 10.0;
  };
  const Tensor<double> theta = uniform({nx + nw}, -1, 1, 4), v = uniform({nx + nw}, -1, 1, 5);
  const double h = 1e-5;
  const Tensor<double> fd = (value_and_grad<double>(loss, theta + h * v).second -
                             value_and_grad<double>(loss, theta - h * v).second) /
                            (2 * h);
  const Tensor<double> forward = hvp<double>(loss, theta, v), reverse = hvp_reverse<double>(loss, theta, v);
  CHECK(max_abs_diff(forward, fd) < 1e-6);
  CHECK(max_abs_diff(reverse, fd) < 1e-6);
  CHECK(max_abs_diff(forward, reverse) < 1e-10);
}

TEST_CASE("conv2d is exact over the rationals") {
  const Case& c = cases[10];
  const auto fractions = [](const Shape& s, long seed) {
    Tensor<Q> t = Tensor<Q>::from_shape(s);
    long k = seed;
    for (auto& v : t) {
      v = Q(k % 11 - 5, k % 7 + 1);
      k = (k * 37 + 13) % 1009;
    }
    return t;
  };
  const Tensor<Q> x = fractions(c.x, 3), w = fractions(c.w, 5);
  const Shape ys = output_shape(c);
  const Tensor<Q> u = fractions(ys, 7), vx = fractions(c.x, 11), vw = fractions(c.w, 13);

  Tape<Q> tape;
  const Var<Q> xv = tape.variable(x), wv = tape.variable(w);
  const Var<Q> y = conv2d(xv, wv, c.g);
  CHECK(y.value() == direct_conv(x, w, c.g));

  // Bilinear: <u, conv(vx, w)> = <vjp_x(u), vx> and <u, conv(x, vw)> = <vjp_w(u), vw>, exactly.
  const std::vector<Tensor<Q>> grads = backward(y, u, std::span<const Var<Q>>(std::vector<Var<Q>>{xv, wv}));
  const auto dot = [](const Tensor<Q>& a, const Tensor<Q>& b) {
    Q s(0);
    for (std::size_t i = 0; i < a.size(); ++i) s += a.flat(i) * b.flat(i);
    return s;
  };
  CHECK(dot(u, direct_conv(vx, w, c.g)) == dot(grads[0], vx));
  CHECK(dot(u, direct_conv(x, vw, c.g)) == dot(grads[1], vw));
}

TEST_CASE("conv2d shape errors name the operation and both shapes") {
  Tape<double> tape;
  const auto var = [&](const Shape& s) { return tape.variable(zeros_of<double>(s)); };
  const auto fails = [&](const Shape& xs, const Shape& ws, const Conv2dGeometry& g, const char* why) {
    INFO(why);
    const V x = var(xs), w = var(ws);
    const std::string both = "conv2d: input " + shape_string(xs) + " and weight " + shape_string(ws);
    CHECK_THROWS_WITH_AS(conv2d(x, w, g), doctest::Contains(both.c_str()), ShapeError);
    CHECK_THROWS_WITH_AS(conv2d(x, w, g), doctest::Contains(why), ShapeError);
  };
  fails({3, 5, 5}, {4, 3, 3, 3}, {}, "4-D");
  fails({1, 3, 5, 5}, {4, 3, 3}, {}, "4-D");
  fails({1, 3, 5, 5}, {4, 2, 3, 3}, {}, "3 channels");
  fails({1, 3, 5, 5}, {4, 1, 3, 3}, geometry(1, 1, 0, 0, 1, 1, 2), "the weight expects 1 per group x 2 groups");
  fails({1, 4, 5, 5}, {3, 2, 3, 3}, geometry(1, 1, 0, 0, 1, 1, 2), "3 output channels are not divisible by groups = 2");
  fails({1, 3, 5, 5}, {4, 3, 6, 3}, {}, "larger than the padded input 5x5");
  fails({1, 3, 5, 5}, {4, 3, 3, 3}, geometry(1, 1, 0, 0, 3, 1, 1), "larger than the padded input");
  fails({1, 3, 5, 5}, {4, 3, 3, 3}, geometry(0, 1, 0, 0, 1, 1, 1), "must be positive");
  CHECK_THROWS_AS(conv2d_input_grad(var({1, 4, 3, 3}), var({4, 3, 3, 3}), 6, 5, {}), ShapeError);
  CHECK_THROWS_AS(conv2d_input_grad(var({1, 5, 3, 3}), var({4, 3, 3, 3}), 5, 5, {}), ShapeError);
  CHECK_THROWS_AS(conv2d_weight_grad(var({1, 4, 3, 3}), var({1, 3, 5, 5}), 2, 3, {}), ShapeError);
  CHECK_THROWS_AS(conv2d_weight_grad(var({2, 4, 3, 3}), var({1, 3, 5, 5}), 3, 3, {}), ShapeError);
}

TEST_CASE("conv2d gradients of an empty batch are empty") {
  Tape<double> tape;
  const V x = tape.variable(zeros_of<double>({0, 2, 4, 4})), w = tape.variable(uniform({3, 2, 3, 3}, -1, 1, 1));
  const V y = conv2d(x, w, geometry(1, 1, 1, 1, 1, 1, 1));
  CHECK(y.shape() == Shape{0, 3, 4, 4});
  const std::vector<Tensor<double>> g = backward(y, zeros_of<double>({0, 3, 4, 4}), std::span<const V>(Vs{x, w}));
  CHECK(shape_of(g[1]) == Shape{3, 2, 3, 3});
  CHECK(max_abs_diff(g[1], zeros_of<double>({3, 2, 3, 3})) == 0.0);
}
