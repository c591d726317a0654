// Training losses. Each returns a 0-D Var: the mean over all elements (or, for
// cross_entropy, over the batch), like PyTorch's reduction='mean', so the same
// learning rate means the same thing here and there.
//
// Targets may be Vars (differentiable, as in PyTorch) or plain tensors (data,
// recorded as constants on the prediction's tape). Shapes must match exactly:
// PyTorch broadcasts mismatched targets with only a warning, which hides bugs.
#pragma once

#include <vector>

#include "netdim/autodiff/apply.hpp"

namespace netdim::nn {

// mean((pred - target)^2). Polynomial, so exact over Rational.
template <Scalar T> Var<T> mse_loss(const Var<T>& pred, const Var<T>& target);
template <Scalar T> Var<T> mse_loss(const Var<T>& pred, const Tensor<T>& target);

// mean(|pred - target|). Piecewise linear, so exact over Rational too.
template <Scalar T> Var<T> mae_loss(const Var<T>& pred, const Var<T>& target);
template <Scalar T> Var<T> mae_loss(const Var<T>& pred, const Tensor<T>& target);

// PyTorch's CrossEntropyLoss for logits [N, C] and one class index per row:
// mean over rows of -log_softmax(logits)[i, labels[i]]. Throws ShapeError for a
// shape other than [N>0, C>0] and std::invalid_argument for a label count other
// than N or a label outside [0, C) (naming the label and its index).
template <FloatingScalar T> Var<T> cross_entropy(const Var<T>& logits, const std::vector<int>& labels);

// PyTorch's BCEWithLogitsLoss: mean of max(x, 0) - x t + log1p(exp(-|x|)), the
// form that never overflows. Throws std::invalid_argument for a target outside [0, 1].
template <FloatingScalar T> Var<T> binary_cross_entropy_with_logits(const Var<T>& logits, const Var<T>& targets);
template <FloatingScalar T> Var<T> binary_cross_entropy_with_logits(const Var<T>& logits, const Tensor<T>& targets);

#define NETDIM_EXACT_LOSS_EXTERN(T)                                          \
  extern template Var<T> mse_loss(const Var<T>&, const Var<T>&);             \
  extern template Var<T> mse_loss(const Var<T>&, const Tensor<T>&);          \
  extern template Var<T> mae_loss(const Var<T>&, const Var<T>&);             \
  extern template Var<T> mae_loss(const Var<T>&, const Tensor<T>&);
#define NETDIM_FLOAT_LOSS_EXTERN(T)                                                          \
  extern template Var<T> cross_entropy(const Var<T>&, const std::vector<int>&);              \
  extern template Var<T> binary_cross_entropy_with_logits(const Var<T>&, const Var<T>&);     \
  extern template Var<T> binary_cross_entropy_with_logits(const Var<T>&, const Tensor<T>&);
NETDIM_EXACT_LOSS_EXTERN(float)
NETDIM_EXACT_LOSS_EXTERN(double)
NETDIM_EXACT_LOSS_EXTERN(Rational)
NETDIM_FLOAT_LOSS_EXTERN(float)
NETDIM_FLOAT_LOSS_EXTERN(double)
#undef NETDIM_EXACT_LOSS_EXTERN
#undef NETDIM_FLOAT_LOSS_EXTERN

}  // namespace netdim::nn
