#include "netdim/analysis/exact/certified_rank.hpp"

#include "netdim/analysis/exact/flint_owners.hpp"

#include <flint/fmpz.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

#include <vector>

namespace netdim::analysis {
namespace {

using flint::Integer;
using flint::IntegerMatrix;
using flint::ModularMatrix;

// The pivot columns of a matrix in reduced row echelon form with `rank` nonzero rows.
std::vector<slong> pivot_columns(const nmod_mat_t rref, slong rank) {
  std::vector<slong> pivots;
  slong col = 0;
  for (slong row = 0; row < rank; ++row) {
    while (nmod_mat_entry(rref, row, col) == 0) ++col;
    pivots.push_back(col++);
  }
  return pivots;
}

// The rank mod p, with r independent rows and columns of A (mod p).
slong rank_mod(const fmpz_mat_t a, ulong p, std::vector<slong>& rows, std::vector<slong>& cols) {
  const slong n = fmpz_mat_nrows(a), m = fmpz_mat_ncols(a);
  ModularMatrix mod(n, m, p), transposed(m, n, p);
  fmpz_mat_get_nmod_mat(mod.m, a);
  nmod_mat_transpose(transposed.m, mod.m);
  const slong r = nmod_mat_rref(mod.m);
  nmod_mat_rref(transposed.m);
  cols = pivot_columns(mod.m, r);
  rows = pivot_columns(transposed.m, r);  // the pivot columns of A^T: independent rows of A
  return r;
}

// Whether A = A[:, C] A[R, C]^-1 A[R, :] exactly. Rows R and columns C hold by
// construction, so only the block of the other rows and columns is checked:
// A[R', C] X == d A[R', C'] with A[R, C] X = d A[R, C'].
bool skeleton_holds(const fmpz_mat_t a, const std::vector<slong>& rows, const std::vector<slong>& cols) {
  const slong n = fmpz_mat_nrows(a), m = fmpz_mat_ncols(a), r = static_cast<slong>(rows.size());
  if (r == 0) return fmpz_mat_is_zero(a);
  std::vector<char> in_rows(static_cast<std::size_t>(n), 0), in_cols(static_cast<std::size_t>(m), 0);
  for (slong i : rows) in_rows[static_cast<std::size_t>(i)] = 1;
  for (slong j : cols) in_cols[static_cast<std::size_t>(j)] = 1;
  std::vector<slong> other_rows, other_cols;
  for (slong i = 0; i < n; ++i)
    if (!in_rows[static_cast<std::size_t>(i)]) other_rows.push_back(i);
  for (slong j = 0; j < m; ++j)
    if (!in_cols[static_cast<std::size_t>(j)]) other_cols.push_back(j);
  const slong n2 = static_cast<slong>(other_rows.size()), m2 = static_cast<slong>(other_cols.size());
  if (n2 == 0 || m2 == 0) return true;  // A is r x anything or anything x r: rank r by the nonsingular core
  IntegerMatrix core(r, r), band(r, m2), stem(n2, r), x(r, m2), product(n2, m2);
  for (slong i = 0; i < r; ++i) {
    for (slong j = 0; j < r; ++j) fmpz_set(fmpz_mat_entry(core.m, i, j), fmpz_mat_entry(a, rows[i], cols[j]));
    for (slong j = 0; j < m2; ++j) fmpz_set(fmpz_mat_entry(band.m, i, j), fmpz_mat_entry(a, rows[i], other_cols[j]));
  }
  for (slong i = 0; i < n2; ++i)
    for (slong j = 0; j < r; ++j) fmpz_set(fmpz_mat_entry(stem.m, i, j), fmpz_mat_entry(a, other_rows[i], cols[j]));
  Integer den, scaled;
  if (!fmpz_mat_solve(x.m, den.z, core.m, band.m)) return false;  // singular: cannot happen when the mod-p pivots hold
  fmpz_mat_mul(product.m, stem.m, x.m);
  for (slong i = 0; i < n2; ++i)
    for (slong j = 0; j < m2; ++j) {
      fmpz_mul(scaled.z, den.z, fmpz_mat_entry(a, other_rows[i], other_cols[j]));
      if (!fmpz_equal(scaled.z, fmpz_mat_entry(product.m, i, j))) return false;
    }
  return true;
}

}  // namespace

std::size_t certified_rank(const fmpz_mat_t a) {
  if (fmpz_mat_nrows(a) == 0 || fmpz_mat_ncols(a) == 0) return 0;
  ulong p = (ulong{1} << 61) - 1;  // a Mersenne prime; then the primes below it
  for (int attempt = 0; attempt < 4; ++attempt) {
    std::vector<slong> rows, cols;
    const slong r = rank_mod(a, p, rows, cols);
    if (skeleton_holds(a, rows, cols)) return static_cast<std::size_t>(r);
    do p -= 2;
    while (!n_is_prime(p));
  }
  return static_cast<std::size_t>(fmpz_mat_rank(a));
}

}  // namespace netdim::analysis
