// Tensor values and the shape arithmetic every operation needs
// (numpy broadcasting, and its adjoint: summing a broadcast back to a shape).
#pragma once

#include <xtensor/xarray.hpp>
#include <xtensor/xbuilder.hpp>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "netdim/autodiff/allocator.hpp"
#include "netdim/autodiff/scalar.hpp"
#include "netdim/autodiff/shape_error.hpp"

namespace netdim {

// Row-major arrays whose storage comes from the per-thread block cache (allocator.hpp).
template <class T>
using Tensor = xt::xarray<T, xt::layout_type::row_major, PoolAllocator<T>>;
using Shape = xt::svector<std::size_t, 4>;

std::string shape_string(const Shape& s);
// The number of elements; throws ShapeError (prefixed by `op` when given) when
// the product of the extents, zeros aside, overflows.
std::size_t shape_size(const Shape& s, std::string_view op = {});

// The numpy broadcast of two shapes; throws ShapeError naming `op` and both shapes.
Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op);

// Normalises a possibly negative axis against a rank; throws ShapeError when out of range.
std::size_t normalize_axis(long axis, std::size_t rank, std::string_view op);

template <class T>
Shape shape_of(const Tensor<T>& t) {
  return Shape(t.shape().begin(), t.shape().end());
}

// Sums `g` over the axes that broadcasting added or stretched, so that the result has `shape`.
// The adjoint of broadcasting `shape` to g's shape.
template <class T>
Tensor<T> sum_to(const Tensor<T>& g, const Shape& shape);

// Materialised numpy broadcast of `x` to `shape`.
template <class T>
Tensor<T> broadcast_to(const Tensor<T>& x, const Shape& shape);

// Sum over one axis, optionally keeping it with length 1.
template <class T>
Tensor<T> sum_axis(const Tensor<T>& x, std::size_t axis, bool keepdims);

template <class T>
Tensor<T> zeros_of(const Shape& shape) {
  shape_size(shape, "zeros");  // xtensor would wrap an uncountable size into a small buffer
  return Tensor<T>(shape, T(0));
}

// x to the integer power n by repeated multiplication (exact for Rational).
template <class T>
Tensor<T> ipow(const Tensor<T>& x, int n);

#define NETDIM_TENSOR_EXTERN(T)                                            \
  extern template Tensor<T> sum_to(const Tensor<T>&, const Shape&);        \
  extern template Tensor<T> broadcast_to(const Tensor<T>&, const Shape&);  \
  extern template Tensor<T> sum_axis(const Tensor<T>&, std::size_t, bool); \
  extern template Tensor<T> ipow(const Tensor<T>&, int);
NETDIM_TENSOR_EXTERN(float)
NETDIM_TENSOR_EXTERN(double)
NETDIM_TENSOR_EXTERN(Rational)
NETDIM_TENSOR_EXTERN(Modular)
#undef NETDIM_TENSOR_EXTERN

}  // namespace netdim
