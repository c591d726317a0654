// Reductions: sum and mean, over all axes (a 0-D result) or one axis.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <Scalar T> Var<T> sum(const Var<T>& x);
template <Scalar T> Var<T> sum(const Var<T>& x, long axis, bool keepdims = false);
template <Scalar T> Var<T> mean(const Var<T>& x);
template <Scalar T> Var<T> mean(const Var<T>& x, long axis, bool keepdims = false);
// Same as sum(x, axis, keepdims) with an already normalised axis; the name generic rules use.
template <Scalar T> Var<T> sum_axis(const Var<T>& x, std::size_t axis, bool keepdims);

#define NETDIM_REDUCE_EXTERN(T)                                 \
  extern template Var<T> sum(const Var<T>&);                    \
  extern template Var<T> sum(const Var<T>&, long, bool);        \
  extern template Var<T> mean(const Var<T>&);                   \
  extern template Var<T> mean(const Var<T>&, long, bool);       \
  extern template Var<T> sum_axis(const Var<T>&, std::size_t, bool);
NETDIM_REDUCE_EXTERN(float)
NETDIM_REDUCE_EXTERN(double)
NETDIM_REDUCE_EXTERN(Rational)
NETDIM_REDUCE_EXTERN(Modular)
#undef NETDIM_REDUCE_EXTERN

}  // namespace netdim
