// adaptive_avg_pool2d: values and gradients against PyTorch 1.13
// (torch.nn.functional.adaptive_avg_pool2d, float64), derivatives with check_op,
// exact rationals, and shape errors.
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

Tensor<double> flat(const Tensor<double>& t) {
  Tensor<double> r = t;
  r.reshape({t.size()});
  return r;
}

// The value and the gradient of sum(pool(x) * [1, 2, 3, ...]) at the 4x5 ramp 0, 1, ..., 19.
std::pair<Tensor<double>, Tensor<double>> ramp_value_and_weighted_grad(Size2d output) {
  Tape<double> tape;
  Tensor<double> ramp = xt::arange<double>(20.0);
  ramp.reshape({1, 1, 4, 5});
  const V x = tape.variable(ramp);
  const V y = adaptive_avg_pool2d(x, output);
  Tensor<double> seed = xt::arange<double>(1.0, double(y.size()) + 1.0);
  seed.reshape(shape_of(y.value()));
  return {flat(y.value()), flat(backward(y, seed, std::span<const V>(Vs{x}))[0])};
}

void expect_ok(const std::string& name, const MultiFunction<double>& f, const std::vector<Tensor<double>>& at) {
  const CheckReport r = check_op(name, f, at);
  INFO(r.summary());
  CHECK(r.ok);
}

}  // namespace

TEST_CASE("adaptive_avg_pool2d matches torch: uneven, overlapping and repeating windows") {
  {  // rows [0,2), [1,3), [2,4); columns [0,3), [2,5): overlapping windows
    const auto [y, g] = ramp_value_and_weighted_grad({3, 2});
    CHECK(max_abs_diff(y, Tensor<double>{3.5, 5.5, 8.5, 10.5, 13.5, 15.5}) < 1e-14);
    CHECK(max_abs_diff(g, Tensor<double>{1.0 / 6, 1.0 / 6, 0.5, 1.0 / 3, 1.0 / 3, 2.0 / 3, 2.0 / 3, 5.0 / 3, 1, 1,
                                         4.0 / 3, 4.0 / 3, 3, 5.0 / 3, 5.0 / 3, 5.0 / 6, 5.0 / 6, 11.0 / 6, 1, 1}) < 1e-14);
  }
  {  // more output columns than input columns: inputs repeat
    const auto [y, g] = ramp_value_and_weighted_grad({3, 7});
    CHECK(y.size() == 21);
    CHECK(max_abs_diff(y, Tensor<double>{2.5, 3, 4, 4.5, 5, 6, 6.5, 7.5, 8, 9, 9.5, 10, 11, 11.5, 12.5, 13, 14, 14.5,
                                         15, 16, 16.5}) < 1e-14);
    CHECK(max_abs_diff(g, Tensor<double>{1, 1.25, 4, 2.75, 5, 7.25, 6, 15, 9, 15.25, 17.75, 13, 29, 16, 25.75, 11.5,
                                         8.25, 18, 9.75, 15.5}) < 1e-13);
  }
  {  // 1x1: the global average
    const auto [y, g] = ramp_value_and_weighted_grad(1);
    CHECK(max_abs_diff(y, Tensor<double>{9.5}) < 1e-14);
    CHECK(max_abs_diff(g, Tensor<double>(xt::ones<double>({20}) * 0.05)) < 1e-15);
  }
}

TEST_CASE("adaptive_avg_pool2d derivatives with check_op") {
  const Tensor<double> x = uniform({2, 3, 7, 6}, -1, 1, 5);
  expect_ok("adaptive_avg_pool2d 3x4", [](const Vs& v) { return adaptive_avg_pool2d(v[0], {3, 4}); }, {x});
  expect_ok("adaptive_avg_pool2d 1", [](const Vs& v) { return adaptive_avg_pool2d(v[0], 1); }, {x});
  expect_ok("adaptive_avg_pool2d larger than the input", [](const Vs& v) { return adaptive_avg_pool2d(v[0], {9, 6}); },
            {x});
  expect_ok("adaptive_avg_pool2d squared", [](const Vs& v) { return square(adaptive_avg_pool2d(v[0], {2, 5})); }, {x});
}

TEST_CASE("adaptive_avg_pool2d is exact over the rationals") {
  Tensor<Q> x = Tensor<Q>::from_shape({1, 1, 4, 5});
  for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = Q(static_cast<long>(i));
  Tape<Q> tape;
  const Var<Q> xv = tape.variable(x);
  const Tensor<Q> y = adaptive_avg_pool2d(xv, {3, 2}).value();
  const Tensor<Q> expected{Q(7, 2), Q(11, 2), Q(17, 2), Q(21, 2), Q(27, 2), Q(31, 2)};
  for (std::size_t i = 0; i < expected.size(); ++i) CHECK(y.flat(i) == expected.flat(i));
  const Tensor<Q> g = grad(sum(adaptive_avg_pool2d(xv, {3, 2})), xv);
  CHECK(g(0, 0, 0, 0) == Q(1, 6));  // one window of six cells
  CHECK(g(0, 0, 1, 2) == Q(2, 3));  // four windows: two row windows times two column windows
}

TEST_CASE("adaptive_avg_pool2d shape errors") {
  Tape<double> tape;
  CHECK_THROWS_WITH_AS(adaptive_avg_pool2d(tape.variable(zeros_of<double>({2, 4, 5})), 2),
                       doctest::Contains("expects a 4-D input"), ShapeError);
  CHECK_THROWS_WITH_AS(adaptive_avg_pool2d(tape.variable(zeros_of<double>({1, 2, 4, 5})), {0, 2}),
                       doctest::Contains("must be positive"), ShapeError);
}
