#include "netdim/nn/subspace/fastfood_projection.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "netdim/nn/subspace/seeded_draws.hpp"
#include "netdim/nn/subspace/walsh_hadamard.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
FastfoodProjection<T>::FastfoodProjection(std::uint64_t seed, std::size_t rows, std::size_t cols)
    : rows_(rows), cols_(cols) {
  if (rows == 0 || cols == 0) throw std::invalid_argument("fastfood projection: D and d must be positive");
  if (cols > (std::size_t(1) << 31)) throw std::invalid_argument("fastfood projection: d must be at most 2^31");
  order_ = std::bit_ceil(cols);
  blocks_ = (rows + order_ - 1) / order_;
  const std::size_t n = blocks_ * order_;
  signs_.resize(n);
  permute_.resize(n);
  gauss_.resize(n);
  SeededDraws draws(seed);
  const double rescale = std::sqrt(static_cast<double>(order_) / static_cast<double>(rows));
  std::vector<double> g(order_);
  for (std::size_t b = 0; b < blocks_; ++b) {
    T* sign = signs_.data() + b * order_;
    std::uint32_t* pi = permute_.data() + b * order_;
    for (std::size_t i = 0; i < order_; ++i) sign[i] = static_cast<T>(draws.sign());
    // Fisher-Yates with unbiased draws: the same permutation with any standard library.
    std::iota(pi, pi + order_, std::uint32_t(0));
    for (std::size_t i = order_ - 1; i > 0; --i) std::swap(pi[i], pi[draws.below(i + 1)]);
    double norm2 = 0;
    for (double& v : g) {
      v = draws.gaussian();
      norm2 += v * v;
    }
    const double scale = rescale / std::sqrt(static_cast<double>(order_) * norm2);
    for (std::size_t i = 0; i < order_; ++i) gauss_[b * order_ + i] = static_cast<T>(g[i] * scale);
  }
}

template <FloatingScalar T>
void FastfoodProjection<T>::apply(std::span<const T> x, std::span<T> y) const {
  const std::size_t L = order_;
  std::vector<T> t(L), u(L);
  for (std::size_t b = 0; b < blocks_; ++b) {
    const T* sign = signs_.data() + b * L;
    const std::uint32_t* pi = permute_.data() + b * L;
    const T* gauss = gauss_.data() + b * L;
    for (std::size_t i = 0; i < cols_; ++i) t[i] = sign[i] * x[i];  // B x, x padded with zeros to L
    std::fill(t.begin() + static_cast<std::ptrdiff_t>(cols_), t.end(), T(0));
    walsh_hadamard(std::span<T>(t));
    for (std::size_t i = 0; i < L; ++i) u[i] = gauss[i] * t[pi[i]];  // G Pi
    walsh_hadamard(std::span<T>(u));
    const std::size_t begin = b * L, count = std::min(L, rows_ - begin);
    std::copy_n(u.begin(), count, y.begin() + static_cast<std::ptrdiff_t>(begin));
  }
}

// P^T = sum over blocks of V_b^T = B H Pi^T G H S (all but Pi symmetric), each on
// block b's rows of g padded with zeros where the last block is cut.
template <FloatingScalar T>
void FastfoodProjection<T>::apply_transpose(std::span<const T> g, std::span<T> x) const {
  const std::size_t L = order_;
  std::vector<T> s(L), w(L), sum(L, T(0));
  for (std::size_t b = 0; b < blocks_; ++b) {
    const T* sign = signs_.data() + b * L;
    const std::uint32_t* pi = permute_.data() + b * L;
    const T* gauss = gauss_.data() + b * L;
    const std::size_t begin = b * L, count = std::min(L, rows_ - begin);
    std::copy_n(g.begin() + static_cast<std::ptrdiff_t>(begin), count, s.begin());
    std::fill(s.begin() + static_cast<std::ptrdiff_t>(count), s.end(), T(0));
    walsh_hadamard(std::span<T>(s));
    for (std::size_t i = 0; i < L; ++i) w[pi[i]] = gauss[i] * s[i];  // Pi^T G
    walsh_hadamard(std::span<T>(w));
    for (std::size_t i = 0; i < cols_; ++i) sum[i] += sign[i] * w[i];
  }
  std::copy_n(sum.begin(), cols_, x.begin());
}

template class FastfoodProjection<float>;
template class FastfoodProjection<double>;

}  // namespace netdim::nn::subspace
