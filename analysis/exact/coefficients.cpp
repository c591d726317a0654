#include "netdim/analysis/exact/coefficients.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/autodiff/linalg.hpp"

namespace netdim::analysis {
namespace {

// 0, 1, -1, 2, -2, ...: distinct and as small as possible, so the numbers stay short.
Rational interpolation_point(std::size_t i) {
  const long h = static_cast<long>((i + 1) / 2);
  return i % 2 == 1 ? Rational(h) : Rational(-h);
}

// The monomial coefficients of the polynomial through (z_i, y_i), i < k.
std::vector<Rational> interpolate(const std::vector<Rational>& z, std::vector<Rational> y) {
  const std::size_t k = z.size();
  // Divided differences in place: y[i] becomes f[z_0, ..., z_i].
  for (std::size_t j = 1; j < k; ++j)
    for (std::size_t i = k - 1; i >= j; --i) y[i] = (y[i] - y[i - 1]) / (z[i] - z[i - j]);
  // Horner on the Newton form: p = y[k-1]; p = p (x - z_i) + y[i] for i = k-2 .. 0.
  std::vector<Rational> c(k);
  c[0] = y[k - 1];
  for (std::size_t i = k - 1; i-- > 0;) {
    // p (x - z_i): shift up, subtract z_i p; degree grows from k-2-i to k-1-i.
    const std::size_t top = k - 1 - i;
    for (std::size_t d = top; d > 0; --d) c[d] = c[d - 1] - z[i] * c[d];
    c[0] = y[i] - z[i] * c[0];
  }
  return c;
}

Tensor<Rational> column_of(const std::vector<Rational>& v) {
  Tensor<Rational> x = Tensor<Rational>::from_shape({v.size(), 1});
  for (std::size_t i = 0; i < v.size(); ++i) x(i, 0) = v[i];
  return x;
}

}  // namespace

NetworkPolynomial network_polynomial(const nn::Model<Rational>& model, const Tensor<Rational>& theta) {
  const nn::Architecture& a = model.architecture();
  if (shape_size(a.input_shape()) != 1 || shape_size(a.output_shape()) != 1)
    throw std::invalid_argument("coefficients: the network has input shape " + shape_string(a.input_shape()) +
                                " and output shape " + shape_string(a.output_shape()) +
                                "; the polynomial in x needs one input and one output");
  const NetworkDegree degree = network_degree(a);
  if (degree.exactness == Exactness::NotExact) throw std::invalid_argument(not_exact_message("coefficients", degree));
  if (degree.exactness == Exactness::PiecewisePolynomial)
    throw std::invalid_argument("coefficients: " + degree.culprit +
                                " makes the network piecewise, not one polynomial; `netdim psd` gives its exact ranks");
  if (model.parameter_count() == 0) throw std::invalid_argument("coefficients: the network has no parameters");
  if (degree.x > kMaxCoefficientDegree)
    throw std::invalid_argument("coefficients: the network has degree " +
                                (degree.saturated ? std::string("beyond 2^40") : std::to_string(degree.x)) +
                                " in x, above the limit of " + std::to_string(kMaxCoefficientDegree) +
                                " (deg + 1 exact evaluations and an O(deg^2) solve per parameter)");
  if (theta.dimension() != 1 || theta.size() != model.parameter_count())
    throw ShapeError("coefficients: parameter vector has shape " + shape_string(shape_of(theta)) + ", expected [" +
                     std::to_string(model.parameter_count()) + "]");

  NetworkPolynomial p;
  p.degree_bound = degree.x;
  const std::size_t k = degree.x + 1, m = model.parameter_count();
  std::vector<Rational> z(k);
  for (std::size_t i = 0; i < k; ++i) z[i] = interpolation_point(i);
  const Tensor<Rational> x = column_of(z);
  p.points = Tensor<Rational>::from_shape({k});
  for (std::size_t i = 0; i < k; ++i) p.points(i) = z[i];

  nn::Model<Rational> at(model.architecture());
  at.set_parameters(theta);
  const Tensor<Rational> y = at.predict(x);
  std::vector<Rational> values(k);
  for (std::size_t i = 0; i < k; ++i) values[i] = y.data()[i];
  const std::vector<Rational> c = interpolate(z, values);
  p.coefficients = Tensor<Rational>::from_shape({k});
  for (std::size_t j = 0; j < k; ++j) {
    p.coefficients(j) = c[j];
    if (c[j].sign() != 0) p.degree = j;
  }

  // Jc = V^-1 Jn, column by column: the same interpolation of each parameter's derivative.
  const Tensor<Rational> jn = reference_jacobian(model, theta, x, OutputReduction::first());
  p.jacobian = Tensor<Rational>::from_shape({k, m});
  for (std::size_t l = 0; l < m; ++l) {
    for (std::size_t i = 0; i < k; ++i) values[i] = jn(i, l);
    const std::vector<Rational> d = interpolate(z, values);
    for (std::size_t j = 0; j < k; ++j) p.jacobian(j, l) = d[j];
  }
  return p;
}

std::string polynomial_string(const Tensor<Rational>& coefficients) {
  std::string out;
  for (std::size_t j = coefficients.size(); j-- > 0;) {
    const Rational& c = coefficients.data()[j];
    if (c.sign() == 0) continue;
    if (out.empty()) out += c.sign() < 0 ? "-" : "";
    else out += c.sign() < 0 ? " - " : " + ";
    const Rational magnitude = abs(c);
    const bool unit = magnitude == Rational(1);
    if (!unit || j == 0) out += magnitude.str();
    if (j == 0) continue;
    if (!unit) out += ' ';
    out += 'x';
    if (j > 1) {
      out += '^';
      out += std::to_string(j);
    }
  }
  return out.empty() ? "0" : out;
}

Tensor<Rational> vandermonde(const Tensor<Rational>& x, std::size_t k) {
  const std::size_t n = x.dimension() == 0 ? 0 : x.shape()[0];
  if (x.size() != n) throw ShapeError("vandermonde: expected points [n] or [n, 1], got " + shape_string(shape_of(x)));
  Tensor<Rational> v = Tensor<Rational>::from_shape({n, k});
  for (std::size_t i = 0; i < n; ++i) {
    Rational power(1);
    for (std::size_t j = 0; j < k; ++j) {
      v(i, j) = power;
      power *= x.data()[i];
    }
  }
  return v;
}

Equation7 check_equation7(const nn::Model<Rational>& model, const Tensor<Rational>& theta,
                          const NetworkPolynomial& polynomial, const Tensor<Rational>& x) {
  Equation7 e;
  e.jn = reference_jacobian(model, theta, x, OutputReduction::first());
  e.v_jc = matmul(vandermonde(x, polynomial.jacobian.shape()[0]), polynomial.jacobian, false, false);
  e.holds = e.jn == e.v_jc;
  return e;
}

}  // namespace netdim::analysis
