// The rank over Q of an integer matrix, fast and certified, for exact_rank.cpp
// (FLINT types: include it only where FLINT is already used).
//
// Fraction-free elimination (fmpz_mat_rank) lets the integers grow to m times the
// entries' size at every one of the m pivots: 2.4 s for a 257 x 18 Jacobian of
// 7,000-bit entries, 35 s for a 1,051-parameter network. Instead:
//   1. the rank r mod a 61-bit prime p (nmod_mat_rref) is a lower bound of the rank
//      over Q, and its pivots give r independent rows R and r independent columns C
//      (mod p, hence over Q) with A[R, C] nonsingular;
//   2. rank A = r over Q exactly when A = A[:, C] A[R, C]^-1 A[R, :] (a rank-r
//      matrix is its own skeleton decomposition): one exact r x r solve
//      (fmpz_mat_solve: A[R, C] X = d A[R, :]) and one product checked entry by entry
//      (A[:, C] X == d A) prove it.
// When the check fails (p divided every r+1 minor: rare), the next prime is tried,
// and after a few fmpz_mat_rank decides.
#pragma once

#include <flint/fmpz_mat.h>

#include <cstddef>

namespace netdim::analysis {

std::size_t certified_rank(const fmpz_mat_t a);

}  // namespace netdim::analysis
