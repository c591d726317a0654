// Seed 003's x^2 network and its exact parameters, shared by the exact-analysis tests.
#pragma once

#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::testing {

// Seed 003's equation 1, N(x) = w3 (w2 (w1 x + b1)^2 + b2)^2 + b3 (its expansion,
// equation 2, has these six parameters and all three biases): three dense layers
// of one unit, each with a bias, the first two followed by x^2.
inline nn::Architecture square_network() {
  nn::Architecture a;
  auto h = a.input(Shape{1});
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  a.dense(h, 1);
  return a;
}

inline Tensor<Rational> rational_vector(const std::vector<Rational>& v) {
  Tensor<Rational> t = Tensor<Rational>::from_shape({v.size()});
  for (std::size_t i = 0; i < v.size(); ++i) t(i) = v[i];
  return t;
}

// A batch of one-input examples, [n, 1].
inline Tensor<Rational> rational_column(const std::vector<Rational>& v) {
  Tensor<Rational> t = Tensor<Rational>::from_shape({v.size(), 1});
  for (std::size_t i = 0; i < v.size(); ++i) t(i, 0) = v[i];
  return t;
}

// The canonical flat order is per layer weight then bias, so the seed's
// w = (w1, w2, w3) = (3, 9, 7), b = (b1, b2, b3) = (2, 4, 6) sit at
// theta = (w1, b1, w2, b2, w3, b3) = (3, 2, 9, 4, 7, 6).
inline Tensor<Rational> seed003_parameters() { return rational_vector({3, 2, 9, 4, 7, 6}); }

}  // namespace netdim::testing
