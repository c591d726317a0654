#include "netdim/autodiff/ops/pool2d.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <string_view>
#include <vector>

#include "netdim/autodiff/ops.hpp"
#include "netdim/autodiff/ops/window_average.hpp"
#include "netdim/autodiff/window_extent.hpp"

namespace netdim {
namespace {

using Index = std::ptrdiff_t;

// Every size of one pooling, checked once when the operation is recorded.
struct PoolDims {
  std::size_t n = 0, c = 0, h = 0, w = 0;
  Size2d kernel = 1, stride = 1, pad = 0;
  std::size_t ho = 0, wo = 0;
  Shape input() const { return {n, c, h, w}; }
  Shape output() const { return {n, c, ho, wo}; }
};

std::string hw(Size2d s) { return std::to_string(s.h) + "x" + std::to_string(s.w); }

PoolDims pool_dims(std::string_view op, const Shape& xs, Size2d kernel, Size2d stride, Size2d pad, bool ceil_mode) {
  const auto fail = [&](const std::string& why) {
    throw ShapeError(std::string(op) + ": input " + shape_string(xs) + " with kernel " + hw(kernel) + ", stride " +
                     hw(stride) + ", padding " + hw(pad) + ": " + why);
  };
  if (xs.size() != 4) fail("expects a 4-D input [N, C, H, W]");
  if (kernel.h == 0 || kernel.w == 0 || stride.h == 0 || stride.w == 0) fail("kernel and stride must be positive");
  if (xs[2] == 0 || xs[3] == 0) fail("the input has no pixels");
  // pad > kernel / 2 is 2 pad > kernel without computing 2 pad, which could wrap.
  if (pad.h > kernel.h / 2 || pad.w > kernel.w / 2) fail("padding must be at most half the kernel");
  const auto ho = window_extent(xs[2], kernel.h, stride.h, pad.h, 1, op, ceil_mode);
  const auto wo = window_extent(xs[3], kernel.w, stride.w, pad.w, 1, op, ceil_mode);
  if (!ho || !wo)  // window_extent checked that the padded sizes fit
    fail("the kernel is larger than the padded input " + std::to_string(xs[2] + 2 * pad.h) + "x" +
         std::to_string(xs[3] + 2 * pad.w));
  PoolDims d{xs[0], xs[1], xs[2], xs[3], kernel, stride, pad, *ho, *wo};
  shape_size(d.output(), op);
  return d;
}

// One output position's window: rows [h0, h1) and columns [w0, w1) of real
// input, and torch's count_include_pad divisor (the window clipped to the padded input).
// Every window starts inside the input or the left padding (window_extent drops
// ceil-mode windows that would not), and padding is at most half the kernel, so
// every window holds real input.
struct Window {
  std::size_t h0, h1, w0, w1, padded_size;
  std::size_t real_size() const { return (h1 - h0) * (w1 - w0); }
};

Window window(const PoolDims& d, std::size_t oh, std::size_t ow) {
  const Index hs = static_cast<Index>(oh * d.stride.h) - static_cast<Index>(d.pad.h);
  const Index ws = static_cast<Index>(ow * d.stride.w) - static_cast<Index>(d.pad.w);
  const Index he = std::min(hs + static_cast<Index>(d.kernel.h), static_cast<Index>(d.h + d.pad.h));
  const Index we = std::min(ws + static_cast<Index>(d.kernel.w), static_cast<Index>(d.w + d.pad.w));
  const auto clip = [](Index v, std::size_t len) {
    return static_cast<std::size_t>(std::clamp<Index>(v, 0, static_cast<Index>(len)));
  };
  return {clip(hs, d.h), clip(he, d.h), clip(ws, d.w), clip(we, d.w), static_cast<std::size_t>((he - hs) * (we - ws))};
}

// fn(offset of the input plane, flat output index, window) for every output position.
template <class Fn>
void for_each_window(const PoolDims& d, Fn fn) {
  for (std::size_t plane = 0; plane < d.n * d.c; ++plane)
    for (std::size_t oh = 0; oh < d.ho; ++oh)
      for (std::size_t ow = 0; ow < d.wo; ++ow)
        fn(plane * d.h * d.w, (plane * d.ho + oh) * d.wo + ow, window(d, oh, ow));
}

// The max pooling order: larger wins, and NaN wins over numbers (it propagates, as in torch).
template <class T>
bool beats(const T& v, const T& best) {
  if constexpr (FloatingScalar<T>) return v > best || (std::isnan(v) && !std::isnan(best));
  else return v > best;
}

// Flat input index of each window's maximum, the first one in row-major window order.
// Padding never wins: it is -inf, and every window holds real input.
template <class T>
std::vector<std::size_t> argmax_windows(const Tensor<T>& x, const PoolDims& d) {
  std::vector<std::size_t> arg(d.n * d.c * d.ho * d.wo);
  const T* in = x.data();
  for_each_window(d, [&](std::size_t plane, std::size_t out, const Window& win) {
    std::size_t best = plane + win.h0 * d.w + win.w0;
    for (std::size_t i = win.h0; i < win.h1; ++i)
      for (std::size_t j = win.w0; j < win.w1; ++j) {
        const std::size_t at = plane + i * d.w + j;
        if (beats(in[at], in[best])) best = at;
      }
    arg[out] = best;
  });
  return arg;
}

using Indices = std::shared_ptr<const std::vector<std::size_t>>;

// y[k] = x[idx[k]] for fixed indices: max pooling with its argmax frozen,
// which is what max pooling's derivatives are.
struct RouteRule {
  Indices idx;
  Shape from, to;
  std::string name() const { return "max_pool2d_route"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = Tensor<T>::from_shape(to);
    const T* in = x[0]->data();
    T* out = r.data();
    for (std::size_t k = 0; k < idx->size(); ++k) out[k] = in[(*idx)[k]];
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }

  // cotangent[idx[k]] += g[k]: the adjoint, in place.
  template <class T>
  void add_back(const Tensor<T>& g, Tensor<T>& into) const {
    const T* in = g.data();
    T* out = into.data();
    for (std::size_t k = 0; k < idx->size(); ++k) out[(*idx)[k]] += in[k];
  }
};

// The adjoint of a route: zeros of the input's shape with g added at the indices.
struct RouteAdjointRule {
  RouteRule route;
  std::string name() const { return "max_pool2d_route_adjoint"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = zeros_of<T>(route.from);
    route.add_back(*x[0], r);
    return r;
  }
  template <class X>
  void vjp(const X& u, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, call_rule(route, u)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class X>
void RouteRule::vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
  if constexpr (is_var_v<X>) out.add(0, apply(RouteAdjointRule{*this}, g));
  else add_back(g, out.buffer(0, from));
}

// Max pooling is, around any input, the route to its windows' argmaxes: the
// value and every derivative are that route's (the argmax is recomputed from
// the input, so nothing is stored between the passes).
struct MaxPool2dRule {
  PoolDims d;
  std::string name() const { return "max_pool2d"; }
  template <class X>
  RouteRule route_at(const X& x) const {
    return {std::make_shared<const std::vector<std::size_t>>(argmax_windows(value_of(x), d)), d.input(), d.output()};
  }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return call_rule(route_at(*x[0]), *x[0]); }
  template <class X>
  void vjp(const X& g, Args<X> x, const X& y, Cotangents<X>& out) const { route_at(*x[0]).vjp(g, x, y, out); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const { return call_rule(route_at(*x[0]), dx[0]); }
};

// The windows of average pooling and their divisors: the window size when
// count_include_pad (torch's padded size), else the real inputs in it.
std::shared_ptr<const WindowAverage> avg_pool_windows(const PoolDims& d, bool count_include_pad) {
  auto t = std::make_shared<WindowAverage>();
  t->name = "avg_pool2d";
  t->n = d.n, t->c = d.c, t->h = d.h, t->w = d.w, t->ho = d.ho, t->wo = d.wo;
  t->windows.reserve(d.ho * d.wo);
  for (std::size_t oh = 0; oh < d.ho; ++oh)
    for (std::size_t ow = 0; ow < d.wo; ++ow) {
      const Window win = window(d, oh, ow);
      t->windows.push_back({win.h0, win.h1, win.w0, win.w1, count_include_pad ? win.padded_size : win.real_size()});
    }
  return t;
}

}  // namespace

template <OrderedScalar T>
Var<T> max_pool2d(const Var<T>& x, Size2d kernel, Size2d stride, Size2d padding, bool ceil_mode) {
  return apply(MaxPool2dRule{pool_dims("max_pool2d", x.shape(), kernel, stride, padding, ceil_mode)}, x);
}

template <Scalar T>
Var<T> avg_pool2d(const Var<T>& x, Size2d kernel, Size2d stride, Size2d padding, bool count_include_pad,
                  bool ceil_mode) {
  return window_average(x, avg_pool_windows(pool_dims("avg_pool2d", x.shape(), kernel, stride, padding, ceil_mode),
                                            count_include_pad));
}

#define NETDIM_POOL2D_INSTANTIATE(T)                                        \
  template Var<T> max_pool2d(const Var<T>&, Size2d, Size2d, Size2d, bool);  \
  template Var<T> avg_pool2d(const Var<T>&, Size2d, Size2d, Size2d, bool, bool);
NETDIM_POOL2D_INSTANTIATE(float)
NETDIM_POOL2D_INSTANTIATE(double)
NETDIM_POOL2D_INSTANTIATE(Rational)
template Var<Modular> avg_pool2d(const Var<Modular>&, Size2d, Size2d, Size2d, bool, bool);

}  // namespace netdim
