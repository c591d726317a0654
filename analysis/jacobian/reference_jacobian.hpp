// The per-example Jacobian of a network with respect to its parameters, by the
// definition: J[i, j] = d g(x_i) / d theta_j, one forward pass of example i alone and
// one reverse sweep per row. Slow and simple on purpose: it is the reference the
// batched Jacobian and the structured Gram are tested against, and the fallback for
// layers whose examples interact. Parameters are in the canonical flat order
// (nn/architecture.hpp), so J compares directly with PyTorch's.
#pragma once

#include <cstddef>
#include <string>

#include "netdim/nn/model.hpp"

namespace netdim::analysis {

// How an example's outputs f_1..f_k become the scalar(s) g whose gradients are J's
// rows (seed 003, section 3.2). k counts every output entry of one example.
//   first        g = f_1                       one row per example
//   sum_squares  g = sum_c f_c^2                one row per example
//   stack        g = f_1, ..., f_k              k rows per example, row i*k + c
//   per_output   g = f_c for a chosen c         one row per example
// The seed's "mean" (the spanning dimension averaged over the outputs) is the
// caller's: one per_output Jacobian per output, one spanning dimension each.
struct OutputReduction {
  enum class Kind { First, SumSquares, Stack, PerOutput };
  Kind kind = Kind::First;
  std::size_t output = 0;  // per_output's c (0-based, flat within one example's outputs)

  static OutputReduction first() { return {Kind::First, 0}; }
  static OutputReduction sum_squares() { return {Kind::SumSquares, 0}; }
  static OutputReduction stack() { return {Kind::Stack, 0}; }
  static OutputReduction per_output(std::size_t c) { return {Kind::PerOutput, c}; }

  // Rows of J per example for a network with `outputs` outputs per example.
  std::size_t rows_per_example(std::size_t outputs) const { return kind == Kind::Stack ? outputs : 1; }
  std::string name() const;  // "first", "sum_squares", "stack", "per_output(2)"
};

// J at parameters `theta` (length parameter_count()) for the batch `inputs`
// [n, input...]: shape [n * rows_per_example(k), parameter_count()]. Throws ShapeError
// for a parameter vector or inputs of the wrong shape, std::invalid_argument for an
// empty batch, a network without parameters, or a per_output index past the outputs.
template <Scalar T>
Tensor<T> reference_jacobian(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                             OutputReduction reduce);

// The same at the model's own parameters.
template <Scalar T>
Tensor<T> reference_jacobian(const nn::Model<T>& model, const Tensor<T>& inputs, OutputReduction reduce) {
  return reference_jacobian(model, model.parameters(), inputs, reduce);
}

#define NETDIM_REFERENCE_JACOBIAN_EXTERN(T)                                                       \
  extern template Tensor<T> reference_jacobian(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&, \
                                               OutputReduction);
NETDIM_REFERENCE_JACOBIAN_EXTERN(float)
NETDIM_REFERENCE_JACOBIAN_EXTERN(double)
NETDIM_REFERENCE_JACOBIAN_EXTERN(Rational)
NETDIM_REFERENCE_JACOBIAN_EXTERN(Modular)
#undef NETDIM_REFERENCE_JACOBIAN_EXTERN

}  // namespace netdim::analysis
