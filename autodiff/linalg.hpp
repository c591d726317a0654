// Dense matrix products on plain tensors: BLAS (sgemm/dgemm) for float and
// double, an exact triple loop for Rational.
#pragma once

#include "netdim/autodiff/tensor.hpp"

namespace netdim {

// op(a) @ op(b) for 2-D tensors, op = transpose when the flag is set.
template <class T>
Tensor<T> matmul(const Tensor<T>& a, const Tensor<T>& b, bool trans_a = false, bool trans_b = false);

// c := alpha * op(a) @ op(b) + beta * c, in place (c already has the right shape).
template <class T>
void gemm_into(const Tensor<T>& a, const Tensor<T>& b, bool trans_a, bool trans_b, T alpha, T beta, Tensor<T>& c);

extern template Tensor<float> matmul(const Tensor<float>&, const Tensor<float>&, bool, bool);
extern template Tensor<double> matmul(const Tensor<double>&, const Tensor<double>&, bool, bool);
extern template Tensor<Rational> matmul(const Tensor<Rational>&, const Tensor<Rational>&, bool, bool);
extern template Tensor<Modular> matmul(const Tensor<Modular>&, const Tensor<Modular>&, bool, bool);

}  // namespace netdim
