#include "netdim/nn/subspace/sparse_projection.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "netdim/nn/subspace/seeded_draws.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
SparseProjection<T>::SparseProjection(std::uint64_t seed, std::size_t rows, std::size_t cols)
    : rows_(rows), cols_(cols) {
  if (rows == 0 || cols == 0) throw std::invalid_argument("sparse projection: D and d must be positive");
  if (rows > std::numeric_limits<std::uint32_t>::max())
    throw std::invalid_argument("sparse projection: D must be below 2^32");
  const double density = 1 / std::sqrt(static_cast<double>(rows));
  SeededDraws draws(seed);
  column_start_.reserve(cols + 1);
  column_start_.push_back(0);
  const std::size_t expected = static_cast<std::size_t>(static_cast<double>(cols) * rows * density * 1.1) + cols;
  row_index_.reserve(expected);
  value_.reserve(expected);
  // The gaps between nonzeros of a column are geometric: O(nonzeros) draws, not O(D).
  const double log_miss = std::log1p(-density);  // -inf when D = 1: every entry is drawn
  for (std::size_t j = 0; j < cols; ++j) {
    const std::size_t start = row_index_.size();
    while (row_index_.size() == start) {
      std::size_t i = 0;
      for (;;) {
        if (density < 1) {
          const double gap = std::floor(std::log(draws.positive_unit()) / log_miss);
          if (gap >= static_cast<double>(rows - i)) break;
          i += static_cast<std::size_t>(gap);
        }
        if (i >= rows) break;
        row_index_.push_back(static_cast<std::uint32_t>(i));
        value_.push_back(static_cast<T>(draws.sign()));
        ++i;
      }
    }
    const T scale = static_cast<T>(1 / std::sqrt(static_cast<double>(row_index_.size() - start)));
    for (std::size_t k = start; k < value_.size(); ++k) value_[k] *= scale;
    column_start_.push_back(row_index_.size());
  }
}

template <FloatingScalar T>
void SparseProjection<T>::apply(std::span<const T> x, std::span<T> y) const {
  std::fill(y.begin(), y.end(), T(0));
  for (std::size_t j = 0; j < cols_; ++j) {
    const T xj = x[j];
    for (std::size_t k = column_start_[j]; k < column_start_[j + 1]; ++k) y[row_index_[k]] += value_[k] * xj;
  }
}

template <FloatingScalar T>
void SparseProjection<T>::apply_transpose(std::span<const T> g, std::span<T> x) const {
  for (std::size_t j = 0; j < cols_; ++j) {
    T s = 0;
    for (std::size_t k = column_start_[j]; k < column_start_[j + 1]; ++k) s += value_[k] * g[row_index_[k]];
    x[j] = s;
  }
}

template class SparseProjection<float>;
template class SparseProjection<double>;

}  // namespace netdim::nn::subspace
