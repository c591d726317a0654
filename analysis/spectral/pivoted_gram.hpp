// The singular values of J from its Gram G = J J^T through a rank-revealing pivoted
// Cholesky factorisation, for Grams of low numerical rank r << n (tiny networks: a
// 1-40-40-1 MLP's 500 x 500 Gram has r <= 91 above rounding; mean r is 20 over the
// sweep_tiny networks). P^T G P = L L^T + S with L n x r (LAPACK dpstrf, stopped when
// every remaining pivot is at most eps * max diag(G)); the nonzero eigenvalues of
// L L^T are those of the r x r matrix L^T L, whose eigenvalues dsyevd gives in
// O(r^3) instead of O(n^3). Cost O(n r^2): over the sweep_tiny samples 15x less than
// dsyevd on the whole Gram; at full rank (r = n = 500) 1.45x more.
//
// What it drops: the remainder S is positive semi-definite up to rounding with trace
// at most n eps max diag(G) <= n eps lambda_max, so every eigenvalue moves by at most
// the clamp below which gram_singular_values already counts eigenvalues as zero. The
// two routes differ where the Gram route cannot resolve singular values anyway (below
// about sqrt(n eps) s_max; effective_rank.hpp): over the 800 sweep_tiny samples the
// effective ranks agree to 3e-8 relative.
#pragma once

#include <limits>
#include <vector>

#include "autodiff/tensor.hpp"

namespace netdim::analysis {

// As gram_singular_values (effective_rank.hpp): n values, descending, eigenvalues at
// or below n * unit_roundoff * lambda_max (of L^T L) taken as 0, the dropped ones as
// 0. Throws std::invalid_argument for a matrix that is not square, not symmetric or
// has non-finite entries, std::runtime_error when LAPACK fails.
std::vector<double> pivoted_gram_singular_values(const Tensor<double>& gram,
                                                 double unit_roundoff = std::numeric_limits<double>::epsilon());

}  // namespace netdim::analysis
