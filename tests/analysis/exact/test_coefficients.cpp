// The network's polynomial and its coefficient Jacobian: seed 003's x^2 network at
// w = (3, 9, 7), b = (2, 4, 6) against equation 2 expanded by hand, rank Jc = 4,
// equation 7 (Jn = V Jc), the polynomial's text, and the refusals.
#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "netdim/analysis/exact/coefficients.hpp"
#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/square_network.hpp"

using namespace netdim;
using namespace netdim::testing;
using namespace netdim::analysis;

TEST_CASE("coefficients of seed 003's x^2 network at w = (3, 9, 7), b = (2, 4, 6)") {
  const nn::Model<Rational> model(square_network());
  const NetworkPolynomial p = network_polynomial(model, seed003_parameters());
  CHECK(p.degree_bound == 4);
  CHECK(p.degree == 4);
  REQUIRE(p.coefficients.size() == 5);
  // Equation 2 by hand:
  //   c4 = w1^4 w2^2 w3                        = 81 * 81 * 7               = 45927
  //   c3 = 4 b1 w1^3 w2^2 w3                   = 4 * 2 * 27 * 81 * 7       = 122472
  //   c2 = 6 b1^2 w1^2 w2^2 w3 + 2 b2 w1^2 w2 w3 = 122472 + 4536           = 127008
  //   c1 = 4 b1^3 w1 w2^2 w3 + 4 b1 b2 w1 w2 w3  = 54432 + 6048            = 60480
  //   c0 = b1^4 w2^2 w3 + 2 b1^2 b2 w2 w3 + b2^2 w3 + b3 = 9072 + 2016 + 112 + 6 = 11206
  // (their sum 367093 is N(1) = 7 * 229^2 + 6).
  const int c[] = {11206, 60480, 127008, 122472, 45927};
  for (std::size_t j = 0; j < 5; ++j) CHECK(p.coefficients(j) == Rational(c[j]));
  CHECK(polynomial_string(p.coefficients) == "45927 x^4 + 122472 x^3 + 127008 x^2 + 60480 x + 11206");

  // Jc by hand, rows c0 and c4 and two entries of c3:
  //   dc4 = (4 w1^3 w2^2 w3, 0, 2 w1^4 w2 w3, 0, w1^4 w2^2, 0) = (61236, 0, 10206, 0, 6561, 0)
  //   dc0 = (0, 4 b1^3 w2^2 w3 + 4 b1 b2 w2 w3, 2 b1^4 w2 w3 + 2 b1^2 b2 w3, 2 b1^2 w2 w3 + 2 b2 w3,
  //          b1^4 w2^2 + 2 b1^2 b2 w2 + b2^2, 1) = (0, 20160, 2240, 560, 1600, 1)
  //   dc3/dw1 = 12 b1 w1^2 w2^2 w3 = 122472, dc3/db1 = 4 w1^3 w2^2 w3 = 61236
  REQUIRE(p.jacobian.shape()[0] == 5);
  REQUIRE(p.jacobian.shape()[1] == 6);
  const int dc4[] = {61236, 0, 10206, 0, 6561, 0};
  const int dc0[] = {0, 20160, 2240, 560, 1600, 1};
  for (std::size_t l = 0; l < 6; ++l) {
    CHECK(p.jacobian(4, l) == Rational(dc4[l]));
    CHECK(p.jacobian(0, l) == Rational(dc0[l]));
  }
  CHECK(p.jacobian(3, 0) == Rational(122472));
  CHECK(p.jacobian(3, 1) == Rational(61236));
  // The seed's result: Jc has rank 4 (sections 2.1 and 3.1).
  CHECK(exact_rank(p.jacobian) == 4);

  // Equation 7 at the seed's six inputs and at fractions: Jn = V Jc exactly, rank 4 both.
  for (const std::vector<Rational>& xs : {std::vector<Rational>{1, 3, 5, -1, -3, 4},
                                          std::vector<Rational>{Rational(1, 2), Rational(-2, 3), 7, 11, -5, 0}}) {
    Tensor<Rational> x = Tensor<Rational>::from_shape({xs.size(), 1});
    for (std::size_t i = 0; i < xs.size(); ++i) x(i, 0) = xs[i];
    const Equation7 e = check_equation7(model, seed003_parameters(), p, x);
    CHECK(e.holds);
    CHECK(exact_rank(e.jn) == 4);
  }
  // The check can fail: a Jc that is off in one entry breaks it.
  NetworkPolynomial wrong = p;
  wrong.jacobian(2, 2) += Rational(1);
  Tensor<Rational> x = Tensor<Rational>::from_shape({6, 1});
  for (std::size_t i = 0; i < 6; ++i) x(i, 0) = Rational(static_cast<long>(i) + 1);
  CHECK_FALSE(check_equation7(model, seed003_parameters(), wrong, x).holds);
}

TEST_CASE("coefficients: lower degrees than the bound, and cubes") {
  // w2 = 0 in the x^2 network: N = w3 b2^2 + b3 = 7 * 16 + 6 = 118, a constant.
  const nn::Model<Rational> model(square_network());
  const NetworkPolynomial p = network_polynomial(model, rational_vector({3, 2, 0, 4, 7, 6}));
  CHECK(p.degree_bound == 4);
  CHECK(p.degree == 0);
  CHECK(polynomial_string(p.coefficients) == "118");
  // N = w2 (w1 x + b1)^3 + b2 at w1 = 1/2, b1 = -1, w2 = 8, b2 = 3:
  //   8 (x/2 - 1)^3 + 3 = x^3 - 6 x^2 + 12 x - 8 + 3.
  nn::Architecture a;
  a.dense(a.activation(a.dense(a.input(Shape{1}), 1), nn::Activation::Cube), 1);
  const NetworkPolynomial q = network_polynomial(nn::Model<Rational>(a), rational_vector({Rational(1, 2), -1, 8, 3}));
  CHECK(polynomial_string(q.coefficients) == "x^3 - 6 x^2 + 12 x - 5");
  // Jc of a(x - r)^3 + c shapes: 3 free directions out of 4 parameters.
  CHECK(exact_rank(q.jacobian) == 3);
}

TEST_CASE("polynomial_string and vandermonde") {
  CHECK(polynomial_string(rational_vector({2, -1, 0, 0, Rational(8, 3)})) == "8/3 x^4 - x + 2");
  CHECK(polynomial_string(rational_vector({-1, 0, -1})) == "-x^2 - 1");
  CHECK(polynomial_string(rational_vector({0, Rational(-5, 2)})) == "-5/2 x");
  CHECK(polynomial_string(rational_vector({0, 0})) == "0");
  CHECK(polynomial_string(rational_vector({0, 1})) == "x");
  const Tensor<Rational> v = vandermonde(rational_vector({2, Rational(-1, 3)}), 3);
  CHECK(v(0, 0) == Rational(1));
  CHECK(v(0, 2) == Rational(4));
  CHECK(v(1, 1) == Rational(-1, 3));
  CHECK(v(1, 2) == Rational(1, 9));
}

TEST_CASE("coefficients refuses networks that are not one polynomial in one variable") {
  nn::MlpOptions tanh{};
  tanh.activation = nn::Activation::Tanh;
  const nn::Model<Rational> t(nn::mlp(1, {2}, 1, tanh));
  CHECK_THROWS_WITH_AS(network_polynomial(t, t.parameters()), doctest::Contains("netdim esd"), std::invalid_argument);
  const nn::Model<Rational> relu(nn::mlp(1, {2}, 1));
  CHECK_THROWS_WITH_AS(network_polynomial(relu, relu.parameters()), doctest::Contains("piecewise"),
                       std::invalid_argument);
  nn::MlpOptions square{};
  square.activation = nn::Activation::Square;
  const nn::Model<Rational> two(nn::mlp(2, {2}, 1, square));
  CHECK_THROWS_WITH_AS(network_polynomial(two, two.parameters()), doctest::Contains("one input and one output"),
                       std::invalid_argument);
  const nn::Model<Rational> deep(nn::mlp(1, {1, 1, 1, 1, 1, 1, 1, 1, 1}, 1, square));  // degree 2^9 = 512
  CHECK_THROWS_WITH_AS(network_polynomial(deep, deep.parameters()), doctest::Contains("degree 512 in x"),
                       std::invalid_argument);
  const nn::Model<Rational> sq(square_network());
  CHECK_THROWS_AS(network_polynomial(sq, rational_vector({1, 2})), ShapeError);
}
