// The Fastfood projection (Le, Sarlos and Smola 2013, as seed 002's code uses
// it): P (D x d) is a stack of k = ceil(D / L) blocks V_b = S_b H G_b Pi_b H B_b
// of order L, the power of two at or above d, cut to its first D rows and first
// d columns. H is the Walsh-Hadamard matrix (+-1 entries), B_b random signs,
// Pi_b a random permutation, G_b Gaussian, all diagonal except Pi_b. Neither P
// nor any block is ever formed: a product costs 2k transforms of length L,
// O(D log d) time, and the blocks O(D) memory.
//
// S_b is the scalar 1 / sqrt(L ||G_b||^2) * sqrt(L / D): every column of H G Pi H B
// has norm sqrt(L ||G||^2) exactly, so each column of P has unit length when L
// divides D, and unit expected squared length when the last block is cut (the
// article's code, one block of order L >= D, divides by
// sqrt(L ||G||^2) * sqrt(D / L): the same normalisation with k = 1).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "netdim/autodiff/ops/linear_operator.hpp"

namespace netdim::nn::subspace {

template <FloatingScalar T>
class FastfoodProjection final : public LinearOperator<T> {
 public:
  // Block b draws its signs, then its permutation, then its Gaussians, after
  // blocks 0..b-1, from one stream seeded with `seed`.
  FastfoodProjection(std::uint64_t seed, std::size_t rows, std::size_t cols);
  std::string name() const override { return "fastfood projection"; }
  std::size_t rows() const override { return rows_; }
  std::size_t cols() const override { return cols_; }
  void apply(std::span<const T> x, std::span<T> y) const override;
  void apply_transpose(std::span<const T> g, std::span<T> x) const override;
  std::size_t block_order() const { return order_; }
  std::size_t block_count() const { return blocks_; }
  // The transform itself, block after block (L entries each), to hand it to
  // another implementation (bench/subspace_epoch gives it to PyTorch): the signs
  // B, the permutation Pi as a gather ((Pi v)[i] = v[permutation[i]]), and G
  // with S folded in.
  std::span<const T> signs() const { return signs_; }
  std::span<const std::uint32_t> permutation() const { return permute_; }
  std::span<const T> scaled_gaussians() const { return gauss_; }

 private:
  std::size_t rows_, cols_, order_, blocks_;
  std::vector<T> signs_;                // B, blocks * L
  std::vector<std::uint32_t> permute_;  // Pi as a gather: (Pi v)[i] = v[permute_[i]]
  std::vector<T> gauss_;                // G with S folded in
};

extern template class FastfoodProjection<float>;
extern template class FastfoodProjection<double>;

}  // namespace netdim::nn::subspace
