// Layer types: one descriptor per kind of layer that is not one of the core kinds of
// nn::LayerKind, in one registry that the language, every analysis and a user's own C++
// read. A descriptor says everything netdim needs: its attributes (typed, with defaults and
// ranges), its output shape, its parameter blocks in canonical order, its forward for every
// scalar type where it is defined (composed of autodiff ops, so both modes and second order
// come with it), and its exactness and degree for analysis/exact. A layer of a registered
// type has kind LayerKind::Registered; the per-example Jacobian and Gram treat it by the
// generic path (reverse mode per row), which is exact for any composition of ops.
//
// A built-in type is one file in nn/layers/ (see layer_norm.cpp); a user registers one with
// register_layer_type before reading networks, and `.net` files can call it at once.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/nn/activation.hpp"
#include "netdim/nn/layer_forward.hpp"

namespace netdim::nn {

// The same three classes as for activations: polynomial (over Q and Z/p), piecewise linear
// (over Q only), neither (floating point only).
using LayerExactness = ActivationExactness;

// One parameter block of a layer, before offsets are laid out.
struct ParameterSpec {
  std::string suffix;  // "weight" or "bias": the block is named layer.suffix
  Shape shape;
  BlockFans fans;      // what the initialiser needs (PyTorch's default uses fan_in)
  Initializer init{};  // the layer's initialiser; --init of the ESD protocol replaces it
};

template <Scalar T>
using LayerFunction = std::function<Var<T>(const Var<T>& x, const LayerParameters<T>& p, const Layer& layer)>;

struct LayerType {
  std::string name;     // the language's function name: [a-z_][a-z0-9_]*
  std::string summary;  // one line for docs and help
  std::vector<AttributeSpec> attributes;  // after the input: `name(x, attribute=value, ...)`
  // The output shape of one example from the input's; throws ShapeError. Empty: the input's shape.
  std::function<Shape(const Shape& input, const LayerAttributes& attributes)> output_shape;
  // At most one block of suffix "weight" and one of "bias", in that order. Empty: no parameters.
  std::function<std::vector<ParameterSpec>(const Shape& input, const Shape& output, const LayerAttributes&)> parameters;
  LayerExactness exactness = LayerExactness::NotExact;
  unsigned degree = 1;            // a polynomial's degree in its input
  // A polynomial whose degree depends on its attributes (a power): overrides `degree`; at least 1.
  std::function<unsigned(const LayerAttributes&)> degree_of;
  unsigned parameter_degree = 1;  // its degree in its own parameters (an affine layer: 1)
  LayerFunction<float> f32;
  LayerFunction<double> f64;
  LayerFunction<Rational> rational;
  LayerFunction<Modular> modular;
};

// Builds a descriptor from one generic forward `f(const Var<T>& x, const LayerParameters<T>&,
// const Layer&)`, filling the scalar types its exactness allows: float and double always,
// Rational unless NotExact, Modular only for a polynomial.
template <LayerExactness E, class F>
LayerType make_layer_type(std::string name, std::string summary, std::vector<AttributeSpec> attributes, F f) {
  LayerType t;
  t.name = std::move(name);
  t.summary = std::move(summary);
  t.attributes = std::move(attributes);
  t.exactness = E;
  t.f32 = [f](const Var<float>& x, const LayerParameters<float>& p, const Layer& l) { return f(x, p, l); };
  t.f64 = [f](const Var<double>& x, const LayerParameters<double>& p, const Layer& l) { return f(x, p, l); };
  if constexpr (E != LayerExactness::NotExact)
    t.rational = [f](const Var<Rational>& x, const LayerParameters<Rational>& p, const Layer& l) { return f(x, p, l); };
  if constexpr (E == LayerExactness::Polynomial)
    t.modular = [f](const Var<Modular>& x, const LayerParameters<Modular>& p, const Layer& l) { return f(x, p, l); };
  return t;
}

// Adds a layer type for the whole process and returns its id. Throws std::invalid_argument
// for a name that is taken (by a layer function, an activation or another type) or not a
// lowercase identifier; for a descriptor without its float and double forwards, or whose
// forwards do not match its exactness; for attributes that repeat, are named `x`, or whose
// default is of the wrong type or out of its range. Register before any network is read.
std::uint32_t register_layer_type(LayerType type);

const LayerType& layer_type(std::uint32_t id);
std::optional<std::uint32_t> find_layer_type(std::string_view name);
// Every registered type's id, built-ins first, in registration order.
std::vector<std::uint32_t> registered_layer_types();

// Whether `name` is a layer function of the language: a core kind's word or a registered type.
bool is_layer_word(std::string_view name);

// The parameter blocks a registered layer has (at offset 0; see layer_parameter_blocks).
std::vector<ParameterBlock> registered_parameter_blocks(const Layer& layer, std::size_t index, const Shape& input);

// A registered layer's polynomial degree in its input (degree_of where the type has one).
unsigned registered_degree(const Layer& layer);

// The forward of a registered layer. With Rational, a NotExact type throws
// std::invalid_argument naming it; with Modular, so does a piecewise-linear one.
template <Scalar T>
Var<T> registered_forward(const Layer& layer, const Var<T>& x, const LayerParameters<T>& params);

extern template Var<float> registered_forward(const Layer&, const Var<float>&, const LayerParameters<float>&);
extern template Var<double> registered_forward(const Layer&, const Var<double>&, const LayerParameters<double>&);
extern template Var<Rational> registered_forward(const Layer&, const Var<Rational>&, const LayerParameters<Rational>&);
extern template Var<Modular> registered_forward(const Layer&, const Var<Modular>&, const LayerParameters<Modular>&);

}  // namespace netdim::nn
