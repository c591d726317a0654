#include "netdim/autodiff/ops/matmul.hpp"

#include "netdim/autodiff/linalg.hpp"
#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

// C = op(A) op(B). Cotangents are again products with transpose flags, so
// neither direction ever materialises a transposed copy.
struct MatMulRule {
  bool ta, tb;
  std::string name() const { return "matmul"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return matmul(*x[0], *x[1], ta, tb); }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    const X& a = *x[0];
    const X& b = *x[1];
    if (out.wanted(0)) out.add(0, ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb));
    if (out.wanted(1)) out.add(1, tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const {
    if (dx.has(0) && dx.has(1)) return X(matmul(dx[0], *x[1], ta, tb) + matmul(*x[0], dx[1], ta, tb));
    return dx.has(0) ? matmul(dx[0], *x[1], ta, tb) : matmul(*x[0], dx[1], ta, tb);
  }
};

}  // namespace

template <Scalar T>
Var<T> matmul(const Var<T>& a, const Var<T>& b, bool trans_a, bool trans_b) {
  return apply(MatMulRule{trans_a, trans_b}, a, b);
}

template Var<float> matmul(const Var<float>&, const Var<float>&, bool, bool);
template Var<double> matmul(const Var<double>&, const Var<double>&, bool, bool);
template Var<Rational> matmul(const Var<Rational>&, const Var<Rational>&, bool, bool);
template Var<Modular> matmul(const Var<Modular>&, const Var<Modular>&, bool, bool);

}  // namespace netdim
