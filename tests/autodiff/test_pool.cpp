// max_pool2d and avg_pool2d: values and gradients against numbers computed by
// PyTorch 1.13 (torch.nn.functional, float64), derivatives with check_op,
// second order through the recorded rules, exact rationals, and shape errors.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/autodiff/window_extent.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;
using V = Var<double>;
using Vs = std::vector<V>;
using Q = Rational;

namespace {

// Has ties, so it checks that the first maximum of a window gets the gradient.
const Tensor<double> ties = Tensor<double>{{1, 3, 3, 0, 2}, {3, 1, 2, 2, 2}, {0, 0, 1, 3, 1}, {2, 2, 0, 1, 3}};
const Tensor<double> ramp = Tensor<double>(xt::arange<double>(20.0));

Tensor<double> image(const Tensor<double>& t) {
  Tensor<double> r = t;
  r.reshape({1, 1, 4, 5});
  return r;
}

Tensor<double> flat(const Tensor<double>& t) {
  Tensor<double> r = t;
  r.reshape({t.size()});
  return r;
}

// The value and the gradient of sum(pool(x) * [1, 2, 3, ...]).
template <class Pool>
std::pair<Tensor<double>, Tensor<double>> value_and_weighted_grad(const Tensor<double>& x, Pool pool) {
  Tape<double> tape;
  const V xv = tape.variable(x);
  const V y = pool(xv);
  const Tensor<double> u = xt::arange<double>(1.0, double(y.size()) + 1.0);
  Tensor<double> seed = u;
  seed.reshape(shape_of(y.value()));
  const Tensor<double> g = backward(y, seed, std::span<const V>(Vs{xv}))[0];
  return {flat(y.value()), flat(g)};
}

void expect_ok(const std::string& name, const MultiFunction<double>& f, const std::vector<Tensor<double>>& at) {
  const CheckReport r = check_op(name, f, at);
  INFO(r.summary());
  CHECK(r.ok);
}

}  // namespace

TEST_CASE("max_pool2d matches torch, ties going to the first maximum") {
  {
    const auto [y, g] = value_and_weighted_grad(image(ties), [](const V& x) { return max_pool2d(x, 3, 2, 1); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 3, 2, 3, 3, 3}) == 0.0);
    CHECK(max_abs_diff(g, Tensor<double>{0, 3, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0}) == 0.0);
  }
  {
    const auto [y, g] = value_and_weighted_grad(image(ties), [](const V& x) { return max_pool2d(x, 2, 1, 0); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 3, 3, 2, 3, 2, 3, 3, 2, 2, 3, 3}) == 0.0);
    CHECK(max_abs_diff(g, Tensor<double>{0, 3, 3, 0, 4, 5, 0, 6, 0, 0, 0, 0, 0, 38, 0, 9, 10, 0, 0, 0}) == 0.0);
  }
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ties), [](const V& x) { return max_pool2d(x, {2, 3}, {1, 2}, {1, 1}); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 3, 2, 3, 3, 2, 3, 3, 3, 2, 3, 3, 2, 2, 3}) == 0.0);
    CHECK(max_abs_diff(g, Tensor<double>{0, 12, 0, 0, 9, 7, 0, 0, 0, 0, 0, 0, 0, 40, 0, 23, 14, 0, 0, 15}) == 0.0);
  }
}

TEST_CASE("max_pool2d pads with -inf") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>(-ramp - 1.0));
  const Tensor<double> y = max_pool2d(reshape(x, Shape{1, 1, 4, 5}), 2, 2, 1).value();
  CHECK(y(0, 0, 0, 0) == -1.0);  // a window of one real input and three padding cells
  CHECK(y(0, 0, 2, 2) == -19.0);  // the last row, columns 3 and 4, and padding
}

TEST_CASE("avg_pool2d matches torch with and without counting padding") {
  Tape<double> tape;
  const V x = tape.variable(image(ramp));
  CHECK(max_abs_diff(flat(avg_pool2d(x, 3, 2, 1).value()),
                     Tensor<double>{4.0 / 3, 3, 8.0 / 3, 7, 12, 9}) < 1e-15);
  CHECK(max_abs_diff(flat(avg_pool2d(x, 3, 2, 1, false).value()), Tensor<double>{3, 4.5, 6, 10.5, 12, 13.5}) < 1e-15);
  const V y = avg_pool2d(x, {2, 3}, {1, 2}, {1, 1});
  CHECK(y.shape() == Shape{1, 1, 5, 3});
  CHECK(max_abs_diff(flat(y.value()), Tensor<double>{1.0 / 6, 1, 7.0 / 6, 2, 4.5, 4, 16.0 / 3, 9.5, 22.0 / 3, 26.0 / 3,
                                                     14.5, 32.0 / 3, 31.0 / 6, 8.5, 37.0 / 6}) < 1e-14);
  CHECK(max_abs_diff(flat(avg_pool2d(x, {2, 3}, {1, 2}, {1, 1}, false).value()),
                     Tensor<double>{0.5, 2, 3.5, 3, 4.5, 6, 8, 9.5, 11, 13, 14.5, 16, 15.5, 17, 18.5}) < 1e-14);
}

TEST_CASE("pooling derivatives with check_op") {
  const Tensor<double> x = uniform({2, 3, 7, 6}, -1, 1, 1);
  expect_ok("max_pool2d 2", [](const Vs& v) { return max_pool2d(v[0], 2, 2); }, {x});
  expect_ok("max_pool2d 3 stride 2 pad 1", [](const Vs& v) { return max_pool2d(v[0], 3, 2, 1); }, {x});
  expect_ok("max_pool2d overlapping non-square", [](const Vs& v) { return max_pool2d(v[0], {3, 2}, {1, 2}, {1, 0}); },
            {x});
  expect_ok("avg_pool2d 2", [](const Vs& v) { return avg_pool2d(v[0], 2, 2); }, {x});
  expect_ok("avg_pool2d 3 stride 2 pad 1", [](const Vs& v) { return avg_pool2d(v[0], 3, 2, 1); }, {x});
  expect_ok("avg_pool2d without padding in the count",
            [](const Vs& v) { return avg_pool2d(v[0], 3, 2, 1, false); }, {x});
  expect_ok("avg_pool2d overlapping non-square",
            [](const Vs& v) { return avg_pool2d(v[0], {3, 2}, {1, 2}, {1, 1}, false); }, {x});
  expect_ok("pooling after a pooling",
            [](const Vs& v) { return avg_pool2d(max_pool2d(v[0], 2, 1), 2, 2); }, {x});
}

TEST_CASE("pooling Hessian-vector products: forward over reverse, reverse over reverse, differences") {
  const Function<double> loss = [](const V& x) {
    return sum(square(max_pool2d(x, 3, 2, 1)) * avg_pool2d(x, 3, 2, 1, false));
  };
  const Tensor<double> x = uniform({2, 2, 5, 6}, -1, 1, 2), v = uniform({2, 2, 5, 6}, -1, 1, 3);
  const double h = 1e-6;
  const Tensor<double> fd =
      (value_and_grad<double>(loss, x + h * v).second - value_and_grad<double>(loss, x - h * v).second) / (2 * h);
  const Tensor<double> forward = hvp<double>(loss, x, v), reverse = hvp_reverse<double>(loss, x, v);
  CHECK(max_abs_diff(forward, fd) < 1e-6);
  CHECK(max_abs_diff(reverse, fd) < 1e-6);
  CHECK(max_abs_diff(forward, reverse) < 1e-12);
}

TEST_CASE("pooling is exact over the rationals") {
  Tensor<Q> x = Tensor<Q>::from_shape({1, 1, 4, 5});
  for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = Q(static_cast<long>(i));
  Tape<Q> tape;
  const Var<Q> xv = tape.variable(x);
  const Tensor<Q> avg = avg_pool2d(xv, 3, 2, 1).value();
  const Tensor<Q> expected{Q(4, 3), Q(3), Q(8, 3), Q(7), Q(12), Q(9)};
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(avg.flat(i) == expected.flat(i));

  // The gradient of the average: each window spreads 1/9 over its nine cells (padding included).
  const Tensor<Q> g = grad(sum(avg_pool2d(xv, 3, 2, 1)), xv);
  CHECK(g(0, 0, 0, 0) == Q(1, 9));
  CHECK(g(0, 0, 0, 2) == Q(1, 9));
  CHECK(g(0, 0, 1, 1) == Q(4, 9));  // in four windows
  CHECK(g(0, 0, 1, 3) == Q(4, 9));
  CHECK(g(0, 0, 3, 4) == Q(1, 9));

  Tensor<Q> tied = Tensor<Q>::from_shape({1, 1, 4, 5});
  for (std::size_t i = 0; i < tied.size(); ++i) tied.flat(i) = Q(static_cast<long>(ties.flat(i)), 3);
  const Var<Q> t = tape.variable(tied);
  const Var<Q> m = max_pool2d(t, 3, 2, 1);
  CHECK(m.value().flat(2) == Q(2, 3));
  const Tensor<Q> gm = grad(sum(m), t);
  CHECK(gm(0, 0, 0, 1) == Q(2));  // the first of the tied 3s, chosen by two windows
  CHECK(gm(0, 0, 0, 2) == Q(0));
}

TEST_CASE("pooling shape errors name the operation and the shape") {
  Tape<double> tape;
  const V x = tape.variable(zeros_of<double>({1, 2, 4, 5}));
  CHECK_THROWS_WITH_AS(max_pool2d(tape.variable(zeros_of<double>({2, 4, 5})), 2, 2),
                       doctest::Contains("max_pool2d: input [2, 4, 5]"), ShapeError);
  CHECK_THROWS_WITH_AS(avg_pool2d(x, 2, 2, 2), doctest::Contains("at most half the kernel"), ShapeError);
  CHECK_THROWS_WITH_AS(max_pool2d(x, 6, 1), doctest::Contains("larger than the padded input 4x5"), ShapeError);
  CHECK_THROWS_WITH_AS(avg_pool2d(x, {5, 3}, 1), doctest::Contains("avg_pool2d: input [1, 2, 4, 5] with kernel 5x3"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(max_pool2d(x, 2, 0), doctest::Contains("must be positive"), ShapeError);
  CHECK_THROWS_AS(max_pool2d(tape.variable(zeros_of<double>({1, 2, 0, 5})), 1, 1), ShapeError);
}

TEST_CASE("ceil_mode: torch's output size, the last window starting inside the input or left padding") {
  // (size, kernel, stride, padding) -> torch 1.13's ceil-mode and floor-mode output sizes.
  struct Case { std::size_t n, k, s, p, ceil, floor; };
  for (const Case c : {Case{5, 2, 2, 0, 3, 2}, Case{5, 3, 2, 1, 3, 3}, Case{6, 3, 2, 1, 4, 3}, Case{7, 3, 2, 0, 3, 3},
                       Case{112, 3, 2, 0, 56, 55}, Case{56, 3, 2, 0, 28, 27}, Case{4, 3, 3, 1, 2, 2},
                       Case{5, 2, 3, 1, 2, 2}}) {  // the last: ceil gives 3, but window 3 would start in the padding
    CAPTURE(c.n);
    CAPTURE(c.k);
    CAPTURE(c.s);
    CAPTURE(c.p);
    CHECK(window_extent(c.n, c.k, c.s, c.p, 1, "test", true) == c.ceil);
    CHECK(window_extent(c.n, c.k, c.s, c.p, 1, "test", false) == c.floor);
  }
}

TEST_CASE("ceil_mode pooling matches torch: values and gradients, overrunning windows included") {
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ties), [](const V& x) { return max_pool2d(x, 2, 2, 0, true); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 3, 2, 2, 3, 3}) == 0.0);
    CHECK(max_abs_diff(g, Tensor<double>{0, 1, 2, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 4, 0, 0, 0, 6}) == 0.0);
  }
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ties), [](const V& x) { return max_pool2d(x, 3, 2, 1, true); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 3, 2, 3, 3, 3, 2, 2, 3}) == 0.0);
    CHECK(max_abs_diff(g, Tensor<double>{0, 3, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0, 0, 11, 0, 7, 8, 0, 0, 9}) == 0.0);
  }
  // avg_pool2d: the divisor counts padding but not the overrun past the right padding (torch's rule).
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ramp), [](const V& x) { return avg_pool2d(x, 2, 2, 0, true, true); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 5, 6.5, 13, 15, 16.5}) < 1e-14);
    CHECK(max_abs_diff(g, Tensor<double>{0.25, 0.25, 0.5, 0.5, 1.5, 0.25, 0.25, 0.5, 0.5, 1.5, 1, 1, 1.25, 1.25, 3, 1,
                                         1, 1.25, 1.25, 3}) < 1e-14);
  }
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ramp), [](const V& x) { return avg_pool2d(x, 3, 2, 1, true, true); });
    CHECK(max_abs_diff(y, Tensor<double>{4.0 / 3, 3, 8.0 / 3, 7, 12, 9, 31.0 / 6, 8.5, 37.0 / 6}) < 1e-14);
    CHECK(max_abs_diff(g, Tensor<double>{1.0 / 9, 3.0 / 9, 2.0 / 9, 5.0 / 9, 3.0 / 9, 5.0 / 9, 12.0 / 9, 7.0 / 9,
                                         16.0 / 9, 1, 4.0 / 9, 1, 5.0 / 9, 11.0 / 9, 6.0 / 9, 29.0 / 18, 3.5, 17.0 / 9,
                                         73.0 / 18, 13.0 / 6}) < 1e-14);
  }
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ramp), [](const V& x) { return avg_pool2d(x, 3, 2, 1, false, true); });
    CHECK(max_abs_diff(y, Tensor<double>{3, 4.5, 6, 10.5, 12, 13.5, 15.5, 17, 18.5}) < 1e-14);
  }
  {
    const auto [y, g] =
        value_and_weighted_grad(image(ramp), [](const V& x) { return avg_pool2d(x, {2, 3}, 2, 1, true, true); });
    CHECK(max_abs_diff(y, Tensor<double>{1.0 / 6, 1, 7.0 / 6, 16.0 / 3, 9.5, 22.0 / 3, 31.0 / 6, 8.5, 37.0 / 6}) <
          1e-14);
  }
}

TEST_CASE("ceil_mode pooling derivatives with check_op") {
  const Tensor<double> x = uniform({2, 3, 7, 6}, -1, 1, 4);
  expect_ok("max_pool2d 2 ceil", [](const Vs& v) { return max_pool2d(v[0], 2, 2, 0, true); }, {x});
  expect_ok("max_pool2d 3 stride 2 ceil", [](const Vs& v) { return max_pool2d(v[0], 3, 2, 0, true); }, {x});
  expect_ok("avg_pool2d 2 ceil", [](const Vs& v) { return avg_pool2d(v[0], 2, 2, 0, true, true); }, {x});
  expect_ok("avg_pool2d 3 stride 2 pad 1 ceil", [](const Vs& v) { return avg_pool2d(v[0], 3, 2, 1, true, true); }, {x});
  expect_ok("avg_pool2d ceil without padding in the count",
            [](const Vs& v) { return avg_pool2d(v[0], {3, 2}, {2, 3}, {1, 0}, false, true); }, {x});
}
