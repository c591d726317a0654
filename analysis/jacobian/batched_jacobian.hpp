// The per-example Jacobian J[i, j] = d g(x_i) / d theta_j (the reference_jacobian's
// matrix, same rows, same canonical columns) from ONE batched forward and ONE reverse
// sweep (k sweeps for `stack` with k outputs; a batch too big for one tape goes in runs
// of examples, see layer_sweep.hpp), instead of one sweep per row: each
// parameterised layer's columns are assembled from its inputs and output cotangents
// (analysis/jacobian/layer_sweep.hpp). A layer without such a rule takes its columns
// from the reference path.
#pragma once

#include "netdim/analysis/jacobian/reference_jacobian.hpp"

namespace netdim::analysis {

// Shape [n * rows_per_example(k), parameter_count()]. Throws like reference_jacobian.
template <Scalar T>
Tensor<T> batched_jacobian(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                           OutputReduction reduce);

template <Scalar T>
Tensor<T> batched_jacobian(const nn::Model<T>& model, const Tensor<T>& inputs, OutputReduction reduce) {
  return batched_jacobian(model, model.parameters(), inputs, reduce);
}

#define NETDIM_BATCHED_JACOBIAN_EXTERN(T)                                                                 \
  extern template Tensor<T> batched_jacobian(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&,     \
                                             OutputReduction);
NETDIM_BATCHED_JACOBIAN_EXTERN(float)
NETDIM_BATCHED_JACOBIAN_EXTERN(double)
NETDIM_BATCHED_JACOBIAN_EXTERN(Rational)
NETDIM_BATCHED_JACOBIAN_EXTERN(Modular)
#undef NETDIM_BATCHED_JACOBIAN_EXTERN

}  // namespace netdim::analysis
