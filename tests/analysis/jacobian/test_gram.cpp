// The explicit Gram J J^T: against a general matrix product, exactly symmetric, and
// the effective rank it gives against the SVD of J on real network Jacobians.
#include <doctest/doctest.h>

#include <cmath>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

TEST_CASE("gram equals J J^T from a general product and is exactly symmetric") {
  const Tensor<double> j = uniform({7, 19}, -1, 1, 31);
  const Tensor<double> g = gram(j);
  CHECK(max_abs_diff(g, matmul(j, j, false, true)) < 1e-13);
  for (std::size_t r = 0; r < 7; ++r)
    for (std::size_t c = 0; c < 7; ++c) CHECK(g(r, c) == g(c, r));
  const Tensor<float> jf = uniform<float>({5, 9}, -1, 1, 32);
  CHECK(max_abs_diff(gram(jf), matmul(jf, jf, false, true)) < 1e-5);
  Tensor<Rational> jq = Tensor<Rational>::from_shape({3, 4});
  for (std::size_t i = 0; i < jq.size(); ++i) jq.flat(i) = Rational(static_cast<long>(i) - 5, 1 + static_cast<long>(i % 4));
  CHECK(gram(jq) == matmul(jq, jq, false, true));
  CHECK(gram(zeros_of<double>({3, 0})) == zeros_of<double>({3, 3}));
  CHECK_THROWS_WITH_AS(gram(zeros_of<double>({4})), doctest::Contains("expected a 2-D Jacobian"), ShapeError);
}

TEST_CASE("effective rank from the Gram equals effective rank from the SVD of J") {
  // Network Jacobians with fewer rows than parameters (the Gram's case) and more.
  const nn::Model<double> tanh_net(nn::mlp(2, {6, 6}, 1, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}), 41);
  const nn::Model<double> relu_net(nn::mlp(3, {5}, 2, {nn::Activation::Relu, nn::Shortcuts::None, nn::Adapt::Identity, true}), 42);
  struct Case {
    const nn::Model<double>* model;
    std::size_t n;
    OutputReduction reduce;
  };
  for (const Case& c : {Case{&tanh_net, 20, OutputReduction::first()}, Case{&relu_net, 12, OutputReduction::stack()},
                        Case{&relu_net, 15, OutputReduction::sum_squares()}}) {
    const Shape in = c.model->architecture().input_shape();
    const Tensor<double> x = uniform({c.n, in[0]}, -1, 1, 43 + c.n);
    const Tensor<double> j = reference_jacobian(*c.model, x, c.reduce);
    REQUIRE(j.shape()[0] < j.shape()[1]);
    const double from_svd = effective_rank(singular_values(j));
    const double from_gram = effective_rank(gram_singular_values(gram(j)));
    INFO(c.reduce.name() << ": " << from_svd << " vs " << from_gram);
    CHECK(from_svd > 1);
    CHECK(std::abs(from_svd - from_gram) < 1e-9);  // singular values near the Gram's cut-off: 2e-10 seen
  }
  // More rows than parameters: the Gram's extra eigenvalues are zeros within rounding
  // (cut off as zero), and small singular values lose relative accuracy through their squares.
  const nn::Model<double> small(nn::mlp(1, {2}, 1, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}), 44);
  const Tensor<double> j = reference_jacobian(small, uniform({30, 1}, -1, 1, 45), OutputReduction::first());
  REQUIRE(j.shape()[0] > j.shape()[1]);
  CHECK(std::abs(effective_rank(singular_values(j)) - effective_rank(gram_singular_values(gram(j)))) < 1e-8);
}

TEST_CASE("over Q the Gram has the rank of J: the x^2 network's 4") {
  nn::Architecture a;
  auto h = a.input(Shape{1});
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  h = a.activation(a.dense(h, 1), nn::Activation::Square);
  a.dense(h, 1);
  const nn::Model<Rational> model(a);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({6});
  const int values[] = {3, 2, 9, 4, 7, 6};  // (w1, b1, w2, b2, w3, b3)
  for (std::size_t i = 0; i < 6; ++i) theta(i) = Rational(values[i]);
  Tensor<Rational> x = Tensor<Rational>::from_shape({6, 1});
  const int inputs[] = {1, 3, 5, -1, -3, 4};
  for (std::size_t i = 0; i < 6; ++i) x(i, 0) = Rational(inputs[i]);
  const Tensor<Rational> j = reference_jacobian(model, theta, x, OutputReduction::first());
  CHECK(exact_rank(gram(j)) == 4);
}
