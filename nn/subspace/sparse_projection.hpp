// The very sparse random projection (Li, Hastie and Church 2006; seed 002's
// "random sparse matrices"): each entry of P (D x d) is nonzero with
// probability 1/sqrt(D), with a random sign, and each column is normalised to
// unit length (its k nonzeros are +-1/sqrt(k)), like the dense projection's.
// Stored by columns (CSC): about d sqrt(D) entries, never D x d. A column that
// drew no entry at all is drawn again, so no direction of the subspace is lost.
#pragma once

#include <cstdint>
#include <vector>

#include "netdim/autodiff/ops/linear_operator.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
class SparseProjection final : public LinearOperator<T> {
 public:
  SparseProjection(std::uint64_t seed, std::size_t rows, std::size_t cols);
  std::string name() const override { return "sparse projection"; }
  std::size_t rows() const override { return rows_; }
  std::size_t cols() const override { return cols_; }
  void apply(std::span<const T> x, std::span<T> y) const override;
  void apply_transpose(std::span<const T> g, std::span<T> x) const override;
  std::size_t nonzeros() const { return row_index_.size(); }

 private:
  std::size_t rows_, cols_;
  std::vector<std::size_t> column_start_;  // d + 1 offsets into row_index_ and value_
  std::vector<std::uint32_t> row_index_;   // increasing within each column
  std::vector<T> value_;
};

extern template class SparseProjection<float>;
extern template class SparseProjection<double>;

}  // namespace netdim::nn::subspace
