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
// `apply(rule, inputs...)` (autodiff/apply.hpp) puts a rule on the tape.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "autodiff/var.hpp"

namespace netdim {

// The inputs of an operation (values, or Vars when recording).
template <class X>
using Args = std::span<const X* const>;

// Forward-mode tangents of the inputs; an input without a tangent has zero tangent.
template <class X>
class Tangents {
 public:
  explicit Tangents(std::span<const X* const> dx) : dx_(dx) {}
  bool has(std::size_t i) const { return dx_[i] != nullptr; }
  const X& operator[](std::size_t i) const { return *dx_[i]; }
  std::size_t size() const { return dx_.size(); }

 private:
  std::span<const X* const> dx_;
};

namespace detail {
template <class X>
struct is_var : std::false_type {};
template <class T>
struct is_var<Var<T>> : std::true_type {};
}  // namespace detail

template <class X>
inline constexpr bool is_var_v = detail::is_var<X>::value;

// The scalar type of a Tensor<T> or a Var<T>.
namespace detail {
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
using scalar_of_t = typename detail::scalar_of<X>::type;

// Where a rule's vjp puts the cotangent of each input. Inputs that do not lead
// to a wanted gradient are not `wanted`, and a rule should skip computing them.
template <class X>
class Cotangents {
 public:
  using Slot = std::optional<X>;  // empty: zero so far
  explicit Cotangents(std::span<Slot*> slots) : slots_(slots) {}

  bool wanted(std::size_t i) const { return slots_[i] != nullptr; }
  // Adds c to input i's cotangent.
  void add(std::size_t i, X c) {
    Slot* s = slots_[i];
    if (!s) return;
    if (!s->has_value()) *s = std::move(c);
    else if constexpr (is_var_v<X>) *s = **s + c;
    else **s += c;
  }
  // Direct access to a tensor cotangent buffer (zero-filled to `shape` when still
  // empty), for operations that accumulate into part of it in place.
  template <class S>
  X& buffer(std::size_t i, const S& shape) requires(!is_var_v<X>) {
    Slot& b = *slots_[i];
    if (!b.has_value()) b = X(shape, typename X::value_type(0));
    return *b;
  }

 private:
  std::span<Slot*> slots_;
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
};

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
  const Rule& rule() const { return rule_; }

 private:
  Rule rule_;
};

}  // namespace netdim
