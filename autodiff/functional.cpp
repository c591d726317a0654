#include "netdim/autodiff/functional.hpp"

#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

template <class T>
void check_same_shape(const Tensor<T>& a, const Tensor<T>& b, const char* op, const char* what) {
  if (shape_of(a) != shape_of(b))
    throw ShapeError(std::string(op) + ": " + what + " has shape " + shape_string(shape_of(b)) + ", expected " +
                     shape_string(shape_of(a)));
}

template <class T>
Var<T> call(const Function<T>& f, const Var<T>& x, const char* op) {
  Var<T> y = f(x);
  if (&y.tape() != &x.tape()) throw std::logic_error(std::string(op) + ": the function returned a Var of another tape");
  return y;
}

}  // namespace

template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> value_and_grad(const Function<T>& f, const Tensor<T>& x0) {
  Tape<T> tape;
  const Var<T> x = tape.variable(x0);
  const Var<T> y = call(f, x, "value_and_grad");
  return {y.value(), grad(y, x)};
}

template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> vjp(const Function<T>& f, const Tensor<T>& x0, const Tensor<T>& u) {
  Tape<T> tape;
  const std::array<Var<T>, 1> x{tape.variable(x0)};
  const Var<T> y = call(f, x[0], "vjp");
  return {y.value(), backward(y, u, std::span<const Var<T>>(x))[0]};
}

template <Scalar T>
std::pair<Tensor<T>, Tensor<T>> jvp(const Function<T>& f, const Tensor<T>& x0, const Tensor<T>& v) {
  check_same_shape(x0, v, "jvp", "the tangent");
  Tape<T> tape;
  const Var<T> x = tape.variable(x0);
  tape.set_tangent(x, v);
  const Var<T> y = call(f, x, "jvp");
  return {y.value(), tape.tangent(y)};
}

template <Scalar T>
Tensor<T> jacobian_rows(const Function<T>& f, const Tensor<T>& x0) {
  Tape<T> tape;
  const std::array<Var<T>, 1> x{tape.variable(x0)};
  const Var<T> y = call(f, x[0], "jacobian_rows");
  const std::size_t n = y.size(), m = x0.size();
  Tensor<T> jac = zeros_of<T>({n, m});
  Tensor<T> seed = zeros_of<T>(y.shape());
  for (std::size_t i = 0; i < n; ++i) {
    seed.flat(i) = T(1);
    const Tensor<T> row = backward(y, seed, std::span<const Var<T>>(x))[0];
    std::copy(row.begin(), row.end(), jac.data() + i * m);
    seed.flat(i) = T(0);
  }
  return jac;
}

template <Scalar T>
Tensor<T> jacobian_columns(const Function<T>& f, const Tensor<T>& x0) {
  Tape<T> tape;
  Tensor<T> direction = zeros_of<T>(shape_of(x0));
  std::size_t n = 0;
  Tensor<T> jac;
  const std::size_t m = x0.size();
  for (std::size_t j = 0; j < m; ++j) {
    tape.clear();  // one tape, reused for every column
    const Var<T> x = tape.variable(x0);
    direction.flat(j) = T(1);
    tape.set_tangent(x, direction);
    direction.flat(j) = T(0);
    const Var<T> y = call(f, x, "jacobian_columns");
    if (j == 0) {
      n = y.size();
      jac = zeros_of<T>({n, m});
    }
    const Tensor<T> column = tape.tangent(y);
    for (std::size_t i = 0; i < n; ++i) jac(i, j) = column.flat(i);
  }
  if (m == 0) {
    const Var<T> y = call(f, tape.variable(x0), "jacobian_columns");
    jac = zeros_of<T>({y.size(), std::size_t{0}});
  }
  return jac;
}

template <Scalar T>
Tensor<T> hvp(const Function<T>& f, const Tensor<T>& x0, const Tensor<T>& v) {
  check_same_shape(x0, v, "hvp", "the direction");
  Tape<T> tape;
  const std::array<Var<T>, 1> x{tape.variable(x0)};
  tape.set_tangent(x[0], v);
  const Var<T> y = call(f, x[0], "hvp");
  if (y.size() != 1) throw ShapeError("hvp: the function must return one element, got " + shape_string(y.shape()));
  // The recorded gradient carries forward-mode tangents: its tangent is H v.
  const Var<T> g = backward_recorded(y, tape.constant(Tensor<T>(y.value().shape(), T(1))), std::span<const Var<T>>(x))[0];
  return tape.tangent(g);
}

template <Scalar T>
Tensor<T> hvp_reverse(const Function<T>& f, const Tensor<T>& x0, const Tensor<T>& v) {
  check_same_shape(x0, v, "hvp_reverse", "the direction");
  Tape<T> tape;
  const std::array<Var<T>, 1> x{tape.variable(x0)};
  const Var<T> y = call(f, x[0], "hvp_reverse");
  if (y.size() != 1)
    throw ShapeError("hvp_reverse: the function must return one element, got " + shape_string(y.shape()));
  const Var<T> g = backward_recorded(y, tape.constant(Tensor<T>(y.value().shape(), T(1))), std::span<const Var<T>>(x))[0];
  return grad(sum(g * tape.constant(v)), x[0]);
}

#define NETDIM_FUNCTIONAL_INSTANTIATE(T)                                                                   \
  template std::pair<Tensor<T>, Tensor<T>> value_and_grad(const Function<T>&, const Tensor<T>&);           \
  template std::pair<Tensor<T>, Tensor<T>> vjp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);    \
  template std::pair<Tensor<T>, Tensor<T>> jvp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);    \
  template Tensor<T> jacobian_rows(const Function<T>&, const Tensor<T>&);                                  \
  template Tensor<T> jacobian_columns(const Function<T>&, const Tensor<T>&);                               \
  template Tensor<T> hvp(const Function<T>&, const Tensor<T>&, const Tensor<T>&);                          \
  template Tensor<T> hvp_reverse(const Function<T>&, const Tensor<T>&, const Tensor<T>&);
NETDIM_FUNCTIONAL_INSTANTIATE(float)
NETDIM_FUNCTIONAL_INSTANTIATE(double)
NETDIM_FUNCTIONAL_INSTANTIATE(Rational)
NETDIM_FUNCTIONAL_INSTANTIATE(Modular)

}  // namespace netdim
