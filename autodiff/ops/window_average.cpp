#include "netdim/autodiff/ops/window_average.hpp"

#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

// fn(offset of the input plane, flat output index, window) for every output pixel.
template <class Fn>
void for_each_window(const WindowAverage& t, Fn fn) {
  const std::size_t per_plane = t.ho * t.wo;
  for (std::size_t plane = 0; plane < t.n * t.c; ++plane)
    for (std::size_t k = 0; k < per_plane; ++k) fn(plane * t.h * t.w, plane * per_plane + k, t.windows[k]);
}

template <class T>
T divisor(const AveragedWindow& win) {
  return T(static_cast<long>(win.divisor));
}

struct WindowAverageRule {
  std::shared_ptr<const WindowAverage> table;
  std::string name() const { return table->name; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    const WindowAverage& t = *table;
    Tensor<T> y = Tensor<T>::from_shape(t.output());
    const T* in = x[0]->data();
    T* out = y.data();
    for_each_window(t, [&](std::size_t plane, std::size_t at, const AveragedWindow& win) {
      T s(0);
      for (std::size_t i = win.h0; i < win.h1; ++i)
        for (std::size_t j = win.w0; j < win.w1; ++j) s += in[plane + i * t.w + j];
      out[at] = s / divisor<T>(win);
    });
    return y;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

// The adjoint: each output's cotangent spread evenly over its window.
struct WindowAverageAdjointRule {
  WindowAverageRule average;
  std::string name() const { return average.table->name + "_adjoint"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    const WindowAverage& t = *average.table;
    Tensor<T> r = zeros_of<T>(t.input());
    const T* in = x[0]->data();
    T* out = r.data();
    for_each_window(t, [&](std::size_t plane, std::size_t at, const AveragedWindow& win) {
      const T share = in[at] / divisor<T>(win);
      for (std::size_t i = win.h0; i < win.h1; ++i)
        for (std::size_t j = win.w0; j < win.w1; ++j) out[plane + i * t.w + j] += share;
    });
    return r;
  }
  template <class X>
  void vjp(const X& u, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, call_rule(average, u)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class X>
void WindowAverageRule::vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
  out.add(0, call_rule(WindowAverageAdjointRule{*this}, g));
}

}  // namespace

template <Scalar T>
Var<T> window_average(const Var<T>& x, std::shared_ptr<const WindowAverage> table) {
  return apply(WindowAverageRule{std::move(table)}, x);
}

template Var<float> window_average(const Var<float>&, std::shared_ptr<const WindowAverage>);
template Var<double> window_average(const Var<double>&, std::shared_ptr<const WindowAverage>);
template Var<Rational> window_average(const Var<Rational>&, std::shared_ptr<const WindowAverage>);
template Var<Modular> window_average(const Var<Modular>&, std::shared_ptr<const WindowAverage>);

}  // namespace netdim
