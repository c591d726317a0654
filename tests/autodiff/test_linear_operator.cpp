// The one rule for a linear operator known by its two products: its value, and
// its derivatives in both modes and at second order through check_op, on
// explicit matrices whose products are written out by hand.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::uniform;

namespace {

// The operator of an explicit row-major matrix m [rows, cols]; with `wrong_transpose`
// its transpose product is off (the transpose of a different matrix), as a user's bug would be.
template <class T>
std::shared_ptr<const LinearOperator<T>> matrix_operator(const Tensor<T>& m, bool wrong_transpose = false) {
  const std::size_t rows = m.shape()[0], cols = m.shape()[1];
  auto product = [m, rows, cols](std::span<const T> x, std::span<T> y) {
    for (std::size_t i = 0; i < rows; ++i) {
      T s = 0;
      for (std::size_t j = 0; j < cols; ++j) s += m(i, j) * x[j];
      y[i] = s;
    }
  };
  auto transpose = [m, rows, cols, wrong_transpose](std::span<const T> g, std::span<T> x) {
    for (std::size_t j = 0; j < cols; ++j) {
      T s = 0;
      for (std::size_t i = 0; i < rows; ++i) s += m(i, j) * g[i] * (wrong_transpose && i == 0 ? T(2) : T(1));
      x[j] = s;
    }
  };
  return make_linear_operator<T>("matrix", rows, cols, product, transpose);
}

}  // namespace

TEST_CASE("linear operator: value is A x, unbatched and batched") {
  const Tensor<double> m = uniform({5, 3}, -1, 1, 1);
  const auto a = matrix_operator(m);
  const Tensor<double> x = uniform({3}, -1, 1, 2), xs = uniform({4, 3}, -1, 1, 3);
  Tape<double> tape;
  const Tensor<double> y = apply_operator(a, tape.constant(x)).value();
  const Tensor<double> ys = apply_operator(a, tape.constant(xs)).value();
  REQUIRE(shape_of(y) == Shape{5});
  REQUIRE(shape_of(ys) == Shape{4, 5});
  for (std::size_t i = 0; i < 5; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < 3; ++j) s += m(i, j) * x(j);
    CHECK(y(i) == doctest::Approx(s).epsilon(1e-14));
    for (std::size_t n = 0; n < 4; ++n) {
      double t = 0;
      for (std::size_t j = 0; j < 3; ++j) t += m(i, j) * xs(n, j);
      CHECK(ys(n, i) == doctest::Approx(t).epsilon(1e-14));
    }
  }
  const Tensor<double> g = uniform({5}, -1, 1, 4);
  const Tensor<double> back = apply_operator_transpose(*a, g);
  for (std::size_t j = 0; j < 3; ++j) {
    double s = 0;
    for (std::size_t i = 0; i < 5; ++i) s += m(i, j) * g(i);
    CHECK(back(j) == doctest::Approx(s).epsilon(1e-14));
  }
}

TEST_CASE("linear operator: check_op in both modes and at second order") {
  const auto a = matrix_operator<double>(uniform({6, 4}, -1, 1, 5));
  CheckOptions options;
  options.output_shape = Shape{6};
  const auto plain = [a](const std::vector<Var<double>>& x) { return apply_operator(a, x[0]); };
  const CheckReport r = check_op<double>("linear operator", plain, {uniform({4}, -1, 1, 6)}, options);
  INFO(r.summary());
  CHECK(r.ok);

  options.output_shape = Shape{3, 6};
  const CheckReport rb = check_op<double>("linear operator batched", plain, {uniform({3, 4}, -1, 1, 7)}, options);
  INFO(rb.summary());
  CHECK(rb.ok);

  // theta0 + A d through a nonlinearity: the shape subspace training has, with a
  // second derivative that is not zero, so reverse over reverse is exercised.
  options.output_shape = Shape{6};
  const auto subspace = [a](const std::vector<Var<double>>& x) { return tanh(x[1] + apply_operator(a, x[0])); };
  const CheckReport rs =
      check_op<double>("theta0 + A d", subspace, {uniform({4}, -1, 1, 8), uniform({6}, -1, 1, 9)}, options);
  INFO(rs.summary());
  CHECK(rs.ok);
}

TEST_CASE("linear operator: check_op in float") {
  const auto a = matrix_operator<float>(uniform<float>({5, 3}, -1, 1, 10));
  CheckOptions options;
  options.step = 1e-2;
  options.tolerance = 5e-3;
  const CheckReport r = check_op<float>(
      "linear operator float", [a](const std::vector<Var<float>>& x) { return sin(apply_operator(a, x[0])); },
      {uniform<float>({3}, -1, 1, 11)}, options);
  INFO(r.summary());
  CHECK(r.ok);
}

TEST_CASE("linear operator: a wrong transpose product fails check_op") {
  const auto a = matrix_operator<double>(uniform({4, 3}, -1, 1, 12), true);
  const CheckReport r = check_op<double>(
      "wrong transpose", [a](const std::vector<Var<double>>& x) { return apply_operator(a, x[0]); },
      {uniform({3}, -1, 1, 13)});
  CHECK_FALSE(r.ok);
  CHECK(r.reverse_vs_differences > 1e-3);
}

TEST_CASE("linear operator: shapes that do not fit are ShapeErrors") {
  const auto a = matrix_operator<double>(uniform({4, 3}, -1, 1, 14));
  Tape<double> tape;
  CHECK_THROWS_AS(apply_operator(a, tape.constant(uniform({4}, -1, 1, 15))), ShapeError);
  CHECK_THROWS_AS(apply_operator(a, tape.constant(uniform({2, 2, 3}, -1, 1, 16))), ShapeError);
  CHECK_THROWS_AS(apply_operator_transpose(*a, uniform({3}, -1, 1, 17)), ShapeError);
  CHECK_THROWS_AS(make_linear_operator<double>("half", 2, 2, nullptr, nullptr), std::invalid_argument);
}
