// The per-example Jacobian over Z/p (p = 2^61 - 1) from one batched sweep of the
// Modular tape: entry by entry the Rational Jacobian reduced mod p, on seed 003's
// x^2 network (examples/esd2020/eq1_square.net) and a 1-4-4-1 x^2 network, for every
// reduction; its modular_rank at the paper's point; the refusal of relu.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/jacobian/batched_jacobian.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/square_network.hpp"

using namespace netdim;
using namespace netdim::testing;
using namespace netdim::analysis;

namespace {

const std::vector<OutputReduction> kReductions{OutputReduction::first(), OutputReduction::sum_squares(),
                                               OutputReduction::stack()};

Tensor<Modular> mod_p(const Tensor<Rational>& t) {
  Tensor<Modular> r = Tensor<Modular>::from_shape(t.shape());
  for (std::size_t i = 0; i < t.size(); ++i) r.data()[i] = Modular(t.data()[i]);
  return r;
}

nn::Architecture load_example(const char* relative) {
  const dsl::LoadResult r = dsl::load_file(std::filesystem::path(NETDIM_EXAMPLES_DIR) / relative);
  REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  return *r.architecture;
}

// The Jacobian over Q at (theta, x), reduced mod p, against the one formed over Z/p.
void check_against_rational(const nn::Architecture& a, const Tensor<Rational>& theta, const Tensor<Rational>& x) {
  const nn::Model<Rational> q(a);
  const nn::Model<Modular> p(a);
  for (const OutputReduction& r : kReductions) {
    INFO(r.name());
    const Tensor<Rational> jq = reference_jacobian(q, theta, x, r);
    const Tensor<Modular> jp = batched_jacobian(p, mod_p(theta), mod_p(x), r);
    REQUIRE(shape_of(jp) == shape_of(jq));
    CHECK(jp == mod_p(jq));
    // The per-example reference over Z/p agrees too.
    CHECK(reference_jacobian(p, mod_p(theta), mod_p(x), r) == jp);
  }
}

}  // namespace

TEST_CASE("modular Jacobian: eq1_square.net at the paper's point is the Rational one mod p, rank 4") {
  const nn::Architecture a = load_example("esd2020/eq1_square.net");
  const Tensor<Rational> x = rational_column({1, 3, 5, -1, -3, 4});
  check_against_rational(a, seed003_parameters(), x);
  // Rationals too: the entries' denominators are powers of 2 and 3, invertible mod p.
  check_against_rational(a, rational_vector({Rational(3, 2), 2, Rational(-9, 4), 4, 7, Rational(6, 5)}),
                         rational_column({Rational(1, 3), 3, 5, -1, Rational(-3, 2), 4}));
  const nn::Model<Modular> p(a);
  const Tensor<Modular> j = batched_jacobian(p, mod_p(seed003_parameters()), mod_p(x), OutputReduction::first());
  CHECK(modular_rank(j) == 4);
  CHECK(modular_rank(j) == exact_rank(reference_jacobian(nn::Model<Rational>(a), seed003_parameters(), x,
                                                         OutputReduction::first())));
}

TEST_CASE("modular Jacobian: a 1-4-4-1 x^2 network, large integers, is the Rational one mod p") {
  nn::MlpOptions square{};
  square.activation = nn::Activation::Square;
  const nn::Architecture a = nn::mlp(1, {4, 4}, 1, square);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({a.parameter_count()});
  for (std::size_t i = 0; i < theta.size(); ++i) theta(i) = Rational(static_cast<long>(i * 7919 % 2001) - 1000);
  // Parameters near 10^3 and inputs near 10^4 make entries far beyond 2^64: the reduction is exercised.
  const Tensor<Rational> x = rational_column({-9973, -5, 2, 17, 10007, 123});
  check_against_rational(a, theta, x);
}

TEST_CASE("modular Jacobian: relu and max pooling are refused, there is no order mod p") {
  const nn::Model<Modular> p(nn::mlp(1, {3}, 1));  // relu
  CHECK_THROWS_WITH_AS(batched_jacobian(p, mod_p(rational_column({1, 2})), OutputReduction::first()),
                       doctest::Contains("relu compares with zero"), std::invalid_argument);
  // A conv net with max pooling and no relu: the pooling layer is the one refused.
  nn::Architecture a;
  nn::Conv2dOptions conv;
  conv.window.kernel = {2, 2};
  nn::Window2d pool;
  pool.kernel = pool.stride = {2, 2};
  a.dense(a.flatten(a.max_pool2d(a.conv2d(a.input(Shape{1, 5, 5}), conv), pool)), 1);
  const nn::Model<Modular> cnn(a);
  CHECK_THROWS_WITH_AS(batched_jacobian(cnn, zeros_of<Modular>({2, 1, 5, 5}), OutputReduction::first()),
                       doctest::Contains("max pooling compares"), std::invalid_argument);
}
