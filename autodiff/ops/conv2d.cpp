#include "netdim/autodiff/ops/conv2d.hpp"

#include <algorithm>
#include <array>
#include <string_view>
#include <utility>

#include "netdim/autodiff/checked.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "netdim/autodiff/ops.hpp"
#include "netdim/autodiff/window_extent.hpp"

namespace netdim {
namespace {

using Index = std::ptrdiff_t;

// Every size of one convolution, checked once when the operation is recorded,
// so the kernels below can trust them.
struct ConvDims {
  std::size_t n = 0, c = 0, h = 0, w = 0;  // input [n, c, h, w]
  std::size_t o = 0, kh = 0, kw = 0;       // weight [o, c / groups, kh, kw]
  std::size_t ho = 0, wo = 0;              // output [n, o, ho, wo]
  Conv2dGeometry geo;

  std::size_t cg() const { return c / geo.groups; }  // input channels per group
  std::size_t og() const { return o / geo.groups; }  // output channels per group
  std::size_t k() const { return cg() * kh * kw; }   // rows of a group's column matrix
  std::size_t p() const { return ho * wo; }
  std::size_t np() const { return n * ho * wo; }     // columns: every output position of the batch
  std::size_t image_in() const { return c * h * w; }  // elements of one image of x
  std::size_t image_out() const { return o * ho * wo; }
  Shape input() const { return {n, c, h, w}; }
  Shape weight() const { return {o, cg(), kh, kw}; }
  Shape output() const { return {n, o, ho, wo}; }
};

// Completes `d` from its input and weight sizes; `shapes` names the operands for messages.
void finish_dims(ConvDims& d, std::string_view op, const std::string& shapes) {
  const Conv2dGeometry& g = d.geo;
  const auto fail = [&](const std::string& why) { throw ShapeError(std::string(op) + ": " + shapes + ": " + why); };
  if (g.stride_h == 0 || g.stride_w == 0 || g.dilation_h == 0 || g.dilation_w == 0 || g.groups == 0)
    fail("stride, dilation and groups must be positive");
  if (d.c == 0 || d.o == 0 || d.kh == 0 || d.kw == 0) fail("channels and kernel sizes must be positive");
  if (d.c % g.groups != 0)
    fail(std::to_string(d.c) + " input channels are not divisible by groups = " + std::to_string(g.groups));
  if (d.o % g.groups != 0)
    fail(std::to_string(d.o) + " output channels are not divisible by groups = " + std::to_string(g.groups));
  const auto ho = window_extent(d.h, d.kh, g.stride_h, g.pad_h, g.dilation_h, op);
  const auto wo = window_extent(d.w, d.kw, g.stride_w, g.pad_w, g.dilation_w, op);
  if (!ho || !wo)  // window_extent checked that the padded sizes fit
    fail("the kernel " + std::to_string(d.kh) + "x" + std::to_string(d.kw) + " (dilation " +
         std::to_string(g.dilation_h) + "x" + std::to_string(g.dilation_w) + ") is larger than the padded input " +
         std::to_string(d.h + 2 * g.pad_h) + "x" + std::to_string(d.w + 2 * g.pad_w));
  d.ho = *ho;
  d.wo = *wo;
  // Every tensor and one image's column matrix must be countable: the kernels trust these sizes.
  shape_size(d.input(), op);
  shape_size(d.weight(), op);
  shape_size(d.output(), op);
  checked_mul(d.k(), d.p(), std::string(op) + ": column matrix");
}

std::string two_shapes(const char* a_name, const Shape& a, const char* b_name, const Shape& b) {
  return std::string(a_name) + " " + shape_string(a) + " and " + b_name + " " + shape_string(b);
}

void expect_rank4(std::string_view op, const std::string& shapes, const Shape& a, const Shape& b) {
  if (a.size() != 4 || b.size() != 4)
    throw ShapeError(std::string(op) + ": " + shapes + ": both must be 4-D ([N, C, H, W] and [O, C/groups, kh, kw])");
}

// Output positions o in [lo, hi) whose input coordinate o * stride + offset
// lies in [0, len): the rest read zero padding.
std::pair<std::size_t, std::size_t> valid_range(Index offset, std::size_t stride, std::size_t len, std::size_t out) {
  const Index s = static_cast<Index>(stride);
  const Index lo = offset >= 0 ? 0 : (-offset + s - 1) / s;
  const Index top = static_cast<Index>(len) - 1 - offset;
  const Index hi = top < 0 ? 0 : top / s + 1;
  const std::size_t l = std::min(static_cast<std::size_t>(lo), out);
  return {l, std::clamp(static_cast<std::size_t>(hi), l, out)};
}

// Walks the column matrix of one group: for each row (channel, tap i, tap j)
// and each output row (image, oh) that reads real input, calls
// fn(column run, input row, offset, [lo, hi)); runs that read only padding get
// pad(column run). The shared walk keeps im2col and col2im exact adjoints.
template <class Cols, class Fn, class Pad>
void walk_columns(Cols* cols, const ConvDims& d, std::size_t group, Fn fn, Pad pad) {
  const Conv2dGeometry& g = d.geo;
  const std::size_t np = d.np();
  for (std::size_t c = 0; c < d.cg(); ++c)
    for (std::size_t i = 0; i < d.kh; ++i) {
      const Index off_h = static_cast<Index>(i * g.dilation_h) - static_cast<Index>(g.pad_h);
      const auto [h_lo, h_hi] = valid_range(off_h, g.stride_h, d.h, d.ho);
      for (std::size_t j = 0; j < d.kw; ++j) {
        const Index off_w = static_cast<Index>(j * g.dilation_w) - static_cast<Index>(g.pad_w);
        const auto w_range = valid_range(off_w, g.stride_w, d.w, d.wo);
        Cols* row = cols + ((c * d.kh + i) * d.kw + j) * np;
        for (std::size_t n = 0; n < d.n; ++n) {
          const std::size_t plane = (n * d.c + group * d.cg() + c) * d.h;
          for (std::size_t oh = 0; oh < d.ho; ++oh) {
            Cols* run = row + (n * d.ho + oh) * d.wo;
            if (oh < h_lo || oh >= h_hi) {
              pad(run);
              continue;
            }
            const auto ih = static_cast<std::size_t>(static_cast<Index>(oh * g.stride_h) + off_h);
            fn(run, (plane + ih) * d.w, off_w, w_range);
          }
        }
      }
    }
}

// cols[(c, i, j), (n, oh, ow)] = x[n, group * cg + c, oh*sh + i*dh - ph, ow*sw + j*dw - pw], zero outside.
template <class T>
void im2col(const T* x, const ConvDims& d, std::size_t group, T* cols) {
  const std::size_t wo = d.wo, sw = d.geo.stride_w;
  walk_columns(
      cols, d, group,
      [&](T* run, std::size_t in_row, Index off, std::pair<std::size_t, std::size_t> r) {
        std::fill(run, run + r.first, T(0));
        const T* src = x + in_row;
        if (sw == 1) {
          const Index from = static_cast<Index>(r.first) + off, to = static_cast<Index>(r.second) + off;
          std::copy(src + from, src + to, run + r.first);
        } else {
          for (std::size_t ow = r.first; ow < r.second; ++ow) run[ow] = src[static_cast<Index>(ow * sw) + off];
        }
        std::fill(run + r.second, run + wo, T(0));
      },
      [&](T* run) { std::fill(run, run + wo, T(0)); });
}

// The adjoint of im2col: adds each column entry back into the input position it was read from.
template <class T>
void col2im_add(const T* cols, const ConvDims& d, std::size_t group, T* x) {
  const std::size_t sw = d.geo.stride_w;
  walk_columns(
      cols, d, group,
      [&](const T* run, std::size_t in_row, Index off, std::pair<std::size_t, std::size_t> r) {
        T* dst = x + in_row;
        if (sw == 1) {  // contiguous on both sides: a loop the compiler vectorises
          for (std::size_t ow = r.first; ow < r.second; ++ow) dst[static_cast<Index>(ow) + off] += run[ow];
        } else {
          for (std::size_t ow = r.first; ow < r.second; ++ow) dst[static_cast<Index>(ow * sw) + off] += run[ow];
        }
      },
      [](const T*) {});
}

// [N, O, P] -> [og, N*P] for the channels of one group (and back), so that
// one GEMM covers a whole run of images.
template <class T>
void gather_group(const T* y, const ConvDims& d, std::size_t group, T* yg) {
  const std::size_t p = d.p();
  for (std::size_t o = 0; o < d.og(); ++o)
    for (std::size_t n = 0; n < d.n; ++n) {
      const T* src = y + (n * d.o + group * d.og() + o) * p;
      std::copy(src, src + p, yg + (o * d.n + n) * p);
    }
}

template <class T>
void scatter_group(const T* yg, const ConvDims& d, std::size_t group, T* y) {
  const std::size_t p = d.p();
  for (std::size_t o = 0; o < d.og(); ++o)
    for (std::size_t n = 0; n < d.n; ++n) {
      const T* src = yg + (o * d.n + n) * p;
      std::copy(src, src + p, y + (n * d.o + group * d.og() + o) * p);
    }
}

// One group's rows of w, an [og, k] matrix (contiguous in w).
template <class T>
void copy_weight_group(const T* w, const ConvDims& d, std::size_t group, T* wg) {
  const std::size_t len = d.og() * d.k();
  std::copy(w + group * len, w + (group + 1) * len, wg);
}

// A [rows, cols] GEMM operand or result; kept when it already has that shape.
template <class T>
void fit(Tensor<T>& m, std::size_t rows, std::size_t cols) {
  if (m.dimension() == 2 && m.shape()[0] == rows && m.shape()[1] == cols) return;
  m = Tensor<T>::from_shape({rows, cols});
  if constexpr (!FloatingScalar<T>) m.fill(T(0));  // the exact GEMM reads c (times beta = 0)
}

// Images are processed in runs whose column buffer stays within this many
// entries (256 KiB of doubles): the columns are still in cache when the GEMM
// reads them (and col2im after it), the temporaries are small enough for
// malloc to reuse rather than fault in fresh pages on every call, and memory
// does not grow with the batch (the analyses run batches of thousands). Small
// images still share a run, so the GEMMs stay wide.
constexpr std::size_t kColumnBudget = std::size_t{1} << 15;

// Calls fn(sub, first) for consecutive runs of images: sub is d restricted to
// the images [first, first + sub.n). Images are contiguous in x, y and g, so a
// run is d's kernels applied at an offset. Runs differ by at most one image,
// so the buffers are reshaped at most once per call.
template <class Fn>
void for_each_chunk(const ConvDims& d, Fn fn) {
  const std::size_t per_max = std::clamp<std::size_t>(kColumnBudget / (d.k() * d.p()), 1, d.n);
  const std::size_t chunks = (d.n + per_max - 1) / per_max;
  for (std::size_t i = 0, first = 0; i < chunks; ++i) {
    ConvDims sub = d;
    sub.n = d.n / chunks + (i < d.n % chunks ? 1 : 0);
    fn(sub, first);
    first += sub.n;
  }
}

// y = conv2d(x, w): per run of images and group, W_g [og, k] @ cols [k, images * P].
template <class T>
Tensor<T> conv_forward(const Tensor<T>& x, const Tensor<T>& w, const ConvDims& d) {
  if (d.np() == 0) return zeros_of<T>(d.output());
  Tensor<T> y = Tensor<T>::from_shape(d.output());
  Tensor<T> wg, cols, yg;
  fit(wg, d.og(), d.k());
  for_each_chunk(d, [&](const ConvDims& sub, std::size_t first) {
    fit(cols, d.k(), sub.np());
    fit(yg, d.og(), sub.np());
    for (std::size_t grp = 0; grp < d.geo.groups; ++grp) {
      copy_weight_group(w.data(), d, grp, wg.data());
      im2col(x.data() + first * d.image_in(), sub, grp, cols.data());
      gemm_into(wg, cols, false, false, T(1), T(0), yg);
      scatter_group(yg.data(), sub, grp, y.data() + first * d.image_out());
    }
  });
  return y;
}

// The cotangents of conv2d's input and weight for the output cotangent g,
// either or both (a null output is not computed). Per run of images and
// group, g's channels are gathered once and serve both products:
//   dx += col2im(W_g^T @ g_g)     (the transposed convolution)
//   dw_g += g_g @ im2col(x)^T
template <class T>
void conv_backward(const Tensor<T>& g, const Tensor<T>* x, const Tensor<T>* w, const ConvDims& d, Tensor<T>* dx,
                   Tensor<T>* dw) {
  if (dx) *dx = zeros_of<T>(d.input());
  if (dw) *dw = zeros_of<T>(d.weight());
  if (d.np() == 0) return;
  Tensor<T> wg, cols, gg;
  fit(wg, d.og(), d.k());
  for_each_chunk(d, [&](const ConvDims& sub, std::size_t first) {
    fit(cols, d.k(), sub.np());
    fit(gg, d.og(), sub.np());
    for (std::size_t grp = 0; grp < d.geo.groups; ++grp) {
      gather_group(g.data() + first * d.image_out(), sub, grp, gg.data());
      if (dx) {
        copy_weight_group(w->data(), d, grp, wg.data());
        gemm_into(wg, gg, true, false, T(1), T(0), cols);
        col2im_add(cols.data(), sub, grp, dx->data() + first * d.image_in());
      }
      if (dw) {
        im2col(x->data() + first * d.image_in(), sub, grp, cols.data());
        gemm_into(gg, cols, false, true, T(1), T(0), wg);
        T* to = dw->data() + grp * d.og() * d.k();
        for (std::size_t i = 0; i < wg.size(); ++i) to[i] += wg.data()[i];
      }
    }
  });
}

template <class T>
Tensor<T> conv_input_grad(const Tensor<T>& g, const Tensor<T>& w, const ConvDims& d) {
  Tensor<T> dx;
  conv_backward<T>(g, nullptr, &w, d, &dx, nullptr);
  return dx;
}

template <class T>
Tensor<T> conv_weight_grad(const Tensor<T>& g, const Tensor<T>& x, const ConvDims& d) {
  Tensor<T> dw;
  conv_backward<T>(g, &x, nullptr, d, nullptr, &dw);
  return dw;
}

// The jvp of a bilinear rule f(a, b): f(da, b) + f(a, db).
template <class Rule, class X>
X bilinear_jvp(const Rule& rule, const Tangents<X>& dx, Args<X> x) {
  if (!dx.has(1)) return call_rule(rule, dx[0], *x[1]);
  if (!dx.has(0)) return call_rule(rule, *x[0], dx[1]);
  X r = call_rule(rule, dx[0], *x[1]);
  if constexpr (is_var_v<X>) {
    return r + call_rule(rule, *x[0], dx[1]);
  } else {
    r += call_rule(rule, *x[0], dx[1]);
    return r;
  }
}

// The three rules: every cotangent of one is a value of another, so the
// recorded (Var) vjp stays differentiable. With f = conv2d,
//   <g, f(x, w)> = <x, input_grad(g, w)> = <w, weight_grad(g, x)>.
struct Conv2dRule {  // (x, w) -> y
  ConvDims d;
  std::string name() const { return "conv2d"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return conv_forward(*x[0], *x[1], d); }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return bilinear_jvp(*this, dx, x); }
};

struct Conv2dInputGradRule {  // (g, w) -> dx
  ConvDims d;
  std::string name() const { return "conv2d_input_grad"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return conv_input_grad(*x[0], *x[1], d); }
  template <class X>
  void vjp(const X& u, Args<X> x, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return bilinear_jvp(*this, dx, x); }
};

struct Conv2dWeightGradRule {  // (g, x) -> dw
  ConvDims d;
  std::string name() const { return "conv2d_weight_grad"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return conv_weight_grad(*x[0], *x[1], d); }
  template <class X>
  void vjp(const X& u, Args<X> x, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return bilinear_jvp(*this, dx, x); }
};

template <class X>
void Conv2dRule::vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
  if constexpr (is_var_v<X>) {
    if (out.wanted(0)) out.add(0, apply(Conv2dInputGradRule{d}, g, *x[1]));
    if (out.wanted(1)) out.add(1, apply(Conv2dWeightGradRule{d}, g, *x[0]));
  } else {
    // Numbers: both cotangents in one pass over g (the values of the two rules above).
    X dx, dw;
    conv_backward(g, x[0], x[1], d, out.wanted(0) ? &dx : nullptr, out.wanted(1) ? &dw : nullptr);
    if (out.wanted(0)) out.add(0, std::move(dx));
    if (out.wanted(1)) out.add(1, std::move(dw));
  }
}

template <class X>
void Conv2dInputGradRule::vjp(const X& u, Args<X> x, const X&, Cotangents<X>& out) const {
  if (out.wanted(0)) out.add(0, call_rule(Conv2dRule{d}, u, *x[1]));
  if (out.wanted(1)) out.add(1, call_rule(Conv2dWeightGradRule{d}, *x[0], u));
}

template <class X>
void Conv2dWeightGradRule::vjp(const X& u, Args<X> x, const X&, Cotangents<X>& out) const {
  if (out.wanted(0)) out.add(0, call_rule(Conv2dRule{d}, *x[1], u));
  if (out.wanted(1)) out.add(1, call_rule(Conv2dInputGradRule{d}, *x[0], u));
}

}  // namespace

template <Scalar T>
Var<T> conv2d(const Var<T>& x, const Var<T>& w, const Conv2dGeometry& geometry) {
  const Shape xs = x.shape(), ws = w.shape();
  const std::string shapes = two_shapes("input", xs, "weight", ws);
  expect_rank4("conv2d", shapes, xs, ws);
  ConvDims d{xs[0], xs[1], xs[2], xs[3], ws[0], ws[2], ws[3], 0, 0, geometry};
  if (geometry.groups != 0 && ws[1] * geometry.groups != xs[1])
    throw ShapeError("conv2d: " + shapes + ": the input has " + std::to_string(xs[1]) +
                     " channels but the weight expects " + std::to_string(ws[1]) + " per group x " +
                     std::to_string(geometry.groups) + " groups");
  finish_dims(d, "conv2d", shapes);
  return apply(Conv2dRule{d}, x, w);
}

template <Scalar T>
Var<T> conv2d_input_grad(const Var<T>& g, const Var<T>& w, std::size_t input_h, std::size_t input_w,
                         const Conv2dGeometry& geometry) {
  const Shape gs = g.shape(), ws = w.shape();
  const std::string shapes = two_shapes("output cotangent", gs, "weight", ws);
  expect_rank4("conv2d_input_grad", shapes, gs, ws);
  if (gs[1] != ws[0])
    throw ShapeError("conv2d_input_grad: " + shapes + ": the cotangent has " + std::to_string(gs[1]) +
                     " channels but the weight has " + std::to_string(ws[0]) + " outputs");
  ConvDims d{gs[0], ws[1] * geometry.groups, input_h, input_w, ws[0], ws[2], ws[3], 0, 0, geometry};
  finish_dims(d, "conv2d_input_grad", shapes);
  if (d.ho != gs[2] || d.wo != gs[3])
    throw ShapeError("conv2d_input_grad: " + shapes + ": an input of " + std::to_string(input_h) + "x" +
                     std::to_string(input_w) + " gives outputs of " + std::to_string(d.ho) + "x" +
                     std::to_string(d.wo));
  return apply(Conv2dInputGradRule{d}, g, w);
}

template <Scalar T>
Var<T> conv2d_weight_grad(const Var<T>& g, const Var<T>& x, std::size_t kernel_h, std::size_t kernel_w,
                          const Conv2dGeometry& geometry) {
  const Shape gs = g.shape(), xs = x.shape();
  const std::string shapes = two_shapes("output cotangent", gs, "input", xs);
  expect_rank4("conv2d_weight_grad", shapes, gs, xs);
  if (gs[0] != xs[0])
    throw ShapeError("conv2d_weight_grad: " + shapes + ": batch sizes differ");
  ConvDims d{xs[0], xs[1], xs[2], xs[3], gs[1], kernel_h, kernel_w, 0, 0, geometry};
  finish_dims(d, "conv2d_weight_grad", shapes);
  if (d.ho != gs[2] || d.wo != gs[3])
    throw ShapeError("conv2d_weight_grad: " + shapes + ": a " + std::to_string(kernel_h) + "x" +
                     std::to_string(kernel_w) + " kernel gives outputs of " + std::to_string(d.ho) + "x" +
                     std::to_string(d.wo));
  return apply(Conv2dWeightGradRule{d}, g, x);
}

template <Scalar T>
void conv2d_weight_grad_rows(const Tensor<T>& g, const Tensor<T>& x, std::size_t kernel_h, std::size_t kernel_w,
                             const Conv2dGeometry& geometry, std::size_t rows_per_example, T* out,
                             std::size_t out_stride) {
  const Shape gs = shape_of(g), xs = shape_of(x);
  const std::string shapes = two_shapes("output cotangents", gs, "inputs", xs);
  expect_rank4("conv2d_weight_grad_rows", shapes, gs, xs);
  if (rows_per_example == 0 || gs[0] != xs[0] * rows_per_example)
    throw ShapeError("conv2d_weight_grad_rows: " + shapes + ": expected " + std::to_string(rows_per_example) +
                     " cotangent rows per input");
  ConvDims d{1, xs[1], xs[2], xs[3], gs[1], kernel_h, kernel_w, 0, 0, geometry};  // one image at a time
  finish_dims(d, "conv2d_weight_grad_rows", shapes);
  if (d.ho != gs[2] || d.wo != gs[3])
    throw ShapeError("conv2d_weight_grad_rows: " + shapes + ": a " + std::to_string(kernel_h) + "x" +
                     std::to_string(kernel_w) + " kernel gives outputs of " + std::to_string(d.ho) + "x" +
                     std::to_string(d.wo));
  if (out_stride < d.o * d.k()) throw ShapeError("conv2d_weight_grad_rows: output rows overlap");
  Tensor<T> cols, gg, wg;
  fit(cols, d.k(), d.np());
  fit(gg, d.og(), d.np());
  fit(wg, d.og(), d.k());
  for (std::size_t i = 0; i < xs[0]; ++i)
    for (std::size_t grp = 0; grp < d.geo.groups; ++grp) {
      im2col(x.data() + i * d.image_in(), d, grp, cols.data());
      for (std::size_t c = 0; c < rows_per_example; ++c) {
        const std::size_t r = i * rows_per_example + c;
        gather_group(g.data() + r * d.image_out(), d, grp, gg.data());
        gemm_into(gg, cols, false, true, T(1), T(0), wg);
        std::copy(wg.begin(), wg.end(), out + r * out_stride + grp * d.og() * d.k());
      }
    }
}

#define NETDIM_CONV2D_INSTANTIATE(T)                                                                              \
  template Var<T> conv2d(const Var<T>&, const Var<T>&, const Conv2dGeometry&);                                    \
  template Var<T> conv2d_input_grad(const Var<T>&, const Var<T>&, std::size_t, std::size_t, const Conv2dGeometry&); \
  template Var<T> conv2d_weight_grad(const Var<T>&, const Var<T>&, std::size_t, std::size_t, const Conv2dGeometry&); \
  template void conv2d_weight_grad_rows(const Tensor<T>&, const Tensor<T>&, std::size_t, std::size_t,             \
                                        const Conv2dGeometry&, std::size_t, T*, std::size_t);
NETDIM_CONV2D_INSTANTIATE(float)
NETDIM_CONV2D_INSTANTIATE(double)
NETDIM_CONV2D_INSTANTIATE(Rational)
NETDIM_CONV2D_INSTANTIATE(Modular)

}  // namespace netdim
