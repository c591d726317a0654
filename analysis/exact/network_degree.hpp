// How exact a network is, and the degrees of its output as a polynomial.
//
// The exact analyses (psd, coefficients, theorem21) need to know, before any
// arithmetic, whether a network's output N(theta, x) is a polynomial, a piecewise
// polynomial (relu, leaky_relu, relu6, max pooling: exact at rational points, but no
// single polynomial), or neither (sigmoid, tanh, softplus, sin: not rational at
// rational points). For polynomial networks the degrees bound the Schwartz-Zippel
// probability of psd (psd.hpp) and fix the number of interpolation points of
// coefficients (coefficients.hpp).
#pragma once

#include <cstddef>
#include <string>

#include "netdim/nn/architecture.hpp"

namespace netdim::analysis {

enum class Exactness { Polynomial, PiecewisePolynomial, NotExact };

struct NetworkDegree {
  Exactness exactness = Exactness::Polynomial;
  // The first layer that is not polynomial (piecewise) or not exact, by name, and why.
  std::string culprit;
  // Total degrees of the output in theta and in x, walking the layers:
  //   input                       theta 0,      x 1
  //   dense, conv, projection,    theta d + 1,  x d_x    (W h + b: one more factor of theta)
  //     batch_norm
  //   square / cube               theta 2d, 3d; x 2d_x, 3d_x
  //   identity, pooling by mean,  unchanged
  //     flatten, sample, dropout,
  //     channel_shuffle, chunk
  //   add, concat                 the maximum over the inputs
  // relu, leaky_relu, relu6 and max pooling count as identity here, so for a piecewise
  // network these are the degrees of each polynomial piece. A degree beyond
  // kDegreeCap is reported as kDegreeCap (saturated: "too large to matter").
  std::size_t theta = 0;
  std::size_t x = 0;
  bool saturated = false;
};

inline constexpr std::size_t kDegreeCap = std::size_t{1} << 40;

NetworkDegree network_degree(const nn::Architecture& architecture);

// The message for a network psd/coefficients cannot evaluate exactly, pointing to `netdim esd`.
std::string not_exact_message(const std::string& what, const NetworkDegree& degree);

}  // namespace netdim::analysis
