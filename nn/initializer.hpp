// How a parameter block gets its initial values. The default reproduces
// PyTorch's defaults (nn.Linear, nn.Conv2d: U(-1/sqrt(fan_in), 1/sqrt(fan_in))
// for weight and bias; batch norm: scale 1, shift 0), so results compare side
// by side with PyTorch. Every draw takes an explicit seed.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::nn {

struct Initializer {
  enum class Kind { PyTorchDefault, Normal, Uniform, He, Glorot, Zeros, Constant };
  Kind kind = Kind::PyTorchDefault;
  double value = 0;  // Normal: sigma; Uniform: a (U(-a, a)); Constant: the constant

  static Initializer pytorch_default() { return {}; }
  static Initializer normal(double sigma) { return {Kind::Normal, sigma}; }
  static Initializer uniform(double a) { return {Kind::Uniform, a}; }
  static Initializer he() { return {Kind::He, 0}; }          // N(0, 2 / fan_in)
  static Initializer glorot() { return {Kind::Glorot, 0}; }  // U(+-sqrt(6 / (fan_in + fan_out)))
  static Initializer zeros() { return {Kind::Zeros, 0}; }
  static Initializer constant(double c) { return {Kind::Constant, c}; }

  std::string describe() const;  // e.g. "normal(0.1)"
  bool operator==(const Initializer&) const = default;
};

// What an initialiser needs to know about the block it fills.
struct BlockFans {
  std::size_t fan_in = 1;
  std::size_t fan_out = 1;
  bool is_bias = false;
  bool is_scale = false;  // batch-norm scale: PyTorch starts it at 1
};

// Fills `out` (any shape) with values of `init`, drawing from `rng`.
template <class T>
void initialize(Tensor<T>& out, const Initializer& init, const BlockFans& fans, std::mt19937_64& rng);

extern template void initialize(Tensor<float>&, const Initializer&, const BlockFans&, std::mt19937_64&);
extern template void initialize(Tensor<double>&, const Initializer&, const BlockFans&, std::mt19937_64&);
extern template void initialize(Tensor<Rational>&, const Initializer&, const BlockFans&, std::mt19937_64&);
extern template void initialize(Tensor<Modular>&, const Initializer&, const BlockFans&, std::mt19937_64&);

}  // namespace netdim::nn
