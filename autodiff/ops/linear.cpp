#include "netdim/autodiff/ops/linear.hpp"

#include "netdim/autodiff/linalg.hpp"
#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

struct LinearRule {
  std::string name() const { return "linear"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> y = broadcast_to(*x[2], Shape{x[0]->shape()[0], x[2]->size()});
    gemm_into(*x[0], *x[1], false, true, T(1), T(1), y);
    return y;
  }
  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, matmul(g, *x[1]));
    if (out.wanted(1)) out.add(1, matmul(g, *x[0], true, false));
    if (out.wanted(2)) out.add(2, sum_axis(g, 0, false));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const {
    // Sum of the terms of the inputs that carry tangents (the rest are zero).
    std::optional<X> r;
    auto plus = [&r](X term) {
      if (!r) r = std::move(term);
      else if constexpr (is_var_v<X>) r = *r + term;
      else *r += term;
    };
    if (dx.has(0)) plus(matmul(dx[0], *x[1], false, true));
    if (dx.has(1)) plus(matmul(*x[0], dx[1], false, true));
    if (dx.has(2)) plus(broadcast_to(dx[2], shape_of(y)));
    return r ? std::move(*r) : lift(y, zeros_of<scalar_of_t<X>>(shape_of(y)));
  }
};

}  // namespace

template <Scalar T>
Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& b) {
  if (x.rank() != 2 || w.rank() != 2 || b.rank() != 1 || x.shape()[1] != w.shape()[1] || b.size() != w.shape()[0])
    throw ShapeError("linear: input " + shape_string(x.shape()) + ", weight " + shape_string(w.shape()) + " and bias " +
                     shape_string(b.shape()) + " do not fit ([N, in], [out, in], [out])");
  return apply(LinearRule{}, x, w, b);
}

template Var<float> linear(const Var<float>&, const Var<float>&, const Var<float>&);
template Var<double> linear(const Var<double>&, const Var<double>&, const Var<double>&);
template Var<Rational> linear(const Var<Rational>&, const Var<Rational>&, const Var<Rational>&);
template Var<Modular> linear(const Var<Modular>&, const Var<Modular>&, const Var<Modular>&);

}  // namespace netdim
