// Which scalar types netdim computes with, and what each one allows.
#pragma once

#include <concepts>
#include <type_traits>

#include "netdim/autodiff/modular.hpp"
#include "netdim/autodiff/rational.hpp"

namespace netdim {

// Floating scalars: every operation, including transcendental ones (exp, tanh, ...).
template <class T>
concept FloatingScalar = std::is_same_v<T, float> || std::is_same_v<T, double>;

// Scalars with an order: the floating ones and the exact Rational. Operations that
// compare (abs, relu, leaky_relu, max pooling) are constrained to these.
template <class T>
concept OrderedScalar = FloatingScalar<T> || std::is_same_v<T, Rational>;

// Any scalar netdim supports: the floating ones, the exact Rational, and Modular
// (Z/p, p = 2^61 - 1). Rational admits only operations whose results stay rational
// (polynomial and piecewise-linear ones); the others are constrained to
// FloatingScalar, so calling them on a rational tensor fails to compile with that
// concept named. Modular admits the polynomial ones only (no order in Z/p, so
// nothing constrained to OrderedScalar).
template <class T>
concept Scalar = OrderedScalar<T> || std::is_same_v<T, Modular>;

// Human-readable scalar names, for messages and fingerprints.
template <class T>
constexpr const char* scalar_name() {
  if constexpr (std::is_same_v<T, float>) return "float32";
  else if constexpr (std::is_same_v<T, double>) return "float64";
  else if constexpr (std::is_same_v<T, Rational>) return "rational";
  else return "modular";
}

}  // namespace netdim
