#include "netdim/nn/data/synthetic.hpp"

#include <algorithm>
#include <numeric>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace netdim::data {

namespace {

// The standard fixes mt19937_64's output but not the algorithms of its distributions, so values
// are built from the raw 64-bit output: the same seed gives the same data with any standard library.

// Uniform in [0, 1) from the top 53 bits.
double unit(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

// Uniform in [0, bound) without modulo bias: reject the 2^64 mod bound lowest outputs.
std::uint64_t below(std::mt19937_64& rng, std::uint64_t bound) {
  const std::uint64_t threshold = (0 - bound) % bound;
  for (;;) {
    const std::uint64_t x = rng();
    if (x >= threshold) return x % bound;
  }
}

template <class T>
void fill_symmetric(T* out, std::size_t count, std::mt19937_64& rng) {
  for (std::size_t i = 0; i < count; ++i) out[i] = static_cast<T>(2 * unit(rng) - 1);
}

// Indices of rows equal to an earlier row. Ties in the sort are broken by index, so the answer,
// and therefore the redraws, do not depend on the sort algorithm.
template <class T>
std::vector<std::size_t> repeated_rows(const T* x, std::size_t n, std::size_t dim) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t(0));
  const auto row = [&](std::size_t i) { return x + i * dim; };
  const auto less = [&](std::size_t a, std::size_t b) {
    return std::lexicographical_compare(row(a), row(a) + dim, row(b), row(b) + dim);
  };
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (less(a, b)) return true;
    if (less(b, a)) return false;
    return a < b;
  });
  std::vector<std::size_t> repeated;
  for (std::size_t k = 1; k < n; ++k)
    if (std::equal(row(order[k]), row(order[k]) + dim, row(order[k - 1]))) repeated.push_back(order[k]);
  std::sort(repeated.begin(), repeated.end());
  return repeated;
}

}  // namespace

template <FloatingScalar T>
Dataset<T> random_points(std::size_t n, std::size_t input_dim, std::size_t output_dim, std::uint64_t seed) {
  if (input_dim == 0 && n > 1)
    throw std::invalid_argument("random_points: " + std::to_string(n) + " distinct points need input_dim >= 1");
  std::mt19937_64 rng(seed);
  Dataset<T> d;
  d.inputs = Tensor<T>::from_shape(Shape{n, input_dim});
  d.targets = Tensor<T>::from_shape(Shape{n, output_dim});
  fill_symmetric(d.inputs.data(), d.inputs.size(), rng);
  fill_symmetric(d.targets.data(), d.targets.size(), rng);

  // Equal rows would make equal Jacobian rows and understate ranks. With 53 random bits per
  // coordinate they are rare (float rounding makes them less rare), so a few rounds suffice.
  constexpr int kMaxRounds = 64;
  for (int round = 0;; ++round) {
    const std::vector<std::size_t> repeated = repeated_rows(d.inputs.data(), n, input_dim);
    if (repeated.empty()) break;
    if (round == kMaxRounds)
      throw std::runtime_error("random_points: cannot draw " + std::to_string(n) + " distinct points of dimension " +
                               std::to_string(input_dim) + " in " + scalar_name<T>());
    for (std::size_t i : repeated) fill_symmetric(d.inputs.data() + i * input_dim, input_dim, rng);
  }
  return d;
}

template <FloatingScalar T>
Dataset<T> random_noise_images(std::size_t n, std::size_t channels, std::size_t height, std::size_t width, int classes,
                               std::uint64_t seed) {
  if (classes < 1)
    throw std::invalid_argument("random_noise_images: classes must be at least 1, not " + std::to_string(classes));
  std::mt19937_64 rng(seed);
  Dataset<T> d;
  d.inputs = Tensor<T>::from_shape(Shape{n, channels, height, width});
  T* pixels = d.inputs.data();
  for (std::size_t i = 0; i < d.inputs.size(); ++i) pixels[i] = static_cast<T>(unit(rng));
  d.labels.resize(n);
  for (int& label : d.labels) label = static_cast<int>(below(rng, static_cast<std::uint64_t>(classes)));
  return d;
}

template Dataset<float> random_points(std::size_t, std::size_t, std::size_t, std::uint64_t);
template Dataset<double> random_points(std::size_t, std::size_t, std::size_t, std::uint64_t);
template Dataset<float> random_noise_images(std::size_t, std::size_t, std::size_t, std::size_t, int, std::uint64_t);
template Dataset<double> random_noise_images(std::size_t, std::size_t, std::size_t, std::size_t, int, std::uint64_t);

}  // namespace netdim::data
