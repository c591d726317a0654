// The operation contract: every operation, built-in or user-defined, is one
// object with its value and BOTH derivative rules (vjp for reverse mode, jvp
// for forward mode).
//
// An operation is written as a Rule: a plain struct with
//   std::string name() const;
//   template <class T> Tensor<T> value(Args<Tensor<T>> x) const;
//   template <class X> void vjp(const X& g, Args<X> x, const X& y, Cotangents<X>& out) const;
//   template <class X> X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const;
// The rules are generic in X: with X = Tensor<T> they compute numbers (the fast
// first-order path); with X = Var<T> the same rule is recorded on the tape, which
// gives higher derivatives (Hessian-vector products) without a second definition.
// `apply(rule, inputs...)` (autodiff/apply.hpp) puts a rule on the tape; the
// concept OperationRule below states this contract, so a malformed rule fails to
// compile at `apply` with one message saying what is missing.
//
// What the types cannot state is checked at run time, on every call:
//   - vjp adds to input i a cotangent of EXACTLY input i's shape (a cotangent
//     that merely broadcasts to it is a ShapeError naming the operation, the
//     input and both shapes), and only to inputs the operation has;
//   - jvp reads dx[i] only when dx.has(i) (an absent tangent is zero; reading it
//     is a ContractError), and returns a tangent of the value's shape.
// check_op (autodiff/check_op.hpp) exercises all of this, in both modes, for
// each input's tangent alone and all together, and at second order.
#pragma once

#include <algorithm>
#include <concepts>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/autodiff/var.hpp"

namespace netdim {

// The inputs of an operation (values, or Vars when recording).
template <class X>
using Args = std::span<const X* const>;

template <class T>
class Operation;

// A broken operation contract: a rule read a tangent it was not given, or
// addressed an input it does not have. Its message names the operation.
class ContractError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {
template <class X>
struct is_var : std::false_type {};
template <class T>
struct is_var<Var<T>> : std::true_type {};

// The scalar type of a Tensor<T> or a Var<T>.
template <class X>
struct scalar_of {
  using type = typename X::value_type;
};
template <class T>
struct scalar_of<Var<T>> {
  using type = T;
};
}  // namespace detail

template <class X>
inline constexpr bool is_var_v = detail::is_var<X>::value;
template <class X>
using scalar_of_t = typename detail::scalar_of<X>::type;

namespace detail {
// Whether a cotangent or tangent has exactly the shape of the input it belongs to.
// Compared in place: the check sits on every node of every sweep.
template <class X>
bool same_shape(const X& a, const X& b) {
  if constexpr (is_var_v<X>) return same_shape(a.value(), b.value());
  else return std::equal(a.shape().begin(), a.shape().end(), b.shape().begin(), b.shape().end());
}
}  // namespace detail

// Forward-mode tangents of the inputs. An input without a tangent has zero
// tangent: a rule tests `has(i)` before reading `dx[i]`; reading an absent
// tangent throws a ContractError naming the operation and the input.
template <class X>
class Tangents {
 public:
  using Op = Operation<scalar_of_t<X>>;
  explicit Tangents(std::span<const X* const> dx, const Op* op = nullptr) : dx_(dx), op_(op) {}
  bool has(std::size_t i) const { return i < dx_.size() && dx_[i] != nullptr; }
  const X& operator[](std::size_t i) const {
    if (!has(i)) absent(i);
    return *dx_[i];
  }
  std::size_t size() const { return dx_.size(); }

 private:
  [[noreturn]] void absent(std::size_t i) const;
  std::span<const X* const> dx_;
  const Op* op_;
};

// Where a rule's vjp puts the cotangent of each input. Inputs that do not lead
// to a wanted gradient are not `wanted`, and a rule should skip computing them.
// A cotangent must have exactly its input's shape (not merely one that
// broadcasts to it): anything else throws a ShapeError naming the operation,
// the input and both shapes.
template <class X>
class Cotangents {
 public:
  using Slot = std::optional<X>;  // empty: zero so far
  using Op = Operation<scalar_of_t<X>>;
  Cotangents(std::span<Slot*> slots, Args<X> inputs, const Op* op = nullptr)
      : slots_(slots), inputs_(inputs), op_(op) {}

  bool wanted(std::size_t i) const { return i < slots_.size() && slots_[i] != nullptr; }
  // Adds c to input i's cotangent.
  void add(std::size_t i, X c) {
    check_input(i);
    if (!detail::same_shape(c, *inputs_[i])) wrong_shape(i, shape_of(c));
    Slot* s = slots_[i];
    if (!s) return;
    if (!s->has_value()) *s = std::move(c);
    else if constexpr (is_var_v<X>) *s = **s + c;
    else **s += c;
  }
  // Direct access to a tensor cotangent buffer (zero-filled to the input's
  // shape when still empty), for operations that accumulate into part of it in
  // place. Only for wanted inputs; `shape` must be the input's shape.
  template <class S>
  X& buffer(std::size_t i, const S& shape) requires(!is_var_v<X>) {
    check_input(i);
    if (!std::equal(shape.begin(), shape.end(), inputs_[i]->shape().begin(), inputs_[i]->shape().end()))
      wrong_shape(i, Shape(shape.begin(), shape.end()));
    if (!slots_[i]) throw ContractError(name() + ": vjp asked for the buffer of input " + std::to_string(i) +
                                        ", which is not wanted (test wanted(i) first)");
    Slot& b = *slots_[i];
    if (!b.has_value()) b = X(inputs_[i]->shape(), typename X::value_type(0));
    return *b;
  }

 private:
  std::string name() const;
  void check_input(std::size_t i) const {
    if (i >= slots_.size())
      throw ContractError(name() + ": vjp addressed input " + std::to_string(i) + " of an operation with " +
                          std::to_string(slots_.size()) + " inputs");
  }
  [[noreturn]] void wrong_shape(std::size_t i, const Shape& got) const {
    throw ShapeError(name() + ": vjp gave input " + std::to_string(i) + " a cotangent of shape " + shape_string(got) +
                     ", expected exactly the input's shape " + shape_string(shape_of(*inputs_[i])));
  }
  std::span<Slot*> slots_;
  Args<X> inputs_;
  const Op* op_;
};

// The type-erased form the tape stores. RuleOperation adapts a Rule to it.
template <class T>
class Operation {
 public:
  virtual ~Operation() = default;
  virtual std::string name() const = 0;
  virtual Tensor<T> value(Args<Tensor<T>> x) const = 0;
  virtual void vjp(const Tensor<T>& g, Args<Tensor<T>> x, const Tensor<T>& y, Cotangents<Tensor<T>>& out) const = 0;
  virtual void vjp(const Var<T>& g, Args<Var<T>> x, const Var<T>& y, Cotangents<Var<T>>& out) const = 0;
  virtual Tensor<T> jvp(const Tangents<Tensor<T>>& dx, Args<Tensor<T>> x, const Tensor<T>& y) const = 0;
  // The jvp recorded on the tape (reverse over forward differentiates it again).
  virtual Var<T> jvp(const Tangents<Var<T>>& dx, Args<Var<T>> x, const Var<T>& y) const = 0;
};

template <class X>
void Tangents<X>::absent(std::size_t i) const {
  const std::string who = op_ ? op_->name() : std::string("operation");
  if (i >= dx_.size())
    throw ContractError(who + ": jvp read the tangent of input " + std::to_string(i) + " of an operation with " +
                        std::to_string(dx_.size()) + " inputs");
  throw ContractError(who + ": jvp read the tangent of input " + std::to_string(i) +
                      ", which has none (test dx.has(" + std::to_string(i) + ") first: an absent tangent is zero)");
}

template <class X>
std::string Cotangents<X>::name() const {
  return op_ ? op_->name() : std::string("operation");
}

// The operation contract as a concept, one requirement per part so that the
// message at `apply` names the part that is missing (see apply.hpp).
template <class R>
concept RuleHasName = requires(const R r) {
  { r.name() } -> std::convertible_to<std::string>;
};
template <class R, class T>
concept RuleHasValue = requires(const R r, Args<Tensor<T>> x) {
  { r.template value<T>(x) } -> std::same_as<Tensor<T>>;
};
template <class R, class T>
concept RuleHasVjp = requires(const R r, const Tensor<T>& g, Args<Tensor<T>> x, Cotangents<Tensor<T>>& out,
                              const Var<T>& gv, Args<Var<T>> xv, Cotangents<Var<T>>& outv) {
  r.vjp(g, x, g, out);
  r.vjp(gv, xv, gv, outv);
};
template <class R, class T>
concept RuleHasJvp = requires(const R r, const Tangents<Tensor<T>>& dx, Args<Tensor<T>> x, const Tensor<T>& y,
                              const Tangents<Var<T>>& dxv, Args<Var<T>> xv, const Var<T>& yv) {
  { r.jvp(dx, x, y) } -> std::convertible_to<Tensor<T>>;
  { r.jvp(dxv, xv, yv) } -> std::convertible_to<Var<T>>;
};
template <class R, class T>
concept OperationRule = RuleHasName<R> && RuleHasValue<R, T> && RuleHasVjp<R, T> && RuleHasJvp<R, T>;

template <class T, class Rule>
class RuleOperation final : public Operation<T> {
 public:
  explicit RuleOperation(Rule rule) : rule_(std::move(rule)) {}
  std::string name() const override { return rule_.name(); }
  Tensor<T> value(Args<Tensor<T>> x) const override { return rule_.template value<T>(x); }
  void vjp(const Tensor<T>& g, Args<Tensor<T>> x, const Tensor<T>& y, Cotangents<Tensor<T>>& out) const override {
    rule_.vjp(g, x, y, out);
  }
  void vjp(const Var<T>& g, Args<Var<T>> x, const Var<T>& y, Cotangents<Var<T>>& out) const override {
    rule_.vjp(g, x, y, out);
  }
  Tensor<T> jvp(const Tangents<Tensor<T>>& dx, Args<Tensor<T>> x, const Tensor<T>& y) const override {
    return rule_.jvp(dx, x, y);
  }
  Var<T> jvp(const Tangents<Var<T>>& dx, Args<Var<T>> x, const Var<T>& y) const override { return rule_.jvp(dx, x, y); }

 private:
  Rule rule_;
};

}  // namespace netdim
