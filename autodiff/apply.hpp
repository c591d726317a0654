// apply(rule, inputs...): puts a Rule (see operation.hpp) on the tape of its inputs.
// Built-in operations and user-defined ones go through this same function.
#pragma once

#include <array>
#include <stdexcept>
#include <vector>

#include "netdim/autodiff/tape.hpp"

namespace netdim {

template <class T, class Rule>
Var<T> apply_rule(Rule rule, std::span<const Var<T>> inputs) {
  // One readable message per missing part of the contract (operation.hpp).
  static_assert(RuleHasName<Rule>, "netdim::apply: the rule needs `std::string name() const`");
  static_assert(RuleHasValue<Rule, T>, "netdim::apply: the rule needs `template <class T> Tensor<T> value(Args<Tensor<T>>) const`");
  static_assert(RuleHasVjp<Rule, T>,
                "netdim::apply: the rule needs `template <class X> void vjp(const X& g, Args<X> x, const X& y, "
                "Cotangents<X>& out) const`, for X = Tensor<T> and X = Var<T>");
  static_assert(RuleHasJvp<Rule, T>,
                "netdim::apply: the rule needs `template <class X> X jvp(const Tangents<X>& dx, Args<X> x, const X& y) "
                "const`, for X = Tensor<T> and X = Var<T>");
  if constexpr (OperationRule<Rule, T>) {  // else: only the message above, no cascade of template errors
    if (inputs.empty()) throw std::logic_error("autodiff: " + rule.name() + " needs at least one input");
    auto op = std::make_shared<const RuleOperation<T, Rule>>(std::move(rule));
    return inputs[0].tape().apply(std::move(op), inputs);
  } else {
    return Var<T>{};
  }
}

template <class Rule, class T, class... More>
Var<T> apply(Rule rule, const Var<T>& first, const More&... more) {
  const std::array<Var<T>, 1 + sizeof...(More)> inputs{first, more...};
  return apply_rule<T>(std::move(rule), std::span<const Var<T>>(inputs));
}

// A rule on tensors (its value, computed now) or on Vars (recorded on the tape).
// Lets one rule's derivative be another rule's value, for numbers and for
// higher-order derivatives alike.
template <class Rule, class X, class... More>
X call_rule(const Rule& rule, const X& first, const More&... more) {
  if constexpr (is_var_v<X>) {
    return apply(rule, first, more...);
  } else {
    const std::array<const X*, 1 + sizeof...(More)> args{&first, &more...};
    return rule.template value<scalar_of_t<X>>(Args<X>(args));
  }
}

// A constant on the same tape as `like` (with X = Tensor, just the tensor):
// lets generic rules use a fixed mask or coefficient.
template <class T>
Var<T> lift(const Var<T>& like, Tensor<T> t) {
  return like.tape().constant(std::move(t));
}
template <class T>
Tensor<T> lift(const Tensor<T>&, Tensor<T> t) {
  return t;
}

// The value of a Var or a Tensor, for rules that need numbers (masks, shapes).
template <class T>
const Tensor<T>& value_of(const Var<T>& v) {
  return v.value();
}
template <class T>
const Tensor<T>& value_of(const Tensor<T>& t) {
  return t;
}

}  // namespace netdim
