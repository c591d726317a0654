// Which scalar types netdim computes with, and what each one allows.
#pragma once

#include <concepts>
#include <type_traits>

#include "autodiff/rational.hpp"

namespace netdim {

// Floating scalars: every operation, including transcendental ones (exp, tanh, ...).
template <class T>
concept FloatingScalar = std::is_same_v<T, float> || std::is_same_v<T, double>;

// Any scalar netdim supports: the floating ones and the exact Rational.
// Rational admits only operations whose results stay rational (polynomial and
// piecewise-linear ones); the others are constrained to FloatingScalar, so
// calling them on a rational tensor fails to compile with that concept named.
template <class T>
concept Scalar = FloatingScalar<T> || std::is_same_v<T, Rational>;

// Human-readable scalar names, for messages and fingerprints.
template <class T>
constexpr const char* scalar_name() {
  if constexpr (std::is_same_v<T, float>) return "float32";
  else if constexpr (std::is_same_v<T, double>) return "float64";
  else return "rational";
}

}  // namespace netdim
