#include "netdim/autodiff/ops/reduce.hpp"

#include <xtensor/xreducer.hpp>

#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

// Sum over all axes to a 0-D tensor, scaled by `scale` (1 for sum, 1/n for mean).
template <class T>
struct SumAllRule {
  T scale;
  Shape from;
  std::string name() const { return "sum"; }
  template <class U>
  Tensor<U> value(Args<Tensor<U>> x) const {
    U total(0);
    for (const U& v : *x[0]) total += v;
    Tensor<U> r = Tensor<U>::from_shape({});
    r() = total * scale;
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, broadcast_to(X(g * scale), from));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class T>
struct SumAxisRule {
  std::size_t axis;
  bool keepdims;
  T scale;
  Shape from;
  std::string name() const { return "sum_axis"; }
  template <class U>
  Tensor<U> value(Args<Tensor<U>> x) const {
    Tensor<U> r = sum_axis(*x[0], axis, keepdims);
    if (scale != T(1)) r *= scale;
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    Shape kept = from;
    kept[axis] = 1;
    out.add(0, broadcast_to(reshape(X(g * scale), kept), from));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

}  // namespace

template <Scalar T>
Var<T> sum(const Var<T>& x) {
  return apply(SumAllRule<T>{T(1), x.shape()}, x);
}

template <Scalar T>
Var<T> sum_axis(const Var<T>& x, std::size_t axis, bool keepdims) {
  return apply(SumAxisRule<T>{axis, keepdims, T(1), x.shape()}, x);
}

template <Scalar T>
Var<T> sum(const Var<T>& x, long axis, bool keepdims) {
  return sum_axis(x, normalize_axis(axis, x.rank(), "sum"), keepdims);
}

template <Scalar T>
Var<T> mean(const Var<T>& x) {
  if (x.size() == 0) throw ShapeError("mean: empty tensor " + shape_string(x.shape()));
  return apply(SumAllRule<T>{T(1) / T(static_cast<long>(x.size())), x.shape()}, x);
}

template <Scalar T>
Var<T> mean(const Var<T>& x, long axis, bool keepdims) {
  const std::size_t a = normalize_axis(axis, x.rank(), "mean");
  if (x.shape()[a] == 0) throw ShapeError("mean: axis " + std::to_string(a) + " of " + shape_string(x.shape()) + " is empty");
  return apply(SumAxisRule<T>{a, keepdims, T(1) / T(static_cast<long>(x.shape()[a])), x.shape()}, x);
}

#define NETDIM_REDUCE_INSTANTIATE(T)                     \
  template Var<T> sum(const Var<T>&);                    \
  template Var<T> sum(const Var<T>&, long, bool);        \
  template Var<T> mean(const Var<T>&);                   \
  template Var<T> mean(const Var<T>&, long, bool);       \
  template Var<T> sum_axis(const Var<T>&, std::size_t, bool);
NETDIM_REDUCE_INSTANTIATE(float)
NETDIM_REDUCE_INSTANTIATE(double)
NETDIM_REDUCE_INSTANTIATE(Rational)
NETDIM_REDUCE_INSTANTIATE(Modular)

}  // namespace netdim
