#include "netdim/nn/subspace/subspace_training.hpp"

#include <stdexcept>
#include <string>

#include "netdim/autodiff/ops.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
Subspace<T>::Subspace(Tensor<T> theta0, std::shared_ptr<const LinearOperator<T>> projection)
    : projection_(std::move(projection)) {
  if (!projection_) throw std::invalid_argument("subspace: no projection");
  if (theta0.dimension() != 1 || theta0.size() != projection_->rows())
    throw ShapeError("subspace: the origin has shape " + shape_string(shape_of(theta0)) + " but the " +
                     projection_->name() + " has " + std::to_string(projection_->rows()) + " rows");
  theta0_ = std::make_shared<const Tensor<T>>(std::move(theta0));
  coordinates_ = zeros_of<T>(Shape{projection_->cols()});
}

template <FloatingScalar T>
void Subspace<T>::set_coordinates(Tensor<T> d) {
  if (d.dimension() != 1 || d.size() != dimension())
    throw ShapeError("subspace: coordinates of shape " + shape_string(shape_of(d)) + " for a subspace of dimension " +
                     std::to_string(dimension()));
  coordinates_ = std::move(d);
}

template <FloatingScalar T>
Tensor<T> Subspace<T>::parameters() const {
  Tensor<T> theta = apply_operator(*projection_, coordinates_);
  theta += *theta0_;
  return theta;
}

template <FloatingScalar T>
nn::Trainable<T> Subspace<T>::trainable() {
  auto theta0 = theta0_;
  auto projection = projection_;
  return {&coordinates_, [theta0, projection](const Var<T>& d) {
            return lift(d, Tensor<T>(*theta0)) + apply_operator(projection, d);
          }};
}

template class Subspace<float>;
template class Subspace<double>;

}  // namespace netdim::nn::subspace
