// The operation contract at work: deliberately wrong rules that check_op must
// each reject, with a one-line cause, and the run-time checks (cotangent and
// tangent shapes, absent tangents) that turn a broken rule into an exception
// instead of memory corruption.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::uniform;
using V = Var<double>;
using Vs = std::vector<V>;

namespace {

// Identity whose vjp hands input 0 a cotangent that only broadcasts to it.
struct WrongCotangentShape {
  std::string name() const { return "wrong_cotangent_shape"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0]; }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    const Shape s = shape_of(g);  // [2, 3] in these tests
    out.add(0, broadcast_to(g, Shape{4, s[0], s[1]}));
  }
  template <class X> X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return dx[0]; }
};

// x0 * x1 whose jvp reads both tangents without asking whether they exist.
struct MissingTangentCheck {
  std::string name() const { return "missing_tangent_check"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0] * *x[1]; }
  template <class X> void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    out.add(0, X(g * *x[1]));
    out.add(1, X(g * *x[0]));
  }
  template <class X> X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return X(dx[0] * *x[1] + *x[0] * dx[1]); }
};

// x^2 with the sign of its derivative flipped in reverse mode.
struct WrongSign {
  std::string name() const { return "wrong_sign"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0] * *x[0]; }
  template <class X> void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    out.add(0, X(scalar_of_t<X>(-2) * g * *x[0]));
  }
  template <class X> X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return X(scalar_of_t<X>(2) * dx[0] * *x[0]); }
};

// y = W x for a fixed, non-symmetric W, whose vjp uses W where W^T belongs.
struct TransposedJacobian {
  Tensor<double> w;
  std::string name() const { return "transposed_jacobian"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return matmul(w, *x[0]); }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, matmul(lift(g, w), g));  // should be matmul(w, g, true, false)
  }
  template <class X> X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return matmul(lift(dx[0], w), dx[0]); }
};

// 3x whose vjp forgets the incoming cotangent g.
struct VjpIgnoresG {
  std::string name() const { return "vjp_ignores_g"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return T(3) * *x[0]; }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, X(scalar_of_t<X>(0) * g + scalar_of_t<X>(3)));
  }
  template <class X> X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return X(scalar_of_t<X>(3) * dx[0]); }
};

// Identity whose jvp returns a tangent of another shape.
struct WrongTangentShape {
  std::string name() const { return "wrong_tangent_shape"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0]; }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, g); }
  template <class X> X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return sum(dx[0]); }
};

// A rule with no jvp at all: the concept must say so at compile time.
struct NoJvp {
  std::string name() const { return "no_jvp"; }
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0]; }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, g); }
};
struct NoName {
  template <class T> Tensor<T> value(Args<Tensor<T>> x) const { return *x[0]; }
  template <class X> void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, g); }
  template <class X> X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return dx[0]; }
};

const Tensor<double> M = uniform({2, 3}, -1, 1, 31);

CheckReport check_rule_on_one(const auto& rule, const Tensor<double>& at) {
  return check_op("rule", [rule](const Vs& x) { return apply(rule, x[0]); }, {at});
}

bool mentions(const CheckReport& r, const std::string& text) {
  for (const std::string& f : r.failures)
    if (f.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("the contract concept accepts the built-in shape of a rule and rejects malformed ones") {
  static_assert(OperationRule<WrongSign, double>);  // well-formed, merely wrong
  static_assert(OperationRule<WrongSign, Rational>);
  static_assert(!RuleHasJvp<NoJvp, double>);
  static_assert(!OperationRule<NoJvp, double>);
  static_assert(!RuleHasName<NoName>);
  static_assert(RuleHasValue<NoName, double> && RuleHasVjp<NoName, double>);
}

TEST_CASE("a cotangent that only broadcasts to its input is a ShapeError naming op, input and shapes") {
  Tape<double> tape;
  const V x = tape.variable(M);
  const V y = apply(WrongCotangentShape{}, x);
  try {
    grad(sum(y), x);
    FAIL("accepted a cotangent of the wrong shape");
  } catch (const ShapeError& e) {
    CHECK(std::string(e.what()) ==
          "wrong_cotangent_shape: vjp gave input 0 a cotangent of shape [4, 2, 3], expected exactly the input's shape [2, 3]");
  }
  const CheckReport r = check_rule_on_one(WrongCotangentShape{}, M);
  INFO(r.summary());
  CHECK_FALSE(r.ok);
  CHECK(mentions(r, "reverse mode: wrong_cotangent_shape: vjp gave input 0 a cotangent of shape [4, 2, 3]"));
}

TEST_CASE("reading an absent tangent is a ContractError, and check_op finds it through tangent subsets") {
  const CheckReport r = check_op("missing", [](const Vs& x) { return apply(MissingTangentCheck{}, x[0], x[1]); },
                                 {M, uniform({2, 3}, -1, 1, 32)});
  INFO(r.summary());
  CHECK_FALSE(r.ok);
  CHECK(mentions(r, "forward mode with a tangent on input 0 only: missing_tangent_check: jvp read the tangent of input 1, which has none"));
  CHECK(mentions(r, "recorded jvp with a tangent on input 1 only: missing_tangent_check: jvp read the tangent of input 0"));

  // Before the contract this crashed in a Hessian-vector product: the recorded sweep carries
  // a tangent on one input of the product only.
  Tape<double> tape;
  const V x = tape.variable(M), w = tape.constant(M);
  tape.set_tangent(x, M);
  CHECK_THROWS_AS(apply(MissingTangentCheck{}, x, w), ContractError);
}

TEST_CASE("check_op rejects a wrong sign, a transposed Jacobian and a vjp that ignores g") {
  const CheckReport sign = check_rule_on_one(WrongSign{}, M);
  INFO(sign.summary());
  CHECK_FALSE(sign.ok);
  CHECK(mentions(sign, "reverse mode vs central differences"));
  CHECK(mentions(sign, "adjoint identity"));

  const Tensor<double> w{{1.0, 2.0, 0.0}, {-1.0, 0.5, 3.0}, {0.0, 4.0, 1.0}};
  const CheckReport transposed = check_rule_on_one(TransposedJacobian{w}, uniform({3, 2}, -1, 1, 33));
  INFO(transposed.summary());
  CHECK_FALSE(transposed.ok);
  CHECK(mentions(transposed, "adjoint identity"));
  CHECK(transposed.summary().find("\n  rule: adjoint identity") != std::string::npos);  // one line per failure

  const CheckReport ignores = check_rule_on_one(VjpIgnoresG{}, M);
  INFO(ignores.summary());
  CHECK_FALSE(ignores.ok);
  CHECK(mentions(ignores, "reverse mode vs central differences"));
}

TEST_CASE("a tangent of the wrong shape is a ShapeError at once, and check_op reports it") {
  Tape<double> tape;
  const V x = tape.variable(M);
  tape.set_tangent(x, M);
  CHECK_THROWS_WITH_AS(apply(WrongTangentShape{}, x),
                       "wrong_tangent_shape: jvp gave a tangent of shape [], expected exactly the value's shape [2, 3]",
                       ShapeError);
  const CheckReport r = check_rule_on_one(WrongTangentShape{}, M);
  CHECK_FALSE(r.ok);
  CHECK(mentions(r, "forward mode: wrong_tangent_shape: jvp gave a tangent of shape []"));
}

TEST_CASE("check_op compares the value's shape with a declared output shape") {
  CheckOptions options;
  options.output_shape = Shape{3, 2};
  const CheckReport r = check_op("transpose", [](const Vs& x) { return transpose(x[0]); }, {M}, options);
  CHECK(r.ok);
  options.output_shape = Shape{2, 3};
  const CheckReport wrong = check_op("transpose", [](const Vs& x) { return transpose(x[0]); }, {M}, options);
  CHECK_FALSE(wrong.ok);
  CHECK(mentions(wrong, "value has shape [3, 2], declared [2, 3]"));
}

TEST_CASE("a correct rule passes every measure, including second order and the recorded jvp") {
  const CheckReport r = check_op("x0 * x1", [](const Vs& x) { return x[0] * x[1] * x[0]; }, {M, uniform({2, 3}, -1, 1, 34)});
  INFO(r.summary());
  CHECK(r.ok);
  CHECK(r.failures.empty());
  CHECK(r.second_order > 0);  // measured, not skipped: FD of the vjp is never exact
  CHECK(r.second_order < 1e-6);
}
