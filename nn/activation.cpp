#include "nn/activation.hpp"

#include <array>
#include <stdexcept>

namespace netdim::nn {
namespace {

constexpr std::array<std::pair<Activation, std::string_view>, 10> kNames{{
    {Activation::Identity, "identity"},
    {Activation::Relu, "relu"},
    {Activation::LeakyRelu, "leaky_relu"},
    {Activation::Sigmoid, "sigmoid"},
    {Activation::Tanh, "tanh"},
    {Activation::Softplus, "softplus"},
    {Activation::Square, "square"},
    {Activation::Cube, "cube"},
    {Activation::Sin, "sin"},
    {Activation::Relu6, "relu6"},
}};

}  // namespace

std::string_view activation_name(Activation a) {
  for (const auto& [value, name] : kNames)
    if (value == a) return name;
  return "unknown";
}

std::optional<Activation> activation_from_name(std::string_view name) {
  for (const auto& [value, n] : kNames)
    if (n == name) return value;
  return std::nullopt;
}

std::string activation_names() {
  std::string all;
  for (const auto& [value, name] : kNames) all += (all.empty() ? "" : ", ") + std::string(name);
  return all;
}

std::string activation_layer_prefix(Activation a) {
  std::string prefix(activation_name(a));
  if (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9') prefix += '_';
  return prefix;
}

bool is_exact(Activation a) {
  switch (a) {
    case Activation::Identity:
    case Activation::Relu:
    case Activation::LeakyRelu:
    case Activation::Relu6:
    case Activation::Square:
    case Activation::Cube:
      return true;
    default:
      return false;
  }
}

template <Scalar T>
Var<T> activate(const Var<T>& x, Activation a, double slope) {
  if constexpr (!OrderedScalar<T>) {
    if (a == Activation::Relu || a == Activation::LeakyRelu || a == Activation::Relu6)
      throw std::invalid_argument("activation " + std::string(activation_name(a)) +
                                  " compares with zero, which has no meaning mod p: a modular evaluation needs a "
                                  "polynomial network (identity, square, cube)");
  } else {
    if (a == Activation::Relu) return relu(x);
    if (a == Activation::LeakyRelu) return leaky_relu(x, T(slope));
    if (a == Activation::Relu6) return relu6(x);
  }
  switch (a) {
    case Activation::Identity: return x;
    case Activation::Square: return square(x);
    case Activation::Cube: return pow(x, 3);
    default: break;
  }
  if constexpr (FloatingScalar<T>) {
    switch (a) {
      case Activation::Sigmoid: return sigmoid(x);
      case Activation::Tanh: return tanh(x);
      case Activation::Softplus: return softplus(x);
      case Activation::Sin: return sin(x);
      default: break;
    }
  } else {
    throw std::invalid_argument("activation " + std::string(activation_name(a)) +
                                " is not polynomial, so the network cannot be evaluated exactly over the rationals "
                                "(exact activations: identity, relu, leaky_relu, relu6, square, cube)");
  }
  throw std::logic_error("activate: unhandled activation");
}

template Var<float> activate(const Var<float>&, Activation, double);
template Var<double> activate(const Var<double>&, Activation, double);
template Var<Rational> activate(const Var<Rational>&, Activation, double);
template Var<Modular> activate(const Var<Modular>&, Activation, double);

}  // namespace netdim::nn
