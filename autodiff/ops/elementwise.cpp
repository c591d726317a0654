#include "netdim/autodiff/ops/elementwise.hpp"

#include <xtensor/xmath.hpp>

#include "netdim/autodiff/ops.hpp"

namespace netdim {

template <class T>
Tensor<T> sigmoid(const Tensor<T>& x) {
  // Stable on both tails: exp is only ever taken of a non-positive number.
  Tensor<T> r = Tensor<T>::from_shape(x.shape());
  auto* out = r.data();
  const auto* in = x.data();
  for (std::size_t i = 0, n = x.size(); i < n; ++i) {
    const T v = in[i];
    if (v >= T(0)) out[i] = T(1) / (T(1) + std::exp(-v));
    else {
      const T e = std::exp(v);
      out[i] = e / (T(1) + e);
    }
  }
  return r;
}

template <class T>
Tensor<T> softplus(const Tensor<T>& x) {
  // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): never overflows.
  return xt::maximum(x, T(0)) + xt::log1p(xt::exp(-xt::abs(x)));
}

namespace {

// Applies fn to every element (xt::where does not compose with Rational).
template <class T, class Fn>
Tensor<T> map_elements(const Tensor<T>& x, Fn fn) {
  Tensor<T> r = Tensor<T>::from_shape(x.shape());
  auto* out = r.data();
  const auto* in = x.data();
  for (std::size_t i = 0, n = x.size(); i < n; ++i) out[i] = fn(in[i]);
  return r;
}

// An elementwise rule from three small functions: the value, and the local
// derivative dy/dx (as something g or dx multiplies) in terms of x and y.
template <class Fn>
struct UnaryRule {
  Fn fn;
  std::string name() const { return fn.name; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return fn.value(*x[0]); }
  template <class X>
  void vjp(const X& g, Args<X> x, const X& y, Cotangents<X>& out) const { out.add(0, X(g * fn.derivative(*x[0], y))); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X& y) const { return dx[0] * fn.derivative(*x[0], y); }
};

template <class Fn, class T>
Var<T> unary(const Var<T>& x, Fn fn = {}) {
  return apply(UnaryRule<Fn>{fn}, x);
}

struct Square {
  const char* name = "square";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return x * x; }
  template <class X> X derivative(const X& x, const X&) const { return X(x + x); }
};

struct Power {
  const char* name = "pow";
  int n;
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return ipow(x, n); }
  template <class X> X derivative(const X& x, const X&) const {
    using T = scalar_of_t<X>;
    if (n == 0) return lift(x, zeros_of<T>(shape_of(x)));
    if (n == 1) return lift(x, Tensor<T>(value_of(x).shape(), T(1)));
    return X(ipow(x, n - 1) * T(n));
  }
};

// Piecewise-linear functions: the derivative is a constant mask (zero second derivative).
struct Abs {
  const char* name = "abs";
  template <class T> Tensor<T> value(const Tensor<T>& x) const {
    return map_elements(x, [](const T& v) { return v < T(0) ? T(-v) : v; });
  }
  template <class X> X derivative(const X& x, const X&) const {
    using T = scalar_of_t<X>;
    return lift(x, map_elements(value_of(x), [](const T& v) { return T(v > T(0) ? 1 : v < T(0) ? -1 : 0); }));
  }
};

struct Relu {
  const char* name = "relu";
  template <class T> Tensor<T> value(const Tensor<T>& x) const {
    return map_elements(x, [](const T& v) { return v > T(0) ? v : T(0); });
  }
  template <class X> X derivative(const X& x, const X&) const {
    using T = scalar_of_t<X>;
    return lift(x, map_elements(value_of(x), [](const T& v) { return T(v > T(0) ? 1 : 0); }));
  }
};

template <class S>
struct LeakyRelu {
  const char* name = "leaky_relu";
  S slope;
  template <class T> Tensor<T> value(const Tensor<T>& x) const {
    return map_elements(x, [this](const T& v) { return v > T(0) ? v : T(v * slope); });
  }
  template <class X> X derivative(const X& x, const X&) const {
    using T = scalar_of_t<X>;
    return lift(x, map_elements(value_of(x), [this](const T& v) { return v > T(0) ? T(1) : T(slope); }));
  }
};

struct Relu6 {
  const char* name = "relu6";
  template <class T> Tensor<T> value(const Tensor<T>& x) const {
    return map_elements(x, [](const T& v) { return v > T(0) ? (v < T(6) ? v : T(6)) : T(0); });
  }
  // Zero at exactly 0 and 6, as torch's hardtanh backward (it passes the gradient only strictly inside).
  template <class X> X derivative(const X& x, const X&) const {
    using T = scalar_of_t<X>;
    return lift(x, map_elements(value_of(x), [](const T& v) { return T(v > T(0) && v < T(6) ? 1 : 0); }));
  }
};

struct Exp {
  const char* name = "exp";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::exp(x); }
  template <class X> X derivative(const X&, const X& y) const { return y; }
};

struct Log {
  const char* name = "log";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::log(x); }
  template <class X> X derivative(const X& x, const X&) const { return X(1 / x); }
};

struct Sqrt {
  const char* name = "sqrt";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::sqrt(x); }
  template <class X> X derivative(const X&, const X& y) const { return X(0.5 / y); }
};

struct Tanh {
  const char* name = "tanh";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::tanh(x); }
  template <class X> X derivative(const X&, const X& y) const { return X(1 - y * y); }
};

struct Sigmoid {
  const char* name = "sigmoid";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return sigmoid(x); }
  template <class X> X derivative(const X&, const X& y) const { return X(y * (1 - y)); }
};

struct Softplus {
  const char* name = "softplus";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return softplus(x); }
  template <class X> X derivative(const X& x, const X&) const { return sigmoid(x); }
};

struct Sin {
  const char* name = "sin";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::sin(x); }
  template <class X> X derivative(const X& x, const X&) const { return X(cos(x)); }
};

struct Cos {
  const char* name = "cos";
  template <class T> Tensor<T> value(const Tensor<T>& x) const { return xt::cos(x); }
  template <class X> X derivative(const X& x, const X&) const { return X(-sin(x)); }
};

}  // namespace

template <Scalar T> Var<T> square(const Var<T>& x) { return unary<Square>(x); }
template <Scalar T> Var<T> pow(const Var<T>& x, int n) {
  if (n < 0) throw std::domain_error("pow: negative exponent " + std::to_string(n) + " (only n >= 0)");
  return unary(x, Power{"pow", n});
}
template <OrderedScalar T> Var<T> abs(const Var<T>& x) { return unary<Abs>(x); }
template <OrderedScalar T> Var<T> relu(const Var<T>& x) { return unary<Relu>(x); }
template <OrderedScalar T> Var<T> leaky_relu(const Var<T>& x, T slope) { return unary(x, LeakyRelu<T>{"leaky_relu", slope}); }
template <OrderedScalar T> Var<T> relu6(const Var<T>& x) { return unary<Relu6>(x); }
template <FloatingScalar T> Var<T> exp(const Var<T>& x) { return unary<Exp>(x); }
template <FloatingScalar T> Var<T> log(const Var<T>& x) { return unary<Log>(x); }
template <FloatingScalar T> Var<T> sqrt(const Var<T>& x) { return unary<Sqrt>(x); }
template <FloatingScalar T> Var<T> tanh(const Var<T>& x) { return unary<Tanh>(x); }
template <FloatingScalar T> Var<T> sigmoid(const Var<T>& x) { return unary<Sigmoid>(x); }
template <FloatingScalar T> Var<T> softplus(const Var<T>& x) { return unary<Softplus>(x); }
template <FloatingScalar T> Var<T> sin(const Var<T>& x) { return unary<Sin>(x); }
template <FloatingScalar T> Var<T> cos(const Var<T>& x) { return unary<Cos>(x); }

#define NETDIM_POLYNOMIAL_EW_INSTANTIATE(T)      \
  template Var<T> square(const Var<T>&);         \
  template Var<T> pow(const Var<T>&, int);
#define NETDIM_EXACT_EW_INSTANTIATE(T)           \
  NETDIM_POLYNOMIAL_EW_INSTANTIATE(T)            \
  template Var<T> abs(const Var<T>&);            \
  template Var<T> relu(const Var<T>&);           \
  template Var<T> leaky_relu(const Var<T>&, T); \
  template Var<T> relu6(const Var<T>&);
#define NETDIM_FLOAT_EW_INSTANTIATE(T)           \
  template Var<T> exp(const Var<T>&);            \
  template Var<T> log(const Var<T>&);            \
  template Var<T> sqrt(const Var<T>&);           \
  template Var<T> tanh(const Var<T>&);           \
  template Var<T> sigmoid(const Var<T>&);        \
  template Var<T> softplus(const Var<T>&);       \
  template Var<T> sin(const Var<T>&);            \
  template Var<T> cos(const Var<T>&);            \
  template Tensor<T> sigmoid(const Tensor<T>&);  \
  template Tensor<T> softplus(const Tensor<T>&);
NETDIM_EXACT_EW_INSTANTIATE(float)
NETDIM_EXACT_EW_INSTANTIATE(double)
NETDIM_EXACT_EW_INSTANTIATE(Rational)
NETDIM_POLYNOMIAL_EW_INSTANTIATE(Modular)
NETDIM_FLOAT_EW_INSTANTIATE(float)
NETDIM_FLOAT_EW_INSTANTIATE(double)

}  // namespace netdim
