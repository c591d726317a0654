// Elementwise arithmetic with numpy broadcasting: add, sub, mul, div, neg and
// the scalar forms behind Var's operators.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <Scalar T> Var<T> add(const Var<T>& a, const Var<T>& b);
template <Scalar T> Var<T> sub(const Var<T>& a, const Var<T>& b);
template <Scalar T> Var<T> mul(const Var<T>& a, const Var<T>& b);
template <Scalar T> Var<T> div(const Var<T>& a, const Var<T>& b);
template <Scalar T> Var<T> neg(const Var<T>& a);
template <Scalar T> Var<T> add_scalar(const Var<T>& a, T s);   // a + s
template <Scalar T> Var<T> mul_scalar(const Var<T>& a, T s);   // s * a
template <Scalar T> Var<T> div_scalar(const Var<T>& a, T s);   // a / s
template <Scalar T> Var<T> rdiv_scalar(const Var<T>& a, T s);  // s / a

#define NETDIM_ARITHMETIC_EXTERN(T)                              \
  extern template Var<T> add(const Var<T>&, const Var<T>&);      \
  extern template Var<T> sub(const Var<T>&, const Var<T>&);      \
  extern template Var<T> mul(const Var<T>&, const Var<T>&);      \
  extern template Var<T> div(const Var<T>&, const Var<T>&);      \
  extern template Var<T> neg(const Var<T>&);                     \
  extern template Var<T> add_scalar(const Var<T>&, T);           \
  extern template Var<T> mul_scalar(const Var<T>&, T);           \
  extern template Var<T> div_scalar(const Var<T>&, T);           \
  extern template Var<T> rdiv_scalar(const Var<T>&, T);
NETDIM_ARITHMETIC_EXTERN(float)
NETDIM_ARITHMETIC_EXTERN(double)
NETDIM_ARITHMETIC_EXTERN(Rational)
NETDIM_ARITHMETIC_EXTERN(Modular)
#undef NETDIM_ARITHMETIC_EXTERN

}  // namespace netdim
