// Operations that move values without arithmetic: reshape, broadcast and its
// adjoint sum_to, axis permutation, slicing, indexing, concatenation, and
// segment (a reshaped piece of a flat vector: how layers view the one flat
// parameter vector).
#pragma once

#include <vector>

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <Scalar T> Var<T> reshape(const Var<T>& x, const Shape& shape);
template <Scalar T> Var<T> broadcast_to(const Var<T>& x, const Shape& shape);
template <Scalar T> Var<T> sum_to(const Var<T>& x, const Shape& shape);
// Axis permutation: output axis i is input axis perm[i].
template <Scalar T> Var<T> permute(const Var<T>& x, const std::vector<std::size_t>& perm);
// Reverses the axes (the matrix transpose for 2-D).
template <Scalar T> Var<T> transpose(const Var<T>& x);
// x[start:stop:step] along `axis` (negative axis counts from the end; step > 0).
template <Scalar T> Var<T> slice(const Var<T>& x, long axis, std::size_t start, std::size_t stop, std::size_t step = 1);
// x[i] along `axis`; the axis is removed.
template <Scalar T> Var<T> index(const Var<T>& x, long axis, std::size_t i);
template <Scalar T> Var<T> concat(const std::vector<Var<T>>& xs, long axis);
// flat[offset : offset + size(shape)] reshaped to `shape`; flat must be 1-D.
// Its vjp adds into the matching part of the flat gradient, in place.
template <Scalar T> Var<T> segment(const Var<T>& flat, std::size_t offset, const Shape& shape);

// Tensor counterparts, so that generic rules can name them for either X.
template <class T> Tensor<T> reshape(const Tensor<T>& x, const Shape& shape);
template <class T> Tensor<T> permute(const Tensor<T>& x, const std::vector<std::size_t>& perm);

#define NETDIM_SHAPE_EXTERN(T)                                                                 \
  extern template Var<T> reshape(const Var<T>&, const Shape&);                                 \
  extern template Var<T> broadcast_to(const Var<T>&, const Shape&);                            \
  extern template Var<T> sum_to(const Var<T>&, const Shape&);                                  \
  extern template Var<T> permute(const Var<T>&, const std::vector<std::size_t>&);              \
  extern template Var<T> transpose(const Var<T>&);                                             \
  extern template Var<T> slice(const Var<T>&, long, std::size_t, std::size_t, std::size_t);   \
  extern template Var<T> index(const Var<T>&, long, std::size_t);                             \
  extern template Var<T> concat(const std::vector<Var<T>>&, long);                             \
  extern template Var<T> segment(const Var<T>&, std::size_t, const Shape&);                    \
  extern template Tensor<T> reshape(const Tensor<T>&, const Shape&);                           \
  extern template Tensor<T> permute(const Tensor<T>&, const std::vector<std::size_t>&);
NETDIM_SHAPE_EXTERN(float)
NETDIM_SHAPE_EXTERN(double)
NETDIM_SHAPE_EXTERN(Rational)
NETDIM_SHAPE_EXTERN(Modular)
#undef NETDIM_SHAPE_EXTERN

}  // namespace netdim
