// isru(x) = x / sqrt(1 + x^2), the inverse square root unit (Carlile et al. 2017): a new
// operation of a user's own, written the way every built-in operation is (the value, the
// vector-Jacobian product, the Jacobian-vector product), outside netdim's tree.
#pragma once

#include <netdim/autodiff/autodiff.hpp>

namespace extend {

struct Isru {
  std::string name() const { return "isru"; }
  template <class T>
  netdim::Tensor<T> value(netdim::Args<netdim::Tensor<T>> x) const {
    return *x[0] / xt::sqrt(T(1) + *x[0] * *x[0]);
  }
  // d/dx isru = (1 + x^2)^(-3/2) = (1 - y^2)^(3/2), in terms of the output y. The rules are
  // generic in X, so they are recorded on a tape too (X = Var<T>): second derivatives come free.
  template <class X>
  void vjp(const X& g, netdim::Args<X>, const X& y, netdim::Cotangents<X>& out) const {
    out.add(0, X(g * slope_of(y)));
  }
  template <class X>
  X jvp(const netdim::Tangents<X>& dx, netdim::Args<X>, const X& y) const {
    return X(dx[0] * slope_of(y));
  }
  template <class X>
  static X slope_of(const X& y) {
    const X s = X(1 - y * y);
    return X(s * sqrt(s));
  }
};

template <class T>
netdim::Var<T> isru(const netdim::Var<T>& x) {
  return netdim::apply(Isru{}, x);
}

}  // namespace extend
