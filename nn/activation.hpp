// Activation functions of layers, by name.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "autodiff/ops.hpp"

namespace netdim::nn {

enum class Activation { Identity, Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Square, Cube, Sin, Relu6 };

std::string_view activation_name(Activation a);
std::optional<Activation> activation_from_name(std::string_view name);
// Every known name, comma separated, for messages and help.
std::string activation_names();
// The prefix of automatic layer names: the name, with `_` after one that ends in a digit,
// so that `relu6_1` cannot be read as relu layer 61.
std::string activation_layer_prefix(Activation a);
// Whether the activation keeps rational inputs rational (polynomial or piecewise linear),
// so that a network using it can be evaluated exactly.
bool is_exact(Activation a);

// Applies the activation (slope is leaky_relu's negative slope). With Rational,
// a non-exact activation throws std::invalid_argument naming it; with Modular, so
// do relu, leaky_relu and relu6 (they compare, and Z/p has no order).
template <Scalar T>
Var<T> activate(const Var<T>& x, Activation a, double slope = 0.01);

extern template Var<float> activate(const Var<float>&, Activation, double);
extern template Var<double> activate(const Var<double>&, Activation, double);
extern template Var<Rational> activate(const Var<Rational>&, Activation, double);
extern template Var<Modular> activate(const Var<Modular>&, Activation, double);

}  // namespace netdim::nn
