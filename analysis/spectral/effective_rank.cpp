#include "netdim/analysis/spectral/effective_rank.hpp"

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace netdim::analysis {
namespace {

void require_finite(const Tensor<double>& m, const char* what) {
  for (double v : m)
    if (!std::isfinite(v)) throw std::invalid_argument(std::string(what) + ": the matrix has a non-finite entry");
}

lapack_int lapack_size(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(std::numeric_limits<lapack_int>::max()))
    throw std::invalid_argument(std::string(what) + ": the matrix is too large for LAPACK");
  return static_cast<lapack_int>(n);
}

}  // namespace

double effective_rank(std::span<const double> singular_values) {
  double total = 0;
  for (double s : singular_values) {
    if (!std::isfinite(s) || s < 0)
      throw std::invalid_argument("effective_rank: singular values must be finite and non-negative, got " +
                                  std::to_string(s));
    total += s;
  }
  if (total == 0) return 0;
  double entropy = 0;
  for (double s : singular_values) {
    const double p = s / total;
    if (p > 0) entropy -= p * std::log(p);  // 0 ln 0 = 0
  }
  return std::exp(entropy);
}

std::vector<double> singular_values(const Tensor<double>& matrix) {
  if (matrix.dimension() != 2)
    throw std::invalid_argument("singular_values: expected a 2-D matrix, got shape " + shape_string(shape_of(matrix)));
  require_finite(matrix, "singular_values");
  const lapack_int rows = lapack_size(matrix.shape()[0], "singular_values");
  const lapack_int cols = lapack_size(matrix.shape()[1], "singular_values");
  std::vector<double> s(static_cast<std::size_t>(std::min(rows, cols)));
  if (s.empty()) return s;
  Tensor<double> a = matrix;  // dgesdd overwrites its input
  const lapack_int info = LAPACKE_dgesdd(LAPACK_ROW_MAJOR, 'N', rows, cols, a.data(), cols, s.data(), nullptr,
                                         // row-major LAPACKE checks ldu and ldvt even when no vectors are asked for
                                         rows, nullptr, cols);
  if (info != 0)
    throw std::runtime_error("singular_values: LAPACK dgesdd failed (info " + std::to_string(info) + ")");
  return s;  // dgesdd returns them descending
}

std::vector<double> gram_singular_values(const Tensor<double>& gram, double unit_roundoff) {
  if (gram.dimension() != 2 || gram.shape()[0] != gram.shape()[1])
    throw std::invalid_argument("gram_singular_values: expected a square matrix, got shape " +
                                shape_string(shape_of(gram)));
  require_finite(gram, "gram_singular_values");
  const std::size_t n = gram.shape()[0];
  double scale = 0;
  for (double v : gram) scale = std::max(scale, std::abs(v));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (std::abs(gram(i, j) - gram(j, i)) > 1e-12 * scale)
        throw std::invalid_argument("gram_singular_values: the matrix is not symmetric (entries (" +
                                    std::to_string(i) + ", " + std::to_string(j) + ") and (" + std::to_string(j) +
                                    ", " + std::to_string(i) + ") differ)");
  if (n == 0) return {};
  const lapack_int order = lapack_size(n, "gram_singular_values");
  // G is symmetric: its row-major and column-major layouts are the same matrix, so
  // LAPACK reads it in place, with no transposed copy.
  Tensor<double> a = gram;  // LAPACK overwrites its input
  std::vector<double> s;
  // Pivoted Cholesky first: P^T G P = L L^T stops at the numerical rank r, in
  // O(n r^2) work, and the singular values of the n x r factor L are J's (J J^T =
  // G = (P L)(P L)^T). Networks with few inputs have r far below n: for a 1-20-20-1
  // MLP (n = 481) r is about 30 and this replaces an O(n^3) eigenvalue solve. When r
  // is not small, the dense solve costs no more than the SVD of L would.
  std::vector<lapack_int> pivots(n);
  lapack_int rank = 0;
  // dpstrf's own stopping rule (tol < 0): the remaining diagonal below n eps max(diag),
  // rounding level; a tighter rule only pivots on rounding noise (slower, same SD).
  const lapack_int info_chol = LAPACKE_dpstrf(LAPACK_COL_MAJOR, 'L', order, a.data(), order, pivots.data(), &rank, -1.0);
  if (info_chol < 0)
    throw std::runtime_error("gram_singular_values: LAPACK dpstrf failed (info " + std::to_string(info_chol) + ")");
  if (static_cast<std::size_t>(rank) * 3 <= n) {
    const std::size_t r = static_cast<std::size_t>(rank);
    std::vector<double> factor(n * r, 0.0);  // column-major n x r, the lower trapezoid of dpstrf's output
    for (std::size_t k = 0; k < r; ++k)
      for (std::size_t i = k; i < n; ++i) factor[i + k * n] = a.data()[i + k * n];
    s.assign(r, 0.0);
    if (r > 0) {
      const lapack_int info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', order, rank, factor.data(), order, s.data(),
                                             nullptr, 1, nullptr, 1);
      if (info != 0)
        throw std::runtime_error("gram_singular_values: LAPACK dgesdd failed (info " + std::to_string(info) + ")");
    }
    s.resize(n, 0.0);
  } else {
    a = gram;
    std::vector<double> eig(n);
    const lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'L', order, a.data(), order, eig.data());
    if (info != 0)
      throw std::runtime_error("gram_singular_values: LAPACK dsyevd failed (info " + std::to_string(info) + ")");
    s.resize(n);
    for (std::size_t i = 0; i < n; ++i) s[i] = std::sqrt(std::max(eig[n - 1 - i], 0.0));  // ascending to descending
  }
  // Eigenvalues within rounding of zero (n eps lambda_max, numpy's matrix_rank
  // tolerance) count as zero: otherwise each zero singular value of J would come
  // out near sqrt(eps) s_max and add about 1e-7 to the effective rank.
  const double tolerance = static_cast<double>(n) * unit_roundoff * s[0] * s[0];
  for (double& v : s)
    if (v * v <= tolerance) v = 0.0;
  return s;
}

}  // namespace netdim::analysis
