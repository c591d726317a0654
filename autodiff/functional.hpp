// Whole-function derivatives, in the style of JAX: each takes a function of one
// Var and a point, records the function on a fresh tape and returns numbers.
//   value_and_grad  gradient of a scalar function (one reverse sweep)
//   vjp             u^T J (one reverse sweep)
//   jvp             J v   (one forward evaluation, no reverse sweep)
//   jacobian_rows   J built row by row (reverse mode), shape [size(f), size(x)]
//   jacobian_columns J built column by column (forward mode), same matrix
//   hvp             H v of a scalar function, forward over reverse
//   hvp_reverse     H v, reverse over reverse
#pragma once

#include <functional>
#include <utility>

#include "netdim/autodiff/reverse.hpp"

namespace netdim {

template <class T>
using Function = std::function<Var<T>(const Var<T>&)>;

template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> value_and_grad(const Function<T>& f, const Tensor<T>& x);
template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> vjp(const Function<T>& f, const Tensor<T>& x, const Tensor<T>& u);
template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> jvp(const Function<T>& f, const Tensor<T>& x, const Tensor<T>& v);
template <Scalar T>
Tensor<T> jacobian_rows(const Function<T>& f, const Tensor<T>& x);
template <Scalar T>
Tensor<T> jacobian_columns(const Function<T>& f, const Tensor<T>& x);
template <Scalar T>
Tensor<T> hvp(const Function<T>& f, const Tensor<T>& x, const Tensor<T>& v);
template <Scalar T>
Tensor<T> hvp_reverse(const Function<T>& f, const Tensor<T>& x, const Tensor<T>& v);

#define NETDIM_FUNCTIONAL_EXTERN(T)                                                                               \
  extern template std::pair<Tensor<T>, Tensor<T>> value_and_grad(const Function<T>&, const Tensor<T>&);           \
  extern template std::pair<Tensor<T>, Tensor<T>> vjp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);    \
  extern template std::pair<Tensor<T>, Tensor<T>> jvp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);    \
  extern template Tensor<T> jacobian_rows(const Function<T>&, const Tensor<T>&);                                  \
  extern template Tensor<T> jacobian_columns(const Function<T>&, const Tensor<T>&);                               \
  extern template Tensor<T> hvp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);                          \
  extern template Tensor<T> hvp_reverse(const Function<T>&, const Tensor<T>&, const Tensor<T>&);
NETDIM_FUNCTIONAL_EXTERN(float)
NETDIM_FUNCTIONAL_EXTERN(double)
NETDIM_FUNCTIONAL_EXTERN(Rational)
NETDIM_FUNCTIONAL_EXTERN(Modular)
#undef NETDIM_FUNCTIONAL_EXTERN

}  // namespace netdim
