// A tour of netdim's autodiff: a user-defined operation written from scratch
// and verified with check_op, both modes of differentiation on a small network,
// a Hessian-vector product, and the exact Jacobian of seed 003's x^2 network.
#include <iostream>

#include "netdim/autodiff/autodiff.hpp"

using namespace netdim;

// softsign(x) = x / (1 + |x|), written the way every built-in operation is:
// the value, the vector-Jacobian product and the Jacobian-vector product. The
// rules are generic in X, so the same definition also works when recorded on a
// tape (X = Var<T>), which is what higher derivatives need.
struct Softsign {
  std::string name() const { return "softsign"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    return *x[0] / (T(1) + xt::abs(*x[0]));
  }
  // d/dx softsign = 1 / (1 + |x|)^2 = (1 - |y|)^2, written in terms of the output y.
  template <class X>
  void vjp(const X& g, Args<X>, const X& y, Cotangents<X>& out) const {
    out.add(0, X(g * square_of(X(1 - abs(y)))));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X& y) const {
    return dx[0] * square_of(X(1 - abs(y)));
  }
  template <class X>
  static X square_of(const X& v) { return X(v * v); }
};

template <class T>
Var<T> softsign(const Var<T>& x) {
  return apply(Softsign{}, x);
}

int main() {
  // 1. Check the new operation in both modes at random points.
  const Tensor<double> at{{-2.0, -0.5, 0.3}, {0.7, 1.5, 4.0}};
  const CheckReport report =
      check_op("softsign", [](const std::vector<Var<double>>& x) { return softsign(x[0]); }, {at});
  std::cout << report.summary() << "\n";
  if (!report.ok) return 1;

  // 2. A tiny network of its flat parameters: reverse and forward Jacobians agree.
  const Function<double> net = [](const Var<double>& theta) {
    const Var<double> x = theta.tape().constant(Tensor<double>{{0.5, -1.0}, {2.0, 0.25}, {-1.5, 1.0}});
    const Var<double> w1 = segment(theta, 0, Shape{3, 2}), b1 = segment(theta, 6, Shape{3});
    const Var<double> w2 = segment(theta, 9, Shape{1, 3}), b2 = segment(theta, 12, Shape{1});
    return matmul(softsign(matmul(x, w1, false, true) + b1), w2, false, true) + b2;
  };
  Tensor<double> theta = Tensor<double>::from_shape({13});
  for (std::size_t i = 0; i < theta.size(); ++i) theta(i) = 0.1 * static_cast<double>(i) - 0.6;
  const Tensor<double> by_rows = jacobian_rows<double>(net, theta);
  const Tensor<double> by_columns = jacobian_columns<double>(net, theta);
  double worst = 0;
  for (std::size_t i = 0; i < by_rows.size(); ++i) worst = std::max(worst, std::abs(by_rows.flat(i) - by_columns.flat(i)));
  std::cout << "Jacobian of a 2-3-1 softsign net: " << by_rows.shape()[0] << " x " << by_rows.shape()[1]
            << ", reverse vs forward max difference " << worst << "\n";

  // 3. A Hessian-vector product of a scalar loss, forward over reverse.
  const Function<double> loss = [&](const Var<double>& t) { return sum(square(net(t))) * 0.5; };
  const Tensor<double> direction = xt::ones<double>({13});
  const Tensor<double> hv = hvp<double>(loss, theta, direction);
  std::cout << "H v for v = ones: first entries " << hv(0) << ", " << hv(1) << ", " << hv(2) << "\n";

  // 4. Exactly over the rationals: seed 003's g(x) = w3 (w2 (w1 x + b1)^2 + b2)^2 + b3
  //    at w = (3, 9, 7), b = (2, 4, 6), on the inputs 1..6.
  using Q = Rational;
  Tensor<Q> inputs = Tensor<Q>::from_shape({6, 1});
  for (int i = 0; i < 6; ++i) inputs(i, 0) = Q(i + 1);
  const Function<Q> square_net = [&](const Var<Q>& t) {
    Var<Q> h = t.tape().constant(inputs);
    for (std::size_t layer = 0; layer < 3; ++layer) {
      h = matmul(h, segment(t, 2 * layer, Shape{1, 1}), false, true) + segment(t, 2 * layer + 1, Shape{1});
      if (layer < 2) h = square(h);
    }
    return h;
  };
  const Tensor<Q> jac = jacobian_rows<Q>(square_net, Tensor<Q>{Q(3), Q(2), Q(9), Q(4), Q(7), Q(6)});
  std::cout << "exact Jacobian of the x^2 network (rows: x = 1..6; columns: w1 b1 w2 b2 w3 b3):\n";
  for (std::size_t i = 0; i < 6; ++i) {
    for (std::size_t j = 0; j < 6; ++j) std::cout << (j ? "\t" : "  ") << jac(i, j);
    std::cout << "\n";
  }
  return 0;
}
