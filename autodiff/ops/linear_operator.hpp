// A linear map y = A x known only by its two products, A x and A^T g, as one
// operation: reverse mode adds A^T y_bar to x_bar, forward mode gives
// y_dot = A x_dot. Nothing else about A is needed, so a matrix-free operator
// (a random projection, a structured transform) is differentiable as soon as it
// can multiply by itself and by its transpose. Subspace training
// (theta = theta0 + P d) rests on this one rule.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "netdim/autodiff/apply.hpp"

namespace netdim {

// A (rows x cols) linear operator given by its products. Both products
// overwrite their output; the spans have exactly cols() and rows() entries.
template <FloatingScalar T>
class LinearOperator {
 public:
  virtual ~LinearOperator() = default;
  virtual std::string name() const = 0;
  virtual std::size_t rows() const = 0;
  virtual std::size_t cols() const = 0;
  virtual void apply(std::span<const T> x, std::span<T> y) const = 0;            // y = A x
  virtual void apply_transpose(std::span<const T> g, std::span<T> x) const = 0;  // x = A^T g
};

// An operator from two functions, for operators too small to deserve a class.
template <FloatingScalar T>
std::shared_ptr<const LinearOperator<T>> make_linear_operator(
    std::string name, std::size_t rows, std::size_t cols, std::function<void(std::span<const T>, std::span<T>)> apply,
    std::function<void(std::span<const T>, std::span<T>)> apply_transpose);

// A x for x of shape [cols] (result [rows]) or a batch [N, cols] (result [N, rows],
// row by row). The operator is shared with the tape, which keeps it alive.
template <FloatingScalar T>
Var<T> apply_operator(std::shared_ptr<const LinearOperator<T>> a, const Var<T>& x);

// The same on numbers, and A^T g, for callers outside a tape.
template <FloatingScalar T>
Tensor<T> apply_operator(const LinearOperator<T>& a, const Tensor<T>& x);
template <FloatingScalar T>
Tensor<T> apply_operator_transpose(const LinearOperator<T>& a, const Tensor<T>& g);

#define NETDIM_LINEAR_OPERATOR_EXTERN(T)                                                                         \
  extern template std::shared_ptr<const LinearOperator<T>> make_linear_operator(                                \
      std::string, std::size_t, std::size_t, std::function<void(std::span<const T>, std::span<T>)>,             \
      std::function<void(std::span<const T>, std::span<T>)>);                                                    \
  extern template Var<T> apply_operator(std::shared_ptr<const LinearOperator<T>>, const Var<T>&);               \
  extern template Tensor<T> apply_operator(const LinearOperator<T>&, const Tensor<T>&);                         \
  extern template Tensor<T> apply_operator_transpose(const LinearOperator<T>&, const Tensor<T>&);
NETDIM_LINEAR_OPERATOR_EXTERN(float)
NETDIM_LINEAR_OPERATOR_EXTERN(double)
#undef NETDIM_LINEAR_OPERATOR_EXTERN

}  // namespace netdim
