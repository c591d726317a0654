// The text and JSON of the exact analyses: the keys scripts rely on, exact values as
// strings, and the lines people read, on seed 003's x^2 network.
#include <doctest/doctest.h>

#include <string>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/square_network.hpp"

using namespace netdim;
using namespace netdim::testing;
using namespace netdim::analysis;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("exact report: psd as JSON and text") {
  PsdOptions o;
  o.draws = 3;
  const PsdResult r = psd(square_network(), o);
  const nlohmann::ordered_json j = psd_json(r);
  CHECK(j["psd"] == 4);
  CHECK(j["parameters"] == 6);
  CHECK(j["points"] == 6);
  REQUIRE(j["draws"].size() == 3);
  CHECK(j["draws"][2]["rank"] == 4);
  CHECK(j["reached"].size() == 3);
  CHECK(j["arithmetic"] == "rational");
  CHECK(j["prime"].is_null());
  CHECK(j["parameter_set"]["size"] == 2000);
  CHECK(j["probability_bound"].get<double>() == doctest::Approx(0.015 * 0.015 * 0.015));
  const std::string t = psd_text(r);
  CHECK(contains(t, "polynomial spanning dimension: 4 of 6 parameters"));
  CHECK(contains(t, "ranks 4 4 4; 3 reached 4"));
  CHECK(contains(t, "P(generic rank > 4) <= 3.37e-06"));

  CHECK(contains(t, "exactly over Q"));
  CHECK(j["jacobian_arithmetic"] == "rational");

  o.modular = true;
  const PsdResult mr = psd(square_network(), o);
  const nlohmann::ordered_json m = psd_json(mr);
  CHECK(m["arithmetic"] == "modular");
  CHECK(m["prime"] == kPsdPrime);
  CHECK(m["jacobian_arithmetic"] == "modular");
  CHECK(contains(psd_text(mr), "mod p = 2305843009213693951 (each a certified lower bound of the rank over Q)"));
  CHECK(contains(psd_text(mr), "Jn formed over Z/p"));
  CHECK_FALSE(contains(psd_text(mr), "note:"));
  o.prime = 1000000007;
  CHECK(contains(psd_text(psd(square_network(), o)), "note: Jn formed over Q and then reduced (the fast Z/p"));
  o.prime = kPsdPrime;
  const PsdResult mrelu = psd(nn::mlp(1, {2}, 1), o);
  CHECK(psd_json(mrelu)["jacobian_arithmetic"] == "rational");
  CHECK(contains(psd_text(mrelu), "note: Jn formed over Q and then reduced: layer 'relu1' (relu) compares"));

  o = {};
  o.parameters = random_integer_point(4, 5, 1);
  const PsdResult relu = psd(nn::mlp(1, {1}, 1), o);
  CHECK(psd_json(relu)["probability_bound"].is_null());
  CHECK(psd_json(relu)["parameter_set"].is_null());
  CHECK(contains(psd_text(relu), "makes the network piecewise"));
  CHECK(contains(psd_text(relu), "(at the given parameters)"));
}

TEST_CASE("exact report: coefficients and theorem21") {
  Tensor<Rational> theta = Tensor<Rational>::from_shape({6});
  const int values[] = {3, 2, 9, 4, 7, 6};
  for (std::size_t i = 0; i < 6; ++i) theta(i) = Rational(values[i]);
  const CoefficientsReport c = coefficients_report(square_network(), theta);
  CHECK(c.jacobian_rank == 4);
  CHECK(c.equation7);
  CHECK(c.check_points == 6);
  const nlohmann::ordered_json j = coefficients_json(c);
  CHECK(j["polynomial"] == "45927 x^4 + 122472 x^3 + 127008 x^2 + 60480 x + 11206");
  CHECK(j["coefficients"][0] == "11206");
  CHECK(j["jacobian"][0][1] == "20160");
  CHECK(j["jacobian_rank"] == 4);
  CHECK(j["equation7"]["holds"] == true);
  const std::string t = coefficients_text(c);
  CHECK(contains(t, "N(x) = 45927 x^4"));
  CHECK(contains(t, "rank 4 of 6 parameters"));
  CHECK(contains(t, "Jn = V Jc at 6 other inputs: holds"));

  const std::vector<Theorem21Row> rows = theorem21(3, 2);
  const nlohmann::ordered_json r = theorem21_json(rows, 2);
  CHECK(r["holds"] == true);
  REQUIRE(r["rows"].size() == 3);
  CHECK(r["rows"][1]["depth"] == 2);
  CHECK(r["rows"][1]["psd"] == 4);
  CHECK(r["rows"][1]["bound"] == 4);
  CHECK(contains(theorem21_text(rows, 2), "have PSD <= l + 2"));
}

TEST_CASE("random_integer_point draws nonzero integers within the bound, reproducibly") {
  const Tensor<Rational> a = random_integer_point(200, 3, 7), b = random_integer_point(200, 3, 7);
  CHECK(a == b);
  bool seen_negative = false, seen_positive = false;
  for (const Rational& v : a) {
    CHECK(v.is_integer());
    CHECK(v != Rational(0));
    CHECK(abs(v) <= Rational(3));
    seen_negative = seen_negative || v.sign() < 0;
    seen_positive = seen_positive || v.sign() > 0;
  }
  CHECK(seen_negative);
  CHECK(seen_positive);
  CHECK_THROWS_AS(random_integer_point(3, 0, 1), std::invalid_argument);
}
