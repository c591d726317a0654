// A small classification set that a small net separates, for the trainer's tests
// and subspace training's: points in [-1, 1]^2 labelled by the side of the line
// x0 + x1 / 2 = 0 they fall on.
#pragma once

#include <cstdint>

#include "netdim/nn/data/synthetic.hpp"

namespace netdim::testing {

inline data::Dataset<double> two_classes(std::size_t n, std::uint64_t seed) {
  data::Dataset<double> set = data::random_points<double>(n, 2, 1, seed);
  set.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) set.labels[i] = set.inputs(i, 0) + 0.5 * set.inputs(i, 1) > 0 ? 1 : 0;
  set.targets = Tensor<double>(Shape{0});
  return set;
}

}  // namespace netdim::testing
