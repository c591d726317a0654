// Small helpers shared by the tests.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <random>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::testing {

// Seeded uniform values in [lo, hi).
template <class T = double>
Tensor<T> uniform(const Shape& shape, double lo, double hi, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> d(lo, hi);
  Tensor<T> t = Tensor<T>::from_shape(shape);
  for (auto& v : t) v = static_cast<T>(d(rng));
  return t;
}

// Values in [lo, hi) kept at least `gap` away from zero (for kinks and poles).
inline Tensor<double> away_from_zero(const Shape& shape, double lo, double hi, double gap, std::uint64_t seed) {
  Tensor<double> t = uniform(shape, lo, hi, seed);
  for (auto& v : t)
    if (std::abs(v) < gap) v = v < 0 ? v - gap : v + gap;
  return t;
}

// The largest |a - b| over the elements of two tensors OF THE SAME SHAPE, as a double.
// Tensors of different shapes (an empty one against a full one, [2, 3] against [3, 2],
// a longer one against a shorter one) are never "close": the difference is +infinity,
// so `max_abs_diff(a, b) < tol` fails, and the checked form below says why. A NaN in
// either makes it NaN, which fails every comparison too (std::max alone would skip it);
// an infinity matches only the same infinity.
template <class T>
double max_abs_diff_quiet(const Tensor<T>& a, const Tensor<T>& b) {
  if (shape_of(a) != shape_of(b)) return std::numeric_limits<double>::infinity();
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const double x = double(a.flat(i)), y = double(b.flat(i));
    if (x == y) continue;  // equal infinities included
    const double d = std::abs(x - y);
    if (std::isnan(d)) return std::numeric_limits<double>::quiet_NaN();
    m = std::max(m, d);
  }
  return m;
}

// What the tests call: the same number, and on a shape mismatch a failed check (the
// test fails visibly, whatever the caller then compares) naming both shapes.
template <class T>
double max_abs_diff(const Tensor<T>& a, const Tensor<T>& b) {
  if (shape_of(a) != shape_of(b))
    FAIL_CHECK("max_abs_diff: the shapes differ: " << shape_string(shape_of(a)) << " against "
                                                   << shape_string(shape_of(b)));
  return max_abs_diff_quiet(a, b);
}

}  // namespace netdim::testing
