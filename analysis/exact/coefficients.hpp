// The polynomial of a one-input, one-output polynomial network, and its coefficient
// Jacobian (seed 003, sections 2.1 and 3.1), exactly over Q.
//
// N(theta, x) = sum_j c_j(theta) x^j = Phi(x)^T P(theta) (equation 2). With deg the
// network's degree in x (network_degree.hpp), P(theta) is found by evaluating N at
// deg + 1 distinct rational points z and solving the Vandermonde system V(z) c = N(z)
// exactly (Newton's divided differences, then the Newton form expanded into
// monomials). The coefficient Jacobian Jc[j, l] = dc_j / dtheta_l comes out of the
// same solve applied to the columns of Jn at z, since Jn = V Jc (equation 7) and V(z)
// is invertible.
#pragma once

#include <cstddef>
#include <string>

#include "netdim/nn/model.hpp"

namespace netdim::analysis {

// Interpolation needs deg + 1 evaluations and O(deg^2) exact operations per column
// on numbers of O(deg log deg) bits; beyond this degree (2^8: eight layers of x^2)
// that stops being quick, so it is refused.
inline constexpr std::size_t kMaxCoefficientDegree = 256;

struct NetworkPolynomial {
  std::size_t degree_bound = 0;  // deg: the coefficients are c_0 .. c_deg (top ones may be 0)
  std::size_t degree = 0;        // the highest j with c_j != 0 (0 for the zero polynomial)
  Tensor<Rational> points;       // the interpolation points z, [deg + 1]
  Tensor<Rational> coefficients; // P(theta) = (c_0, ..., c_deg), [deg + 1]
  Tensor<Rational> jacobian;     // Jc, [deg + 1, m]
};

// At parameters theta (length m). Throws std::invalid_argument for a network that is
// not single-input single-output, not polynomial (pointing to `netdim esd` when not
// exact, or `netdim psd` when piecewise), without parameters, or of degree above
// kMaxCoefficientDegree; ShapeError for theta of the wrong length.
NetworkPolynomial network_polynomial(const nn::Model<Rational>& model, const Tensor<Rational>& theta);

// "8/3 x^4 - x + 2": nonzero terms from the highest power, "0" for the zero polynomial.
std::string polynomial_string(const Tensor<Rational>& coefficients);

// V[i, j] = x_i^j for the points x [n] (or [n, 1]) and j < k.
Tensor<Rational> vandermonde(const Tensor<Rational>& x, std::size_t k);

// Equation 7 at the inputs x [n, 1]: Jn (from the reference Jacobian) and V Jc.
struct Equation7 {
  Tensor<Rational> jn, v_jc;
  bool holds = false;  // Jn == V Jc entry by entry, exactly
};
Equation7 check_equation7(const nn::Model<Rational>& model, const Tensor<Rational>& theta,
                          const NetworkPolynomial& polynomial, const Tensor<Rational>& x);

}  // namespace netdim::analysis
