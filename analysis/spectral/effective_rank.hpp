// Effective rank (Roy & Vetterli 2007) and the singular values it is taken of.
//
// With p_k = s_k / sum(s), erank = exp(-sum_k p_k ln p_k), where 0 ln 0 = 0: the
// exponential of the entropy of the normalised spectrum. It lies between 1 and
// the rank, is invariant to scaling and to unitary transformations, and is the
// spanning dimension (SD) of seed 003, section 3.1.1.
//
// The singular values come from an SVD of J, or from the eigenvalues of the Gram
// matrix J J^T (cheaper when J has fewer rows than columns; section 6 of the seed).
#pragma once

#include <limits>
#include <span>
#include <vector>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::analysis {

// The effective rank of a list of singular values (any order). An empty or all-zero
// spectrum has effective rank 0: there is no direction at all, and 0 is the rank of
// the zero matrix (the definition's 0/0 is otherwise undefined). Negative or
// non-finite values throw std::invalid_argument.
double effective_rank(std::span<const double> singular_values);

// The singular values of a 2-D matrix, descending (min(rows, cols) of them), by
// LAPACK's divide-and-conquer SVD (dgesdd, values only). Throws std::invalid_argument
// for a matrix that is not 2-D or has non-finite entries, std::runtime_error when
// LAPACK does not converge.
std::vector<double> singular_values(const Tensor<double>& matrix);

// The singular values of J from its Gram matrix G = J J^T (square, symmetric,
// positive semi-definite), descending. When G's numerical rank r is at most n/3, a
// pivoted Cholesky (dpstrf, O(n r^2)) gives G = (P L)(P L)^T and s are the singular
// values of the n x r factor L (dgesdd); otherwise s = sqrt(eigenvalue) by dsyevd. Both with
// eigenvalues at or below n * eps * lambda_max (numpy's matrix_rank tolerance) taken
// as 0. Rounding leaves J's zero singular values as eigenvalues of either sign near
// eps * lambda_max; unclamped, each would come out near sqrt(eps) s_max and add about
// 1e-7 to the effective rank. Singular values below about sqrt(n eps) s_max cannot be
// resolved through their squares anyway; an SVD of J keeps them. Throws
// std::invalid_argument for a matrix that is not square, not symmetric or has
// non-finite entries. `unit_roundoff` is the epsilon of the arithmetic the Gram was
// formed in: a float32 Gram carries rounding noise near 1e-7 lambda_max, and its
// tolerance must be n * FLT_EPSILON * lambda_max to keep that noise out.
std::vector<double> gram_singular_values(const Tensor<double>& gram,
                                         double unit_roundoff = std::numeric_limits<double>::epsilon());

}  // namespace netdim::analysis
