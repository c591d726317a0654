#include "netdim/autodiff/ops/arithmetic.hpp"

#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

// Broadcast-aware forward rule shared by the four binary operations:
// the tangent of each input is broadcast to the output before combining.
template <class X>
X broadcast_tangent(const X& t, const X& y) {
  return broadcast_to(t, shape_of(y));
}

struct AddRule {
  std::string name() const { return "add"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    broadcast_shapes(shape_of(*x[0]), shape_of(*x[1]), "add");
    return *x[0] + *x[1];
  }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, sum_to(g, shape_of(*x[0])));
    if (out.wanted(1)) out.add(1, sum_to(g, shape_of(*x[1])));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X& y) const {
    if (dx.has(0) && dx.has(1)) return broadcast_tangent(X(dx[0] + dx[1]), y);
    return broadcast_tangent(dx.has(0) ? dx[0] : dx[1], y);
  }
};

struct SubRule {
  std::string name() const { return "sub"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    broadcast_shapes(shape_of(*x[0]), shape_of(*x[1]), "sub");
    return *x[0] - *x[1];
  }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, sum_to(g, shape_of(*x[0])));
    if (out.wanted(1)) out.add(1, sum_to(X(-g), shape_of(*x[1])));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X& y) const {
    if (dx.has(0) && dx.has(1)) return broadcast_tangent(X(dx[0] - dx[1]), y);
    return dx.has(0) ? broadcast_tangent(dx[0], y) : broadcast_tangent(X(-dx[1]), y);
  }
};

struct MulRule {
  std::string name() const { return "mul"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    broadcast_shapes(shape_of(*x[0]), shape_of(*x[1]), "mul");
    return *x[0] * *x[1];
  }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, sum_to(X(g * *x[1]), shape_of(*x[0])));
    if (out.wanted(1)) out.add(1, sum_to(X(g * *x[0]), shape_of(*x[1])));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const {
    if (dx.has(0) && dx.has(1)) return broadcast_tangent(X(dx[0] * *x[1] + *x[0] * dx[1]), y);
    return dx.has(0) ? broadcast_tangent(X(dx[0] * *x[1]), y) : broadcast_tangent(X(*x[0] * dx[1]), y);
  }
};

struct DivRule {
  std::string name() const { return "div"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    broadcast_shapes(shape_of(*x[0]), shape_of(*x[1]), "div");
    return *x[0] / *x[1];
  }
  template <class X>
  void vjp(const X& g, Args<X> x, const X& y, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, sum_to(X(g / *x[1]), shape_of(*x[0])));
    if (out.wanted(1)) out.add(1, sum_to(X(-(g * y) / *x[1]), shape_of(*x[1])));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const {
    // d(a/b) = (da - y db) / b
    if (dx.has(0) && dx.has(1)) return broadcast_tangent(X((dx[0] - y * dx[1]) / *x[1]), y);
    return dx.has(0) ? broadcast_tangent(X(dx[0] / *x[1]), y) : broadcast_tangent(X(-(y * dx[1]) / *x[1]), y);
  }
};

struct NegRule {
  std::string name() const { return "neg"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return -*x[0]; }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, X(-g)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return -dx[0]; }
};

template <class T>
struct AddScalarRule {
  T s;
  std::string name() const { return "add_scalar"; }
  template <class U>
  Tensor<U> value(Args<Tensor<U>> x) const { return *x[0] + s; }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, g); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return dx[0]; }
};

template <class T>
struct MulScalarRule {
  T s;
  std::string name() const { return "mul_scalar"; }
  template <class U>
  Tensor<U> value(Args<Tensor<U>> x) const { return *x[0] * s; }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, X(g * s)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return dx[0] * s; }
};

template <class T>
struct RdivScalarRule {  // s / x
  T s;
  std::string name() const { return "rdiv_scalar"; }
  template <class U>
  Tensor<U> value(Args<Tensor<U>> x) const { return s / *x[0]; }
  template <class X>
  void vjp(const X& g, Args<X> x, const X& y, Cotangents<X>& out) const { out.add(0, X(-(g * y) / *x[0])); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const { return -(dx[0] * y) / *x[0]; }
};

}  // namespace

template <Scalar T> Var<T> add(const Var<T>& a, const Var<T>& b) { return apply(AddRule{}, a, b); }
template <Scalar T> Var<T> sub(const Var<T>& a, const Var<T>& b) { return apply(SubRule{}, a, b); }
template <Scalar T> Var<T> mul(const Var<T>& a, const Var<T>& b) { return apply(MulRule{}, a, b); }
template <Scalar T> Var<T> div(const Var<T>& a, const Var<T>& b) { return apply(DivRule{}, a, b); }
template <Scalar T> Var<T> neg(const Var<T>& a) { return apply(NegRule{}, a); }
template <Scalar T> Var<T> add_scalar(const Var<T>& a, T s) { return apply(AddScalarRule<T>{s}, a); }
template <Scalar T> Var<T> mul_scalar(const Var<T>& a, T s) { return apply(MulScalarRule<T>{s}, a); }
template <Scalar T> Var<T> div_scalar(const Var<T>& a, T s) {
  if (s == T(0)) throw std::domain_error("div_scalar: division by zero");
  return apply(MulScalarRule<T>{T(1) / s}, a);
}
template <Scalar T> Var<T> rdiv_scalar(const Var<T>& a, T s) { return apply(RdivScalarRule<T>{s}, a); }

#define NETDIM_ARITHMETIC_INSTANTIATE(T)                  \
  template Var<T> add(const Var<T>&, const Var<T>&);      \
  template Var<T> sub(const Var<T>&, const Var<T>&);      \
  template Var<T> mul(const Var<T>&, const Var<T>&);      \
  template Var<T> div(const Var<T>&, const Var<T>&);      \
  template Var<T> neg(const Var<T>&);                     \
  template Var<T> add_scalar(const Var<T>&, T);           \
  template Var<T> mul_scalar(const Var<T>&, T);           \
  template Var<T> div_scalar(const Var<T>&, T);           \
  template Var<T> rdiv_scalar(const Var<T>&, T);
NETDIM_ARITHMETIC_INSTANTIATE(float)
NETDIM_ARITHMETIC_INSTANTIATE(double)
NETDIM_ARITHMETIC_INSTANTIATE(Rational)
NETDIM_ARITHMETIC_INSTANTIATE(Modular)

}  // namespace netdim
