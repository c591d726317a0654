// Reverse mode: the sweep from an output back to chosen Vars.
//
// The sweep is a loop over the tape from the output down (never recursion),
// visiting only nodes that lie between the output and a requested Var, and
// accumulating where a value is used more than once.
#pragma once

#include <span>
#include <vector>

#include "netdim/autodiff/tape.hpp"

namespace netdim {

// Cotangents of `wrt` for the output cotangent `seed` (shaped like y):
// the vector-Jacobian product seed^T J for each Var in `wrt`.
template <Scalar T>
std::vector<Tensor<T>> backward(const Var<T>& y, const Tensor<T>& seed, std::span<const Var<T>> wrt);

// The same sweep recorded on the tape (PyTorch's create_graph): the results are
// Vars that can be differentiated again, in either mode.
template <Scalar T>
std::vector<Var<T>> backward_recorded(const Var<T>& y, const Var<T>& seed, std::span<const Var<T>> wrt);

// Gradient of a one-element y with respect to each Var in `wrt`.
template <Scalar T>
std::vector<Tensor<T>> grad(const Var<T>& y, std::span<const Var<T>> wrt);
template <Scalar T>
Tensor<T> grad(const Var<T>& y, const Var<T>& x);

#define NETDIM_REVERSE_EXTERN(T)                                                                         \
  extern template std::vector<Tensor<T>> backward(const Var<T>&, const Tensor<T>&, std::span<const Var<T>>); \
  extern template std::vector<Var<T>> backward_recorded(const Var<T>&, const Var<T>&, std::span<const Var<T>>); \
  extern template std::vector<Tensor<T>> grad(const Var<T>&, std::span<const Var<T>>);                    \
  extern template Tensor<T> grad(const Var<T>&, const Var<T>&);
NETDIM_REVERSE_EXTERN(float)
NETDIM_REVERSE_EXTERN(double)
NETDIM_REVERSE_EXTERN(Rational)
NETDIM_REVERSE_EXTERN(Modular)
#undef NETDIM_REVERSE_EXTERN

}  // namespace netdim
