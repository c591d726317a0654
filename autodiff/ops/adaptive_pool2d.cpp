#include "autodiff/ops/adaptive_pool2d.hpp"

#include <memory>
#include <vector>

#include "autodiff/checked.hpp"
#include "autodiff/ops.hpp"

namespace netdim {
namespace {

// [start, end) of every output position along one axis: torch's start_index and end_index.
struct Spans {
  std::vector<std::size_t> start, end;
};

Spans spans(std::size_t in, std::size_t out) {
  Spans s;
  for (std::size_t i = 0; i < out; ++i) {
    s.start.push_back(checked_mul(i, in, "adaptive_avg_pool2d") / out);
    const std::size_t upper = checked_mul(i + 1, in, "adaptive_avg_pool2d");
    s.end.push_back(upper / out + (upper % out != 0));
  }
  return s;
}

struct AdaptiveDims {
  std::size_t n = 0, c = 0, h = 0, w = 0, ho = 0, wo = 0;
  std::shared_ptr<const Spans> rows, cols;
  Shape input() const { return {n, c, h, w}; }
  Shape output() const { return {n, c, ho, wo}; }
};

AdaptiveDims adaptive_dims(const Shape& xs, Size2d output) {
  const auto fail = [&](const std::string& why) {
    throw ShapeError("adaptive_avg_pool2d: input " + shape_string(xs) + " to " + std::to_string(output.h) + "x" +
                     std::to_string(output.w) + ": " + why);
  };
  if (xs.size() != 4) fail("expects a 4-D input [N, C, H, W]");
  if (xs[2] == 0 || xs[3] == 0) fail("the input has no pixels");
  if (output.h == 0 || output.w == 0) fail("the output size must be positive");
  AdaptiveDims d{xs[0], xs[1], xs[2], xs[3], output.h, output.w,
                 std::make_shared<const Spans>(spans(xs[2], output.h)), std::make_shared<const Spans>(spans(xs[3], output.w))};
  shape_size(d.output(), "adaptive_avg_pool2d");
  return d;
}

// fn(offset of the input plane, flat output index, rows [h0, h1), columns [w0, w1)).
template <class Fn>
void for_each_window(const AdaptiveDims& d, Fn fn) {
  for (std::size_t plane = 0; plane < d.n * d.c; ++plane)
    for (std::size_t oh = 0; oh < d.ho; ++oh)
      for (std::size_t ow = 0; ow < d.wo; ++ow)
        fn(plane * d.h * d.w, (plane * d.ho + oh) * d.wo + ow, d.rows->start[oh], d.rows->end[oh], d.cols->start[ow],
           d.cols->end[ow]);
}

struct AdaptiveAvgPool2dRule {
  AdaptiveDims d;
  std::string name() const { return "adaptive_avg_pool2d"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> y = Tensor<T>::from_shape(d.output());
    const T* in = x[0]->data();
    T* out = y.data();
    for_each_window(d, [&](std::size_t plane, std::size_t at, std::size_t h0, std::size_t h1, std::size_t w0,
                           std::size_t w1) {
      T s(0);
      for (std::size_t i = h0; i < h1; ++i)
        for (std::size_t j = w0; j < w1; ++j) s += in[plane + i * d.w + j];
      out[at] = s / T(static_cast<long>((h1 - h0) * (w1 - w0)));
    });
    return y;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

// The adjoint: each output's cotangent spread evenly over its window.
struct AdaptiveAvgPool2dAdjointRule {
  AdaptiveAvgPool2dRule pool;
  std::string name() const { return "adaptive_avg_pool2d_adjoint"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    const AdaptiveDims& d = pool.d;
    Tensor<T> r = zeros_of<T>(d.input());
    const T* in = x[0]->data();
    T* out = r.data();
    for_each_window(d, [&](std::size_t plane, std::size_t at, std::size_t h0, std::size_t h1, std::size_t w0,
                           std::size_t w1) {
      const T share = in[at] / T(static_cast<long>((h1 - h0) * (w1 - w0)));
      for (std::size_t i = h0; i < h1; ++i)
        for (std::size_t j = w0; j < w1; ++j) out[plane + i * d.w + j] += share;
    });
    return r;
  }
  template <class X>
  void vjp(const X& u, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, call_rule(pool, u)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class X>
void AdaptiveAvgPool2dRule::vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
  out.add(0, call_rule(AdaptiveAvgPool2dAdjointRule{*this}, g));
}

}  // namespace

template <Scalar T>
Var<T> adaptive_avg_pool2d(const Var<T>& x, Size2d output) {
  return apply(AdaptiveAvgPool2dRule{adaptive_dims(x.shape(), output)}, x);
}

template Var<float> adaptive_avg_pool2d(const Var<float>&, Size2d);
template Var<double> adaptive_avg_pool2d(const Var<double>&, Size2d);
template Var<Rational> adaptive_avg_pool2d(const Var<Rational>&, Size2d);
template Var<Modular> adaptive_avg_pool2d(const Var<Modular>&, Size2d);

}  // namespace netdim
