// Seed 003's Theorem 2.1, checked: a one-input, one-output network of height 1 (one
// unit per hidden layer) with l hidden layers of polynomial activation has PSD <= l + 2.
//
// For each depth l = 1..L the network is input -> (dense(1) -> activation) x l ->
// dense(1), with 2(l + 1) parameters, and its PSD comes from psd() (psd.hpp) at
// n = max(m, deg_x + 1) distinct inputs, so Jn has the rank of the coefficient
// Jacobian (equation 7 with V of full column rank) and the PSD is Definition 1's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "netdim/analysis/exact/psd.hpp"

namespace netdim::analysis {

struct Theorem21Row {
  std::size_t depth = 0;       // l, the hidden layers
  std::size_t parameters = 0;  // 2(l + 1)
  std::size_t psd = 0;
  std::size_t bound = 0;       // l + 2
  std::optional<double> probability_bound;  // P(generic rank > psd), from psd()
  bool holds() const { return psd <= bound; }
};

// The height-1 network of `depth` hidden layers of x^degree.
nn::Architecture height_one_network(std::size_t depth, std::size_t degree);

// Rows for l = 1..max_depth with activations of degree 2 (square) or 3 (cube).
// Throws std::invalid_argument for another degree, max_depth 0, or a depth whose
// degree in x exceeds kMaxTheorem21Degree. `options` gives draws, seed and bounds.
std::vector<Theorem21Row> theorem21(std::size_t max_depth, std::size_t degree, const PsdOptions& options = {});

// K^l + 1 inputs are evaluated per draw, on numbers of thousands of bits: 2^8 takes
// seconds, 3^6 = 729 minutes. So the degree in x is limited to 2^8.
inline constexpr std::size_t kMaxTheorem21Degree = 256;

}  // namespace netdim::analysis
