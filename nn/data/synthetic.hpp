// Synthetic data sets for measuring what a network can fit: random points for Jacobian ranks
// (seed 003's ESD samples inputs at random) and random-noise images with random labels (seed 003,
// section 5.1). Every draw takes an explicit seed: the same seed gives the same data.
#pragma once

#include <cstddef>
#include <cstdint>

#include "netdim/autodiff/scalar.hpp"
#include "netdim/nn/data/dataset.hpp"

namespace netdim::data {

// n points: inputs [n, input_dim] uniform in [-1, 1] with all rows distinct (repeated rows are
// redrawn), targets [n, output_dim] uniform in [-1, 1], no labels. Throws std::invalid_argument
// when n > 1 distinct rows are asked of input_dim 0.
template <FloatingScalar T>
Dataset<T> random_points(std::size_t n, std::size_t input_dim, std::size_t output_dim, std::uint64_t seed);

// n images: inputs [n, channels, height, width] with pixels uniform in [0, 1], labels uniform in
// [0, classes), no targets. Throws std::invalid_argument when classes < 1.
template <FloatingScalar T>
Dataset<T> random_noise_images(std::size_t n, std::size_t channels, std::size_t height, std::size_t width, int classes,
                               std::uint64_t seed);

extern template Dataset<float> random_points(std::size_t, std::size_t, std::size_t, std::uint64_t);
extern template Dataset<double> random_points(std::size_t, std::size_t, std::size_t, std::uint64_t);
extern template Dataset<float> random_noise_images(std::size_t, std::size_t, std::size_t, std::size_t, int,
                                                   std::uint64_t);
extern template Dataset<double> random_noise_images(std::size_t, std::size_t, std::size_t, std::size_t, int,
                                                    std::uint64_t);

}  // namespace netdim::data
