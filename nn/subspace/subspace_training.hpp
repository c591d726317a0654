// Training in a random subspace (seed 002): theta = theta0 + P d, with theta0
// the model's initial parameters, P a D x d projection and d the coordinates,
// starting at zero. The optimiser moves d only, through the trainer's
// Trainable hook: the gradient it sees is P^T times the full gradient, by the
// linear-operator rule, so every optimiser of nn works on d unchanged.
#pragma once

#include <memory>

#include "netdim/autodiff/ops/linear_operator.hpp"
#include "netdim/nn/train/trainer.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
class Subspace {
 public:
  // theta0 is a 1-D vector of D = projection->rows() entries.
  Subspace(Tensor<T> theta0, std::shared_ptr<const LinearOperator<T>> projection);

  std::size_t dimension() const { return coordinates_.size(); }  // d
  const Tensor<T>& coordinates() const { return coordinates_; }
  // Sets d (e.g. coordinates loaded from a file); its length must be dimension().
  void set_coordinates(Tensor<T> d);
  const Tensor<T>& origin() const { return *theta0_; }
  const LinearOperator<T>& projection() const { return *projection_; }

  // theta0 + P d at the current coordinates.
  Tensor<T> parameters() const;
  // What nn::train moves: the coordinates, and the map d -> theta0 + P d on the tape.
  // The Subspace must outlive the training.
  nn::Trainable<T> trainable();

 private:
  std::shared_ptr<const Tensor<T>> theta0_;
  std::shared_ptr<const LinearOperator<T>> projection_;
  Tensor<T> coordinates_;
};

extern template class Subspace<float>;
extern template class Subspace<double>;

}  // namespace netdim::nn::subspace
