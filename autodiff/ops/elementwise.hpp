// Elementwise functions. The polynomial ones (square, integer power) accept every
// scalar; the piecewise-linear ones (abs, relu, leaky_relu) compare, so they need an
// OrderedScalar (Rational yes, Modular no); the transcendental ones are constrained
// to FloatingScalar, so applying them to a rational Var does not compile.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <Scalar T> Var<T> square(const Var<T>& x);
template <Scalar T> Var<T> pow(const Var<T>& x, int n);  // n >= 0
template <OrderedScalar T> Var<T> abs(const Var<T>& x);
template <OrderedScalar T> Var<T> relu(const Var<T>& x);
template <OrderedScalar T> Var<T> leaky_relu(const Var<T>& x, T negative_slope);
// min(max(x, 0), 6); derivative 1 on (0, 6) and 0 elsewhere, kinks included (torch's relu6 backward).
template <OrderedScalar T> Var<T> relu6(const Var<T>& x);

template <FloatingScalar T> Var<T> exp(const Var<T>& x);
template <FloatingScalar T> Var<T> log(const Var<T>& x);
template <FloatingScalar T> Var<T> sqrt(const Var<T>& x);
template <FloatingScalar T> Var<T> tanh(const Var<T>& x);
template <FloatingScalar T> Var<T> sigmoid(const Var<T>& x);
template <FloatingScalar T> Var<T> softplus(const Var<T>& x);
template <FloatingScalar T> Var<T> sin(const Var<T>& x);
template <FloatingScalar T> Var<T> cos(const Var<T>& x);

// The name generic rules use for pow (ipow also exists for tensors).
template <Scalar T> Var<T> ipow(const Var<T>& x, int n) { return pow(x, n); }

// Tensor forms of the functions xtensor lacks, for generic rules and layers.
template <class T> Tensor<T> sigmoid(const Tensor<T>& x);
template <class T> Tensor<T> softplus(const Tensor<T>& x);

#define NETDIM_POLYNOMIAL_EW_EXTERN(T)                  \
  extern template Var<T> square(const Var<T>&);         \
  extern template Var<T> pow(const Var<T>&, int);
#define NETDIM_EXACT_EW_EXTERN(T)                       \
  NETDIM_POLYNOMIAL_EW_EXTERN(T)                        \
  extern template Var<T> abs(const Var<T>&);            \
  extern template Var<T> relu(const Var<T>&);           \
  extern template Var<T> leaky_relu(const Var<T>&, T); \
  extern template Var<T> relu6(const Var<T>&);
#define NETDIM_FLOAT_EW_EXTERN(T)                       \
  extern template Var<T> exp(const Var<T>&);            \
  extern template Var<T> log(const Var<T>&);            \
  extern template Var<T> sqrt(const Var<T>&);           \
  extern template Var<T> tanh(const Var<T>&);           \
  extern template Var<T> sigmoid(const Var<T>&);        \
  extern template Var<T> softplus(const Var<T>&);       \
  extern template Var<T> sin(const Var<T>&);            \
  extern template Var<T> cos(const Var<T>&);            \
  extern template Tensor<T> sigmoid(const Tensor<T>&);  \
  extern template Tensor<T> softplus(const Tensor<T>&);
NETDIM_EXACT_EW_EXTERN(float)
NETDIM_EXACT_EW_EXTERN(double)
NETDIM_EXACT_EW_EXTERN(Rational)
NETDIM_POLYNOMIAL_EW_EXTERN(Modular)
NETDIM_FLOAT_EW_EXTERN(float)
NETDIM_FLOAT_EW_EXTERN(double)
#undef NETDIM_POLYNOMIAL_EW_EXTERN
#undef NETDIM_EXACT_EW_EXTERN
#undef NETDIM_FLOAT_EW_EXTERN

}  // namespace netdim
