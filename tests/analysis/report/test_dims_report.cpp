// netdim dims' answers without a subprocess: the choice between the exact rank over Q, the
// rank mod p and no exact answer (analysis/exact/exact_answer), and the report's text and
// JSON (analysis/report/dims_report).
#include <doctest/doctest.h>

#include "netdim/analysis/exact/exact_answer.hpp"
#include "netdim/analysis/report/dims_report.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/square_network.hpp"

namespace netdim {

TEST_CASE("dims: exact over Q for a small polynomial network, mod p for a larger one, none past the limits") {
  // Seed 003's x^2 network: 6 parameters, PSD 4 (tests/analysis/test_psd.cpp, by hand from equation 2).
  const analysis::ExactAnswer small = analysis::exact_answer(testing::square_network(), 3, 0);
  REQUIRE(small.psd);
  CHECK(small.reason.empty());
  CHECK_FALSE(small.psd->modular);
  CHECK(small.psd->psd == 4);
  // Above kMaxExactParameters (256) but within kMaxModularParameters: the rank mod p.
  nn::Architecture wide;
  auto h = wide.input({8});
  h = wide.activation(wide.dense(h, 30), nn::Activation::Square);
  wide.dense(h, 1);
  REQUIRE(wide.parameter_count() > analysis::kMaxExactParameters);
  REQUIRE(wide.parameter_count() <= analysis::kMaxModularParameters);
  const analysis::ExactAnswer modular = analysis::exact_answer(wide, 1, 0);
  REQUIRE(modular.psd);
  CHECK(modular.psd->modular);
  // Not exact: the reason names the layer.
  nn::Architecture smooth;
  smooth.dense(smooth.activation(smooth.dense(smooth.input({2}), 3), nn::Activation::Tanh), 1);
  const analysis::ExactAnswer none = analysis::exact_answer(smooth, 3, 0);
  CHECK_FALSE(none.psd);
  CHECK(none.reason == "layer 'tanh1' (tanh) is not exact at rational points: no exact rank");
  // Past the modular limit: said with both numbers.
  nn::Architecture big;
  big.dense(big.activation(big.dense(big.input({64}), 64), nn::Activation::Square), 1);
  const analysis::ExactAnswer too_big = analysis::exact_answer(big, 1, 0);
  CHECK_FALSE(too_big.psd);
  CHECK(too_big.reason.find(std::to_string(big.parameter_count()) + " parameters are more than") == 0);
  // A stop before the first draw finished: no exact answer, and the reason says why.
  const analysis::ExactAnswer stopped = analysis::exact_answer(testing::square_network(), 3, 0, [] { return true; });
  CHECK_FALSE(stopped.psd);
  CHECK(stopped.interrupted);
  CHECK(stopped.reason == "interrupted before the first exact draw finished: no exact rank");
  CHECK_FALSE(small.interrupted);
  // A stop after the first draw: its rank is the answer, marked interrupted.
  int polls = 0;
  const analysis::ExactAnswer one = analysis::exact_answer(testing::square_network(), 3, 0, [&] { return ++polls > 1; });
  REQUIRE(one.psd);
  CHECK(one.psd->interrupted);
  CHECK(one.interrupted);
  CHECK(one.psd->ranks.size() == 1);
}

TEST_CASE("dims: the report's text and JSON carry the three answers") {
  const nn::Architecture a = testing::square_network();
  const analysis::ExactAnswer exact = analysis::exact_answer(a, 2, 0);
  analysis::EsdProtocol protocol;
  protocol.samples = 3;
  const analysis::EsdResult esd = analysis::expected_spanning_dimension(a, protocol);
  const std::string text = analysis::report::dims_text("eq1.net", a, exact, esd, protocol);
  CHECK(text.rfind("eq1.net: how many dimensions?\n  nominal   6\n", 0) == 0);
  CHECK(text.find("parameters (3 weights, 3 biases): the naive answer") != std::string::npos);
  CHECK(text.find("  PSD       4\n") != std::string::npos);
  CHECK(text.find("exact over Q,\n") != std::string::npos);
  CHECK(text.find("over 3 draws") != std::string::npos);
  const nlohmann::ordered_json j = analysis::report::dims_json("eq1.net", a, exact, esd, protocol);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"file", "nominal", "exact", "exact_reason", "esd"});
  CHECK(j.at("nominal") == 6);
  CHECK(j.at("exact").at("psd") == 4);
  CHECK(j.at("exact_reason").is_null());
  CHECK(j.at("esd").at("samples") == 3);
  const analysis::ExactAnswer none{std::nullopt, "why not"};
  const nlohmann::ordered_json k = analysis::report::dims_json("x.net", a, none, esd, protocol);
  CHECK(k.at("exact").is_null());
  CHECK(k.at("exact_reason") == "why not");
  CHECK(analysis::report::dims_text("x.net", a, none, esd, protocol).find("  exact     -\n            why not\n") !=
        std::string::npos);
}

}  // namespace netdim
