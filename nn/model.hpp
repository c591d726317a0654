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

#include "nn/architecture.hpp"

namespace netdim::nn {

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
  // The same at the model's own parameters, as numbers.
  Tensor<T> predict(const Tensor<T>& x) const;

 private:
  Architecture architecture_;
  std::vector<ParameterBlock> blocks_;
  Tensor<T> parameters_;
};

extern template class Model<float>;
extern template class Model<double>;
extern template class Model<Rational>;

}  // namespace netdim::nn
