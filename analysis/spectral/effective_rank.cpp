#include "analysis/spectral/effective_rank.hpp"

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
  // dsyevd reads the upper triangle and overwrites its input. The copy it gets is that
  // triangle mirrored: read column-major, its upper triangle is then the row-major
  // upper triangle of `gram`, entry for entry, so a column-major call sees what
  // LAPACKE's row-major call would, without LAPACKE transposing a second copy.
  const double* src = gram.data();
  Tensor<double> a = Tensor<double>::from_shape({n, n});
  double* dst = a.data();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      const double upper = src[j * n + i];
      if (std::abs(src[i * n + j] - upper) > 1e-12 * scale)
        throw std::invalid_argument("gram_singular_values: the matrix is not symmetric (entries (" +
                                    std::to_string(i) + ", " + std::to_string(j) + ") and (" + std::to_string(j) +
                                    ", " + std::to_string(i) + ") differ)");
      dst[i * n + j] = upper;
    }
    std::copy(src + i * n + i, src + (i + 1) * n, dst + i * n + i);
  }
  std::vector<double> eig(n);
  if (n == 0) return eig;
  const lapack_int order = lapack_size(n, "gram_singular_values");
  const lapack_int info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'U', order, a.data(), order, eig.data());
  if (info != 0)
    throw std::runtime_error("gram_singular_values: LAPACK dsyevd failed (info " + std::to_string(info) + ")");
  // Eigenvalues within rounding of zero (n eps lambda_max, numpy's matrix_rank
  // tolerance) count as zero: otherwise each zero singular value of J would come
  // out near sqrt(eps) s_max and add about 1e-7 to the effective rank.
  const double tolerance = static_cast<double>(n) * unit_roundoff * std::max(eig[n - 1], 0.0);
  std::vector<double> s(n);
  // dsyevd's eigenvalues ascend; the singular values descend.
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = eig[n - 1 - i];
    s[i] = lambda > tolerance ? std::sqrt(lambda) : 0.0;
  }
  return s;
}

}  // namespace netdim::analysis
