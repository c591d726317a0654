#include "netdim/autodiff/ops/log_softmax.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>

#include "netdim/autodiff/ops.hpp"

namespace netdim {

template <class T>
Tensor<T> log_softmax(const Tensor<T>& x, std::size_t axis) {
  Shape kept = shape_of(x);
  kept[axis] = 1;
  Tensor<T> m = xt::amax(x, {axis});
  m.reshape(kept);
  Tensor<T> shifted = x - m;
  Tensor<T> lse = xt::log(xt::sum(xt::exp(shifted), {axis}));
  lse.reshape(kept);
  return shifted - lse;
}

namespace {

struct LogSoftmaxRule {
  std::size_t axis;
  std::string name() const { return "log_softmax"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return log_softmax(*x[0], axis); }
  // y = x - lse(x): dx = g - softmax * sum(g); dy = dx - sum(softmax * dx).
  template <class X>
  void vjp(const X& g, Args<X>, const X& y, Cotangents<X>& out) const {
    const X p = exp(y);
    out.add(0, X(g - p * sum_axis(g, axis, true)));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X& y) const {
    const X p = exp(y);
    return dx[0] - sum_axis(X(p * dx[0]), axis, true);
  }
};

}  // namespace

template <FloatingScalar T>
Var<T> log_softmax(const Var<T>& x, long axis) {
  const std::size_t a = normalize_axis(axis, x.rank(), "log_softmax");
  if (x.shape()[a] == 0) throw ShapeError("log_softmax: axis " + std::to_string(a) + " is empty");
  return apply(LogSoftmaxRule{a}, x);
}

template Var<float> log_softmax(const Var<float>&, long);
template Var<double> log_softmax(const Var<double>&, long);
template Tensor<float> log_softmax(const Tensor<float>&, std::size_t);
template Tensor<double> log_softmax(const Tensor<double>&, std::size_t);

}  // namespace netdim
