// Activation functions of layers: one descriptor per activation in one registry, which the
// language, every analysis and a user's own C++ read. A built-in activation is one file in
// nn/activations/; a user registers one with register_activation before loading networks.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/autodiff/ops.hpp"

namespace netdim::nn {

// What an activation does to exact scalars, which decides where a network using it can be
// evaluated exactly. The order is from most to least exact.
enum class ActivationExactness {
  Polynomial,       // over Q and Z/p; its degree multiplies the network's
  PiecewiseLinear,  // over Q only: it compares with thresholds, and Z/p has no order
  NotExact,         // floating point only (sigmoid, tanh, ...)
};

// What a descriptor of this exactness must have, for every registry (activations, layer types):
// a Rational `noun` ("function", "forward") unless NotExact, a Modular one only for a
// polynomial, a degree of at least 1 and other than 1 only for a polynomial. Throws
// std::invalid_argument starting with `what`.
void check_exactness_contract(const std::string& what, ActivationExactness exactness, bool has_rational,
                              bool has_modular, unsigned degree, const std::string& noun);

template <Scalar T>
using ActivationFunction = std::function<Var<T>(const Var<T>& x, double slope)>;

// One activation: its name in the language, what it is, and its value for every scalar
// type where it is defined (composed of autodiff ops, so reverse and forward derivatives
// come with it). A function left empty is refused for that scalar with the reason the
// exactness gives.
struct ActivationKind {
  std::string name;     // the language's word and function name: [a-z_][a-z0-9_]*
  std::string summary;  // one line for docs and help, e.g. "min(max(x, 0), 6)"
  ActivationExactness exactness = ActivationExactness::NotExact;
  unsigned degree = 1;     // a polynomial's degree (identity 1, square 2); 1 otherwise
  bool has_slope = false;  // takes the `slope` attribute (leaky_relu)
  ActivationFunction<float> f32;
  ActivationFunction<double> f64;
  ActivationFunction<Rational> rational;
  ActivationFunction<Modular> modular;
};

// Builds a descriptor from one generic function `f(const Var<T>&, double slope)`, filling
// the scalar types its exactness allows: float and double always, Rational unless NotExact,
// Modular only for a polynomial. `f` is instantiated only for those types.
template <ActivationExactness E, class F>
ActivationKind make_activation(std::string name, std::string summary, F f, unsigned degree = 1,
                               bool has_slope = false) {
  ActivationKind k{std::move(name), std::move(summary), E, degree, has_slope, {}, {}, {}, {}};
  k.f32 = [f](const Var<float>& x, double s) { return f(x, s); };
  k.f64 = [f](const Var<double>& x, double s) { return f(x, s); };
  if constexpr (E != ActivationExactness::NotExact) k.rational = [f](const Var<Rational>& x, double s) { return f(x, s); };
  if constexpr (E == ActivationExactness::Polynomial) k.modular = [f](const Var<Modular>& x, double s) { return f(x, s); };
  return k;
}

// A handle on a registered activation: cheap to copy and compare. The built-ins have
// named constants; any activation, built-in or registered, is found by name.
class Activation {
 public:
  constexpr Activation() = default;  // identity
  static const Activation Identity, Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Square, Cube, Sin, Relu6;

  std::uint32_t id() const { return id_; }
  const ActivationKind& kind() const;  // its descriptor
  std::string_view name() const { return kind().name; }
  friend constexpr bool operator==(Activation a, Activation b) { return a.id_ == b.id_; }
  friend constexpr auto operator<=>(Activation a, Activation b) { return a.id_ <=> b.id_; }

 private:
  friend class ActivationRegistry;  // nn/activation.cpp: the only maker of handles
  constexpr explicit Activation(std::uint32_t id) : id_(id) {}
  std::uint32_t id_ = 0;
};

// The built-ins, in the registry's order (nn/activations/builtin_activations.cpp).
inline constexpr Activation Activation::Identity{0}, Activation::Relu{1}, Activation::LeakyRelu{2},
    Activation::Sigmoid{3}, Activation::Tanh{4}, Activation::Softplus{5}, Activation::Square{6}, Activation::Cube{7},
    Activation::Sin{8}, Activation::Relu6{9};

// Adds an activation for the whole process and returns its handle. Throws
// std::invalid_argument for a name that is taken or not a lowercase identifier, and for a
// descriptor without its float and double functions or whose functions do not match its
// exactness (a NotExact one with a Rational function, a Modular function on a non-polynomial).
// Register before any network is read; lookups from many threads are safe afterwards.
Activation register_activation(ActivationKind kind);

// Every registered activation, built-ins first, in registration order.
std::vector<Activation> registered_activations();

std::string_view activation_name(Activation a);
std::optional<Activation> activation_from_name(std::string_view name);
// Every known name, comma separated, for messages and help.
std::string activation_names();
// The names of the activations of one exactness, comma separated ("identity, square, cube").
std::string activation_names(ActivationExactness exactness);
// The prefix of automatic layer names: the name, with `_` after one that ends in a digit,
// so that `relu6_1` cannot be read as relu layer 61.
std::string activation_layer_prefix(Activation a);
// Whether the activation keeps rational inputs rational (polynomial or piecewise linear),
// so that a network using it can be evaluated exactly.
bool is_exact(Activation a);

// Applies the activation (slope is leaky_relu's negative slope). With Rational, a NotExact
// activation throws std::invalid_argument naming it; with Modular, so does a piecewise-linear
// one (it compares, and Z/p has no order).
template <Scalar T>
Var<T> activate(const Var<T>& x, Activation a, double slope = 0.01);

extern template Var<float> activate(const Var<float>&, Activation, double);
extern template Var<double> activate(const Var<double>&, Activation, double);
extern template Var<Rational> activate(const Var<Rational>&, Activation, double);
extern template Var<Modular> activate(const Var<Modular>&, Activation, double);

}  // namespace netdim::nn
