#include "netdim/nn/model.hpp"

#include <random>
#include <stdexcept>

#include "netdim/autodiff/reverse.hpp"
#include "netdim/nn/layer_forward.hpp"

namespace netdim::nn {

template <Scalar T>
Model<T>::Model(Architecture architecture, std::uint64_t seed)
    : architecture_(std::move(architecture)), blocks_(architecture_.parameter_blocks()) {
  architecture_.input_shape();  // a model needs an input layer
  std::size_t total = 0;
  for (const ParameterBlock& b : blocks_) total += b.size();
  parameters_ = zeros_of<T>(Shape{total});
  initialize(seed);
}

template <Scalar T>
void Model<T>::set_parameters(Tensor<T> theta) {
  if (theta.dimension() != 1 || theta.size() != parameters_.size())
    throw ShapeError("model: parameter vector has shape " + shape_string(shape_of(theta)) + ", expected [" +
                     std::to_string(parameters_.size()) + "]");
  parameters_ = std::move(theta);
}

template <Scalar T>
void Model<T>::initialize(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const ParameterBlock& b : blocks_) {
    Tensor<T> values = Tensor<T>::from_shape(b.shape);
    nn::initialize(values, b.init, b.fans, rng);
    std::copy(values.begin(), values.end(), parameters_.data() + b.offset);
  }
}

template <Scalar T>
std::span<T> Model<T>::block(std::size_t i) {
  const ParameterBlock& b = blocks_.at(i);
  return {parameters_.data() + b.offset, b.size()};
}

template <Scalar T>
std::span<const T> Model<T>::block(std::size_t i) const {
  const ParameterBlock& b = blocks_.at(i);
  return {parameters_.data() + b.offset, b.size()};
}

template <Scalar T>
const ParameterBlock& Model<T>::block_named(const std::string& name) const {
  for (const ParameterBlock& b : blocks_)
    if (b.name == name) return b;
  throw std::out_of_range("model: no parameter block named '" + name + "'");
}

template <Scalar T>
Var<T> Model<T>::forward(const Var<T>& theta, const Var<T>& x) const {
  return run(theta, x, nullptr);
}

template <Scalar T>
TracedForward<T> Model<T>::forward_traced(const Var<T>& theta, const Var<T>& x) const {
  TracedForward<T> traced;
  traced.output = run(theta, x, &traced.layers);
  return traced;
}

template <Scalar T>
Var<T> Model<T>::run(const Var<T>& theta, const Var<T>& x, std::vector<LayerTrace<T>>* trace) const {
  if (theta.rank() != 1 || theta.size() != parameters_.size())
    throw ShapeError("model: parameter vector has shape " + shape_string(theta.shape()) + ", expected [" +
                     std::to_string(parameters_.size()) + "]");
  const Shape& in_shape = architecture_.input_shape();
  const Shape xs = x.shape();
  if (xs.size() != in_shape.size() + 1 || !std::equal(in_shape.begin(), in_shape.end(), xs.begin() + 1))
    throw ShapeError("model: input batch has shape " + shape_string(xs) + ", expected [N, " +
                     shape_string(in_shape).substr(1));
  const std::vector<Layer>& layers = architecture_.layers();
  std::vector<LayerParameters<T>> params(layers.size());
  for (const ParameterBlock& b : blocks_) {
    const Var<T> view = segment(theta, b.offset, b.shape);
    (b.is_bias ? params[b.layer].bias : params[b.layer].weight) = view;
  }
  std::vector<Var<T>> values(layers.size());
  std::vector<Var<T>> inputs;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    inputs.clear();
    if (layers[i].kind == LayerKind::Input) inputs.push_back(x);
    for (std::size_t in : layers[i].inputs) inputs.push_back(values[in]);
    values[i] = layer_forward(layers[i], inputs, params[i]);
    // Every parameterised kind has one input, and its parameters act last (bias and shift included).
    if (trace && (params[i].weight || params[i].bias)) trace->push_back({i, inputs.at(0), values[i]});
  }
  return values.back();
}

template <Scalar T>
Tensor<T> Model<T>::predict(const Tensor<T>& x) const {
  Tape<T> tape;
  return forward(tape.constant(parameters_), tape.constant(x)).value();
}

template <Scalar T>
std::vector<Tensor<T>> layer_cotangents(const TracedForward<T>& traced, const Tensor<T>& seed) {
  std::vector<Var<T>> at;
  at.reserve(traced.layers.size());
  for (const LayerTrace<T>& l : traced.layers) at.push_back(l.output);
  return backward(traced.output, seed, std::span<const Var<T>>(at));
}

template class Model<float>;
template class Model<double>;
template class Model<Rational>;
template class Model<Modular>;
template std::vector<Tensor<float>> layer_cotangents(const TracedForward<float>&, const Tensor<float>&);
template std::vector<Tensor<double>> layer_cotangents(const TracedForward<double>&, const Tensor<double>&);
template std::vector<Tensor<Rational>> layer_cotangents(const TracedForward<Rational>&, const Tensor<Rational>&);
template std::vector<Tensor<Modular>> layer_cotangents(const TracedForward<Modular>&, const Tensor<Modular>&);

}  // namespace netdim::nn
