// The tape: reuse, invalidation, accumulation, deep graphs, and error messages.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;

TEST_CASE("a cleared tape is reused without reallocating and old Vars are refused") {
  Tape<double> tape;
  Var<double> x = tape.variable(Tensor<double>{1.0, 2.0});
  for (int i = 0; i < 50; ++i) x = x * x + 1.0;
  const std::size_t capacity = tape.capacity();
  tape.clear();
  CHECK(tape.size() == 0);
  CHECK(tape.capacity() == capacity);
  CHECK_FALSE(x.valid());
  CHECK_THROWS_WITH_AS(x.value(), doctest::Contains("no longer exists"), std::logic_error);
  CHECK_THROWS_AS(exp(x), std::logic_error);
  const Var<double> y = tape.variable(Tensor<double>{3.0});
  CHECK(y.valid());
  CHECK(tape.capacity() == capacity);
}

TEST_CASE("rewind drops later nodes and invalidates their Vars only") {
  Tape<double> tape;
  const Var<double> x = tape.variable(Tensor<double>{2.0});
  const std::size_t mark = tape.size();
  const Var<double> y = x * x;
  tape.rewind(mark);
  CHECK(x.valid());
  CHECK_FALSE(y.valid());
  // A new node at the same index is a different node: the old handle stays invalid.
  const Var<double> z = x + x;
  CHECK(z.index() == y.index());
  CHECK_FALSE(y.valid());
  CHECK(z.value()(0) == 4.0);
}

TEST_CASE("an empty Var and Vars of two tapes are errors") {
  Var<double> empty;
  CHECK_THROWS_AS(empty.value(), std::logic_error);
  Tape<double> a, b;
  const Var<double> x = a.variable(Tensor<double>{1.0});
  const Var<double> y = b.variable(Tensor<double>{1.0});
  CHECK_THROWS_WITH_AS(x + y, doctest::Contains("different tapes"), std::logic_error);
  CHECK_THROWS_AS(grad(sum(x), y), std::logic_error);
}

TEST_CASE("gradients accumulate where a value is used more than once") {
  Tape<double> tape;
  const Var<double> x = tape.variable(Tensor<double>{3.0});
  const Var<double> y = x * x * x + x;  // dy/dx = 3x^2 + 1 = 28
  CHECK(grad(y, x)(0) == doctest::Approx(28.0));
  const Var<double> z = x;  // the same node through two handles
  CHECK(grad(x * z, x)(0) == doctest::Approx(6.0));
}

TEST_CASE("a chain of 100,000 operations does not overflow the stack") {
  Tape<double> tape;
  const Var<double> x = tape.variable(Tensor<double>{0.5});
  Var<double> y = x;
  for (int i = 0; i < 100000; ++i) y = y * 1.0 + 0.0;
  CHECK(tape.size() > 200000);
  CHECK(grad(y, x)(0) == doctest::Approx(1.0));
  // Forward mode over the same depth.
  const auto [value, tangent] = jvp<double>(
      [](const Var<double>& v) {
        Var<double> r = v;
        for (int i = 0; i < 100000; ++i) r = r + 1.0;
        return r;
      },
      Tensor<double>{0.0}, Tensor<double>{2.0});
  CHECK(value(0) == 100000.0);
  CHECK(tangent(0) == 2.0);
}

TEST_CASE("shape errors name the operation and both shapes") {
  Tape<double> tape;
  const Var<double> a = tape.variable(Tensor<double>::from_shape({2, 3}));
  const Var<double> b = tape.variable(Tensor<double>::from_shape({4, 5}));
  CHECK_THROWS_WITH_AS(a + b, doctest::Contains("add: shapes [2, 3] and [4, 5] do not broadcast"), ShapeError);
  CHECK_THROWS_WITH_AS(matmul(a, b), doctest::Contains("matmul: inner dimensions differ: [2, 3] @ [4, 5]"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(reshape(a, Shape{4}), doctest::Contains("cannot reshape [2, 3]"), ShapeError);
  CHECK_THROWS_WITH_AS(sum(a, 2), doctest::Contains("axis 2 is out of range"), ShapeError);
  CHECK_THROWS_WITH_AS(slice(a, 1, 2, 5), doctest::Contains("slice: range 2:5:1"), ShapeError);
  CHECK_THROWS_WITH_AS(concat(std::vector<Var<double>>{a, b}, 0), doctest::Contains("concat: shapes [2, 3] and [4, 5]"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(segment(b, 0, Shape{2}), doctest::Contains("1-D"), ShapeError);
  CHECK_THROWS_WITH_AS(grad(a * 2.0, a), doctest::Contains("one element"), ShapeError);
  CHECK_THROWS_AS(tape.set_tangent(a, Tensor<double>::from_shape({3, 2})), ShapeError);
}

TEST_CASE("a gradient is asked only of what lies between output and inputs") {
  Tape<double> tape;
  const Var<double> x = tape.variable(Tensor<double>{1.0, 2.0});
  const Var<double> unrelated = tape.variable(Tensor<double>{5.0});
  const Var<double> c = tape.constant(Tensor<double>{10.0, 20.0});
  const Var<double> y = sum(x * c);
  const std::array<Var<double>, 3> wrt{x, unrelated, c};
  const auto g = grad(y, std::span<const Var<double>>(wrt));
  CHECK(g[0](0) == 10.0);
  CHECK(g[0](1) == 20.0);
  CHECK(g[1](0) == 0.0);     // no path: zeros of the right shape
  CHECK(g[2].size() == 2);   // a constant gets zeros, never a gradient
  CHECK(g[2](0) == 0.0);
}
