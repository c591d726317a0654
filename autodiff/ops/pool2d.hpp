// 2-D max and average pooling of [N, C, H, W] batches, with the semantics of
// torch.nn.functional.max_pool2d / avg_pool2d (no dilation):
// Ho = (H + 2 pad_h - kernel_h) / stride_h + 1, and padding is at most half the kernel.
// ceil_mode rounds that division up, dropping a last window that would start in the
// right padding (torch's rule); windows that overrun the padded input are clipped.
//   max_pool2d: padding counts as -inf; ties go to the first maximum in
//               row-major window order; the gradient is routed to that argmax.
//   avg_pool2d: padding counts as zero; the divisor is the window size when
//               count_include_pad, else the number of real inputs in the window.
//               As in torch, the window size counts padding but not the overrun
//               of a ceil-mode window past the right padding.
// Both are exact for Rational (max only compares, avg divides by integers); only
// avg_pool2d exists for Modular (Z/p has no order to take a maximum in).
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

// A (height, width) pair; one number means the same for both.
struct Size2d {
  std::size_t h = 0, w = 0;
  Size2d(std::size_t both) : h(both), w(both) {}  // NOLINT: implicit, so max_pool2d(x, 2, 2) reads naturally
  Size2d(std::size_t height, std::size_t width) : h(height), w(width) {}
};

// torch's default stride is the kernel size: pass the kernel again for that.
template <OrderedScalar T>
Var<T> max_pool2d(const Var<T>& x, Size2d kernel, Size2d stride, Size2d padding = 0, bool ceil_mode = false);
template <Scalar T>
Var<T> avg_pool2d(const Var<T>& x, Size2d kernel, Size2d stride, Size2d padding = 0, bool count_include_pad = true,
                  bool ceil_mode = false);

#define NETDIM_POOL2D_EXTERN(T)                                                    \
  extern template Var<T> max_pool2d(const Var<T>&, Size2d, Size2d, Size2d, bool);  \
  extern template Var<T> avg_pool2d(const Var<T>&, Size2d, Size2d, Size2d, bool, bool);
NETDIM_POOL2D_EXTERN(float)
NETDIM_POOL2D_EXTERN(double)
NETDIM_POOL2D_EXTERN(Rational)
extern template Var<Modular> avg_pool2d(const Var<Modular>&, Size2d, Size2d, Size2d, bool, bool);
#undef NETDIM_POOL2D_EXTERN

}  // namespace netdim
