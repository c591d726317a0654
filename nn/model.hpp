// Model<T>: an Architecture instantiated for a scalar type, with all its
// parameters in ONE flat contiguous vector (canonical order, see
// architecture.hpp). Jacobian columns, subspace training (theta0 + P d) and the
// optimisers all work on that vector.
//
// forward(theta, x) evaluates a batch on a tape at any parameter vector given as
// a Var, so gradients with respect to theta come out flat.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::nn {

// One parameterised layer (dense, conv2d, projection, batch_norm) as a forward
// pass met it: the node of its input and the node its parameters produce (its
// output before any activation, which is a layer of its own). A per-example
// sweep builds each example's parameter gradients from these two alone.
template <Scalar T>
struct LayerTrace {
  std::size_t layer = 0;  // index into architecture().layers()
  Var<T> input, output;   // [N, in...] and [N, out...]
};

// A forward pass with its per-layer trace, parameterised layers in declaration order.
template <Scalar T>
struct TracedForward {
  Var<T> output;
  std::vector<LayerTrace<T>> layers;
};

template <Scalar T>
class Model {
 public:
  // Initialised with each block's initialiser (PyTorch's defaults unless set), from `seed`.
  explicit Model(Architecture architecture, std::uint64_t seed = 0);

  const Architecture& architecture() const { return architecture_; }
  const std::vector<ParameterBlock>& blocks() const { return blocks_; }
  std::size_t parameter_count() const { return parameters_.size(); }

  const Tensor<T>& parameters() const { return parameters_; }
  Tensor<T>& parameters() { return parameters_; }
  // Replaces the flat vector; its length must be parameter_count().
  void set_parameters(Tensor<T> theta);
  // Draws every block afresh from its initialiser, in canonical order, from one seeded stream.
  void initialize(std::uint64_t seed);

  // The entries of one block (a view into the flat vector), by index or by name ("dense1.weight").
  std::span<T> block(std::size_t i);
  std::span<const T> block(std::size_t i) const;
  const ParameterBlock& block_named(const std::string& name) const;

  // The batch [N, input...] through the network at parameters theta (a 1-D Var of
  // length parameter_count()), on theta's tape. Returns [N, output...].
  Var<T> forward(const Var<T>& theta, const Var<T>& x) const;
  // The same, also recording every parameterised layer's input and output nodes.
  TracedForward<T> forward_traced(const Var<T>& theta, const Var<T>& x) const;
  // The same at the model's own parameters, as numbers.
  Tensor<T> predict(const Tensor<T>& x) const;

 private:
  Var<T> run(const Var<T>& theta, const Var<T>& x, std::vector<LayerTrace<T>>* trace) const;
  Architecture architecture_;
  std::vector<ParameterBlock> blocks_;
  Tensor<T> parameters_;
};

// The cotangents at every traced layer's output for the output cotangent `seed`
// (shaped like traced.output): one reverse sweep, stopping at the lowest traced
// layer. For a network whose examples do not interact, row i of each result is
// example i's own cotangent when `seed` is zero outside example i's outputs.
// theta must have been a tape variable: no cotangent flows into constants.
template <Scalar T>
std::vector<Tensor<T>> layer_cotangents(const TracedForward<T>& traced, const Tensor<T>& seed);

extern template class Model<float>;
extern template class Model<double>;
extern template class Model<Rational>;
extern template class Model<Modular>;
extern template std::vector<Tensor<float>> layer_cotangents(const TracedForward<float>&, const Tensor<float>&);
extern template std::vector<Tensor<double>> layer_cotangents(const TracedForward<double>&, const Tensor<double>&);
extern template std::vector<Tensor<Rational>> layer_cotangents(const TracedForward<Rational>&,
                                                               const Tensor<Rational>&);
extern template std::vector<Tensor<Modular>> layer_cotangents(const TracedForward<Modular>&,
                                                              const Tensor<Modular>&);

}  // namespace netdim::nn
