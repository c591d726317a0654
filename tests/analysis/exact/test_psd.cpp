// The polynomial spanning dimension: seed 003's x^2 network (PSD 4), networks whose
// rank is known by hand (an affine network, a relu unit at fixed points), the
// modular rank against the exact rank on random polynomial networks, the
// Schwartz-Zippel bound, and the refusals.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/analysis/exact/psd.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/square_network.hpp"

using namespace netdim;
using namespace netdim::testing;
using namespace netdim::analysis;

TEST_CASE("psd: seed 003's x^2 network has PSD 4 at every draw, with its Schwartz-Zippel bound") {
  const PsdResult r = psd(square_network());
  CHECK(r.psd == 4);
  CHECK(r.parameters == 6);
  CHECK(r.points == 6);
  CHECK(r.rows == 6);
  CHECK(r.ranks == std::vector<std::size_t>{4, 4, 4, 4, 4});
  CHECK(r.reached == std::vector<std::size_t>{0, 1, 2, 3, 4});
  // N has degree 7 in theta (w1^4 w2^2 w3), so Jn's entries have degree <= 6 and a 5 x 5
  // minor degree <= 30; |S| = 2000: (30 / 2000)^5.
  CHECK(r.degree.exactness == Exactness::Polynomial);
  CHECK(r.degree.theta == 7);
  CHECK(r.degree.x == 4);
  CHECK(r.minor_degree_per_row == 6);
  CHECK(r.set_size == 2000);
  REQUIRE(r.probability_bound.has_value());
  CHECK(*r.probability_bound == doctest::Approx(7.59375e-10).epsilon(1e-9));

  // The paper's point (w = (3, 9, 7), b = (2, 4, 6)) and inputs: one draw, rank 4, no probability.
  PsdOptions at;
  at.parameters = rational_vector({3, 2, 9, 4, 7, 6});
  at.inputs = rational_column({1, 3, 5, -1, -3, 4});
  const PsdResult fixed = psd(square_network(), at);
  CHECK(fixed.ranks == std::vector<std::size_t>{4});
  CHECK_FALSE(fixed.probability_bound.has_value());
  // A degenerate point: w2 = 0 leaves only b2 and b3 (dN/dw3 = b2^2, dN/db3 = 1): rank 2.
  at.parameters = rational_vector({3, 2, 0, 4, 7, 6});
  CHECK(psd(square_network(), at).psd == 2);
}

TEST_CASE("psd: an affine network spans the affine functions of its inputs") {
  // 2 -> 3 -> 1 without activation: N = W2 (W1 x + b1) + b2 is an affine function of
  // x in R^2, so the span has dimension 3 whatever the 13 parameters.
  nn::Architecture a;
  a.dense(a.dense(a.input(Shape{2}), 3), 1);
  const PsdResult r = psd(a);
  CHECK(r.parameters == 13);
  CHECK(r.psd == 3);
  CHECK(r.degree.theta == 2);
  // Degree 2 in theta: entries of degree 1, a 4 x 4 minor of degree 4, (4 / 2000)^5.
  CHECK(*r.probability_bound == doctest::Approx(3.2e-14).epsilon(1e-9));
}

TEST_CASE("psd: relu networks are exact at rational points, as a distribution without probability") {
  // N = w2 relu(w1 x + b1) + b2 at w1 = 1, b1 = 0, w2 = 1, b2 = 0. Active rows are
  // (x, 1, x, 1), inactive ones (0, 0, 0, 1): all inputs positive gives rank 2, a mix 3.
  nn::Architecture a;
  a.dense(a.activation(a.dense(a.input(Shape{1}), 1), nn::Activation::Relu), 1);
  PsdOptions at;
  at.parameters = rational_vector({1, 0, 1, 0});
  at.inputs = rational_column({1, 2, 3, 4});
  CHECK(psd(a, at).psd == 2);
  at.inputs = rational_column({-2, -1, 1, 2});
  CHECK(psd(a, at).psd == 3);

  PsdOptions draws;
  draws.draws = 8;
  const PsdResult r = psd(nn::mlp(1, {4}, 1), draws);
  CHECK(r.degree.exactness == Exactness::PiecewisePolynomial);
  CHECK(r.ranks.size() == 8);
  CHECK_FALSE(r.probability_bound.has_value());
  for (std::size_t rank : r.ranks) CHECK(rank <= r.parameters);
  CHECK(r.psd >= 2);
}

TEST_CASE("psd: relu6 is piecewise linear, with zero derivative above 6 as below 0") {
  // N = w2 relu6(w1 x + b1) + b2 at w1 = 1, b1 = 0, w2 = 1, b2 = 0: rows (x, 1, x, 1) for
  // 0 < x < 6, (0, 0, 0, 1) for x <= 0, and (0, 0, 6, 1) for x >= 6.
  nn::Architecture a;
  a.dense(a.activation(a.dense(a.input(Shape{1}), 1), nn::Activation::Relu6), 1);
  CHECK(network_degree(a).exactness == Exactness::PiecewisePolynomial);
  PsdOptions at;
  at.parameters = rational_vector({1, 0, 1, 0});
  at.inputs = rational_column({7, 8, 9, 10});
  CHECK(psd(a, at).psd == 1);
  at.inputs = rational_column({1, 2, 3, 4});
  CHECK(psd(a, at).psd == 2);
  at.inputs = rational_column({-1, 1, 2, 7});
  CHECK(psd(a, at).psd == 4);
}

TEST_CASE("network degree: dropout, chunk, channel shuffle and (adaptive, ceil-mode) average pooling keep degrees") {
  nn::Architecture a;
  nn::Conv2dOptions c;
  c.out_channels = 4;
  c.window.kernel = {3, 3};
  auto h = a.activation(a.conv2d(a.input(Shape{2, 7, 7}), c), nn::Activation::Square);  // theta 2, x 2
  h = a.avg_pool2d(h, nn::Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}}, "", true);
  h = a.channel_shuffle(a.adaptive_avg_pool2d(h, {2, 2}), 2);
  h = a.concat({a.chunk(h, 2, 1), a.chunk(h, 2, 0)});
  a.dense(a.dropout(a.flatten(h)), 1);
  const NetworkDegree d = network_degree(a);
  CHECK(d.exactness == Exactness::Polynomial);
  CHECK(d.theta == 3);
  CHECK(d.x == 2);
  nn::Architecture m;
  m.max_pool2d(m.input(Shape{1, 5, 5}), nn::Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}}, "", true);
  CHECK(network_degree(m).exactness == Exactness::PiecewisePolynomial);
}

TEST_CASE("psd --modular: the rank mod p equals the exact rank on polynomial networks") {
  PsdOptions exact, modular;
  modular.modular = true;
  const PsdResult e0 = psd(square_network(), exact), m0 = psd(square_network(), modular);
  CHECK(m0.ranks == e0.ranks);
  CHECK(m0.modular);
  CHECK(m0.prime == kPsdPrime);
  nn::MlpOptions square{};
  square.activation = nn::Activation::Square;
  nn::MlpOptions cube{};
  cube.activation = nn::Activation::Cube;
  const std::vector<nn::Architecture> nets{nn::mlp(1, {3, 2}, 1, square), nn::mlp(2, {3}, 1, cube),
                                           nn::mlp(2, {2, 2}, 1, square)};
  for (std::uint64_t seed = 1; seed <= 3; ++seed)
    for (const nn::Architecture& a : nets) {
      exact.seed = modular.seed = seed;
      exact.draws = modular.draws = 2;
      const PsdResult e = psd(a, exact), m = psd(a, modular);
      CHECK(m.ranks == e.ranks);
      CHECK(e.psd < e.parameters);  // these small networks are all rank-deficient
    }
}

TEST_CASE("psd --modular forms Jn over Z/p for polynomial networks and equals the exact rank") {
  PsdOptions modular;
  modular.modular = true;
  const PsdResult m = psd(square_network(), modular);
  CHECK(m.jacobian_mod_p);
  CHECK(m.ranks == std::vector<std::size_t>{4, 4, 4, 4, 4});
  CHECK(*m.probability_bound == doctest::Approx(7.59375e-10).epsilon(1e-9));
  // The paper's point (w = (3, 9, 7), b = (2, 4, 6)) and inputs, as in the exact case.
  modular.parameters = seed003_parameters();
  modular.inputs = rational_column({1, 3, 5, -1, -3, 4});
  CHECK(psd(square_network(), modular).ranks == std::vector<std::size_t>{4});
  modular.parameters = rational_vector({3, 2, 0, 4, 7, 6});
  CHECK(psd(square_network(), modular).psd == 2);
  // Another prime: Modular is mod 2^61 - 1 only, so Jn is formed over Q and reduced.
  modular = {};
  modular.modular = true;
  modular.prime = 1000000007;
  const PsdResult other = psd(square_network(), modular);
  CHECK_FALSE(other.jacobian_mod_p);
  CHECK(other.prime == 1000000007);
  CHECK(other.ranks == std::vector<std::size_t>{4, 4, 4, 4, 4});
  // The sum_squares and stack reductions too.
  nn::MlpOptions square{};
  square.activation = nn::Activation::Square;
  const nn::Architecture two_out = nn::mlp(2, {3}, 2, square);
  for (const OutputReduction& r : {OutputReduction::sum_squares(), OutputReduction::stack()}) {
    PsdOptions e, p;
    e.reduce = p.reduce = r;
    e.draws = p.draws = 2;
    p.modular = true;
    CHECK(psd(two_out, p).ranks == psd(two_out, e).ranks);
  }
}

TEST_CASE("psd --modular on a piecewise-linear network forms Jn over Q and reduces it") {
  PsdOptions exact, modular;
  exact.draws = modular.draws = 4;
  modular.modular = true;
  const PsdResult e = psd(nn::mlp(1, {4}, 1), exact), m = psd(nn::mlp(1, {4}, 1), modular);
  CHECK_FALSE(m.jacobian_mod_p);
  CHECK(m.modular);
  CHECK(m.ranks == e.ranks);
}

TEST_CASE("psd --modular of issue 13's 2-30-30-1 x^2 network is 15, the monomials of degree <= 4") {
  const dsl::LoadResult net =
      dsl::load_file(std::filesystem::path(NETDIM_EXAMPLES_DIR) / "exact/square_2_30_30_1.net");
  REQUIRE(net.ok());
  PsdOptions modular;
  modular.modular = true;
  const PsdResult r = psd(*net.architecture, modular);
  CHECK(r.parameters == 1051);
  CHECK(r.jacobian_mod_p);
  CHECK(r.ranks == std::vector<std::size_t>{15, 15, 15, 15, 15});
  CHECK(r.psd == 15);
}

TEST_CASE("psd: Schwartz-Zippel bound") {
  CHECK(schwartz_zippel_bound(4, 6, 6, 6, 2000, 1) == doctest::Approx(0.015));
  CHECK(schwartz_zippel_bound(4, 6, 6, 6, 2000, 2) == doctest::Approx(0.000225));
  CHECK(schwartz_zippel_bound(6, 6, 6, 6, 2000, 1) == 0.0);  // full rank cannot be exceeded
  CHECK(schwartz_zippel_bound(3, 6, 6, 0, 2000, 1) == 0.0);  // constant Jacobian: rank everywhere the same
  CHECK(schwartz_zippel_bound(4, 6, 6, 6, 20, 3) == 1.0);    // the set is too small to say anything
}

TEST_CASE("psd refuses what it cannot compute exactly") {
  nn::MlpOptions tanh{};
  tanh.activation = nn::Activation::Tanh;
  CHECK_THROWS_WITH_AS(psd(nn::mlp(1, {3}, 1, tanh)), doctest::Contains("use `netdim esd`"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(psd(nn::mlp(1, {3}, 1, tanh)), doctest::Contains("(tanh)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(psd(nn::mlp(1, {300}, 1)), doctest::Contains("901 parameters, above the limit of 256"),
                       std::invalid_argument);
  PsdOptions o;
  o.modular = true;
  CHECK_THROWS_WITH_AS(psd(nn::mlp(1, {1400}, 1), o), doctest::Contains("limit of 4096 for --modular"),
                       std::invalid_argument);
  o = {};
  o.draws = 0;
  CHECK_THROWS_WITH_AS(psd(square_network(), o), doctest::Contains("at least 1"), std::invalid_argument);
  o = {};
  o.points = 5;
  CHECK_THROWS_WITH_AS(psd(square_network(), o), doctest::Contains("5 points for 6 parameters"), std::invalid_argument);
  o = {};
  o.inputs = rational_column({1, 2, 3, 4, 2, 5});
  CHECK_THROWS_WITH_AS(psd(square_network(), o), doctest::Contains("input 4 repeats"), std::invalid_argument);
  o.inputs = Tensor<Rational>::from_shape({6, 2});
  CHECK_THROWS_AS(psd(square_network(), o), ShapeError);
  o = {};
  o.parameters = rational_vector({1, 2, 3});
  CHECK_THROWS_AS(psd(square_network(), o), ShapeError);
  o = {};
  o.parameter_bound = 0;
  CHECK_THROWS_AS(psd(square_network(), o), std::invalid_argument);
  nn::Architecture empty;
  empty.activation(empty.input(Shape{1}), nn::Activation::Square);
  CHECK_THROWS_WITH_AS(psd(empty), doctest::Contains("no parameters"), std::invalid_argument);
}

TEST_CASE("psd: a stop during the first draw ends it between pieces of Jn; the pieces give the whole Jn's ranks") {
  // 1-8-8-1 relu: 97 parameters, so n = 97 points: Jn in 4 pieces of at most 32 examples.
  nn::Architecture a;
  auto h = a.activation(a.dense(a.input(Shape{1}), 8), nn::Activation::Relu);
  a.dense(a.activation(a.dense(h, 8), nn::Activation::Relu), 1);
  REQUIRE(a.parameter_count() == 97);
  analysis::PsdOptions whole;
  whole.draws = 3;
  const analysis::PsdResult reference = analysis::psd(a, whole);
  // With a stop callback that never fires, Jn is formed piece by piece: the same ranks.
  analysis::PsdOptions pieces = whole;
  int polls = 0;
  pieces.stop_requested = [&] { return ++polls < 0; };
  const analysis::PsdResult pieced = analysis::psd(a, pieces);
  CHECK(pieced.ranks == reference.ranks);
  CHECK_FALSE(pieced.interrupted);
  CHECK(polls == 3 * (1 + 4));  // before each draw, and before each of its 4 pieces
  // A stop at the third poll: inside the first draw, which leaves no rank.
  analysis::PsdOptions stopped = whole;
  polls = 0;
  stopped.stop_requested = [&] { return ++polls >= 3; };
  const analysis::PsdResult none = analysis::psd(a, stopped);
  CHECK(none.interrupted);
  CHECK(none.ranks.empty());
  CHECK(none.psd == 0);
  CHECK(analysis::psd_text(none).rfind("interrupted before the first draw finished: no rank", 0) == 0);
  // A stop in the second draw keeps the first's rank.
  polls = 0;
  stopped.stop_requested = [&] { return ++polls >= 7; };
  const analysis::PsdResult first = analysis::psd(a, stopped);
  CHECK(first.interrupted);
  CHECK(first.ranks == std::vector<std::size_t>{reference.ranks[0]});
}
