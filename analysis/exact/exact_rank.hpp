// Ranks of rational matrices, exactly (over Q) and modulo a prime, with FLINT.
//
// The polynomial spanning dimension of seed 003 (sections 2.1 and 3.1) is the rank
// of a Jacobian evaluated exactly at rational points; these are that rank.
// FLINT's headers stay in the .cpp: callers see only Tensor<Rational> and Tensor<Modular>.
#pragma once

#include <cstddef>
#include <cstdint>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::analysis {

// The rank over Q of a 2-D rational matrix. Each row is multiplied by the lcm of its
// entries' denominators (which keeps the rank and makes it integer), then the rank
// mod a large prime is certified over Q by an exact skeleton decomposition
// (certified_rank.hpp), with fraction-free elimination as the last resort. Throws
// std::invalid_argument when the matrix is not 2-D.
std::size_t exact_rank(const Tensor<Rational>& matrix);

// The rank over Z/p of the matrix with every entry a/b reduced to a * b^-1 mod p,
// by FLINT's nmod_mat_rank. Never above exact_rank (a certified lower bound of the
// rank over Q), and equal to it unless p divides every maximal nonzero minor of the
// row-scaled integer matrix: for a large random p, equal with high probability.
// Throws std::invalid_argument when the matrix is not 2-D, p is not a prime, or a
// denominator is divisible by p (the entry has no value mod p).
std::size_t modular_rank(const Tensor<Rational>& matrix, std::uint64_t p);

// The rank over Z/p (p = Modular::kPrime) of a matrix already reduced mod p: its
// residues go to nmod_mat_rank as they are. Throws std::invalid_argument when the
// matrix is not 2-D.
std::size_t modular_rank(const Tensor<Modular>& matrix);

}  // namespace netdim::analysis
