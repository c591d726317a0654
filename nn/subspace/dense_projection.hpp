// The dense random projection: P (D x d) with independent Gaussian columns,
// each normalised to unit length (seed 002). Stored whole, so only for moderate
// D * d: construction refuses, naming the projections to use instead, when the
// matrix would not fit in the memory available.
#pragma once

#include <cstdint>

#include "netdim/autodiff/ops/linear_operator.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
class DenseProjection final : public LinearOperator<T> {
 public:
  // Column j is drawn after columns 0..j-1 from one stream seeded with `seed`.
  DenseProjection(std::uint64_t seed, std::size_t rows, std::size_t cols);
  std::string name() const override { return "dense projection"; }
  std::size_t rows() const override { return rows_; }
  std::size_t cols() const override { return cols_; }
  void apply(std::span<const T> x, std::span<T> y) const override;
  void apply_transpose(std::span<const T> g, std::span<T> x) const override;

 private:
  std::size_t rows_, cols_;
  Tensor<T> columns_;  // [d, D]: column j of P is row j here
};

// Whether a dense rows x cols projection of scalar_bytes entries fits in half the
// memory available (support::available_memory(), else the physical memory; training
// needs the rest), and the same as a check that throws std::invalid_argument
// naming the projections to use instead.
bool dense_projection_fits(std::size_t rows, std::size_t cols, std::size_t scalar_bytes);
void require_dense_projection_fits(std::size_t rows, std::size_t cols, std::size_t scalar_bytes);

extern template class DenseProjection<float>;
extern template class DenseProjection<double>;

}  // namespace netdim::nn::subspace
