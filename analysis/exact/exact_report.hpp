// The exact analyses laid out for people (text) and scripts (JSON values, with
// stable keys, documented in the README). Exact rationals go to JSON as strings
// ("8/3"), so nothing is rounded.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "netdim/analysis/exact/coefficients.hpp"
#include "netdim/analysis/exact/psd.hpp"
#include "netdim/analysis/exact/theorem21.hpp"

namespace netdim::analysis {

// {"psd", "parameters", "points", "rows", "exactness", "degree_theta", "arithmetic",
//  "prime", "parameter_set": {"low", "high", "size"}, "draws": [{"draw", "rank"}],
//  "reached", "probability_bound"}; probability_bound is null when it does not apply.
nlohmann::ordered_json psd_json(const PsdResult& r);
std::string psd_text(const PsdResult& r);

// {"parameters", "theta", "degree", "degree_bound", "polynomial", "coefficients",
//  "jacobian", "jacobian_rank", "equation7": {"points", "holds"}}.
struct CoefficientsReport {
  Tensor<Rational> theta;
  NetworkPolynomial polynomial;
  std::size_t jacobian_rank = 0;
  std::size_t check_points = 0;  // inputs of the equation 7 check (not the interpolation points)
  bool equation7 = false;
};
// The polynomial at theta, Jc's exact rank and equation 7 at deg + 2 inputs 1/2, 3/2, ...
CoefficientsReport coefficients_report(const nn::Architecture& architecture, const Tensor<Rational>& theta);
nlohmann::ordered_json coefficients_json(const CoefficientsReport& r);
std::string coefficients_text(const CoefficientsReport& r);

// {"degree", "max_depth", "holds", "rows": [{"depth", "parameters", "psd", "bound", "holds",
//  "probability_bound"}]}.
nlohmann::ordered_json theorem21_json(const std::vector<Theorem21Row>& rows, std::size_t degree);
std::string theorem21_text(const std::vector<Theorem21Row>& rows, std::size_t degree);

}  // namespace netdim::analysis
