// 2-D convolution of [N, C, H, W] batches, exactly torch.nn.functional.conv2d
// (cross-correlation, zero padding, stride, dilation, groups; no bias: a layer
// adds its bias separately), and its two adjoints as operations of their own:
//   conv2d_input_grad  g, w -> dx  (the transposed convolution)
//   conv2d_weight_grad g, x -> dw
// The three are bilinear and each one's derivatives are the other two, so
// convolutions can be differentiated to any order, in either mode.
//
// Values are computed by im2col over runs of images (as many as keep the
// column buffer cache-sized) and one GEMM per run and group (BLAS for float
// and double, the exact loop for Rational): no per-element nodes, no direct loops.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

struct Conv2dGeometry {
  std::size_t stride_h = 1, stride_w = 1;
  std::size_t pad_h = 0, pad_w = 0;
  std::size_t dilation_h = 1, dilation_w = 1;
  std::size_t groups = 1;
};

// x: [N, C, H, W]; w: [O, C/groups, kh, kw]; result [N, O, Ho, Wo] with
// Ho = (H + 2 pad_h - dilation_h (kh - 1) - 1) / stride_h + 1 (and likewise Wo).
template <Scalar T> Var<T> conv2d(const Var<T>& x, const Var<T>& w, const Conv2dGeometry& geometry = {});

// The cotangent of conv2d's input: g [N, O, Ho, Wo], w [O, C/groups, kh, kw]
// -> [N, C, input_h, input_w]. The input size is needed because strides make
// several input sizes give the same output size.
template <Scalar T>
Var<T> conv2d_input_grad(const Var<T>& g, const Var<T>& w, std::size_t input_h, std::size_t input_w,
                         const Conv2dGeometry& geometry = {});

// The cotangent of conv2d's weight: g [N, O, Ho, Wo], x [N, C, H, W]
// -> [O, C/groups, kernel_h, kernel_w].
template <Scalar T>
Var<T> conv2d_weight_grad(const Var<T>& g, const Var<T>& x, std::size_t kernel_h, std::size_t kernel_w,
                          const Conv2dGeometry& geometry = {});

// Per-example weight cotangents (a per-example Jacobian's conv block), on numbers:
// g [N, O, Ho, Wo] with N = n * rows_per_example and x [n, C, H, W]; row r of `out`
// (N rows, `out_stride` entries apart, each O * C/groups * kernel_h * kernel_w long,
// the weight's layout) becomes conv2d_weight_grad of g[r] and x[r / rows_per_example]
// alone. One im2col per image serves all its rows. Throws ShapeError on shapes that
// do not fit.
template <Scalar T>
void conv2d_weight_grad_rows(const Tensor<T>& g, const Tensor<T>& x, std::size_t kernel_h, std::size_t kernel_w,
                             const Conv2dGeometry& geometry, std::size_t rows_per_example, T* out,
                             std::size_t out_stride);

#define NETDIM_CONV2D_EXTERN(T)                                                                                \
  extern template Var<T> conv2d(const Var<T>&, const Var<T>&, const Conv2dGeometry&);                          \
  extern template Var<T> conv2d_input_grad(const Var<T>&, const Var<T>&, std::size_t, std::size_t,             \
                                           const Conv2dGeometry&);                                             \
  extern template Var<T> conv2d_weight_grad(const Var<T>&, const Var<T>&, std::size_t, std::size_t,            \
                                            const Conv2dGeometry&);                                             \
  extern template void conv2d_weight_grad_rows(const Tensor<T>&, const Tensor<T>&, std::size_t, std::size_t,      \
                                               const Conv2dGeometry&, std::size_t, T*, std::size_t);
NETDIM_CONV2D_EXTERN(float)
NETDIM_CONV2D_EXTERN(double)
NETDIM_CONV2D_EXTERN(Rational)
NETDIM_CONV2D_EXTERN(Modular)
#undef NETDIM_CONV2D_EXTERN

}  // namespace netdim
