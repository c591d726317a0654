// Small helpers shared by the tests.
#pragma once

#include <random>

#include "autodiff/tensor.hpp"

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

template <class T>
double max_abs_diff(const Tensor<T>& a, const Tensor<T>& b) {
  double m = 0;
  for (std::size_t i = 0; i < a.size(); ++i) m = std::max(m, std::abs(double(a.flat(i)) - double(b.flat(i))));
  return m;
}

}  // namespace netdim::testing
