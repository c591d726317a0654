#include "netdim/analysis/exact/theorem21.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace netdim::analysis {

nn::Architecture height_one_network(std::size_t depth, std::size_t degree) {
  if (degree != 2 && degree != 3)
    throw std::invalid_argument("theorem21: activation degree " + std::to_string(degree) +
                                " is not available; the polynomial activations are square (2) and cube (3)");
  nn::Architecture a;
  auto h = a.input(Shape{1});
  for (std::size_t l = 0; l < depth; ++l)
    h = a.activation(a.dense(h, 1), degree == 2 ? nn::Activation::Square : nn::Activation::Cube);
  a.dense(h, 1);
  return a;
}

std::vector<Theorem21Row> theorem21(std::size_t max_depth, std::size_t degree, const PsdOptions& options) {
  if (max_depth == 0) throw std::invalid_argument("theorem21: the maximum depth must be at least 1");
  // The deepest network is the largest: refuse before computing any row.
  const NetworkDegree deepest = network_degree(height_one_network(max_depth, degree));
  if (deepest.saturated || deepest.x > kMaxTheorem21Degree)
    throw std::invalid_argument("theorem21: depth " + std::to_string(max_depth) + " with degree " +
                                std::to_string(degree) + " gives a polynomial of degree " + std::to_string(degree) +
                                "^" + std::to_string(max_depth) + " in x, above the limit of " +
                                std::to_string(kMaxTheorem21Degree) +
                                " (deg + 1 inputs, each a reverse sweep over numbers of thousands of bits)");
  std::vector<Theorem21Row> rows;
  for (std::size_t l = 1; l <= max_depth; ++l) {
    const nn::Architecture a = height_one_network(l, degree);
    const NetworkDegree d = network_degree(a);
    PsdOptions o = options;
    o.parameters.reset();
    o.inputs.reset();
    o.points = std::max(a.parameter_count(), d.x + 1);
    const PsdResult r = psd(a, o);
    rows.push_back({l, r.parameters, r.psd, l + 2, r.probability_bound});
  }
  return rows;
}

}  // namespace netdim::analysis
