#include "analysis/spectral/pivoted_gram.hpp"

#include <cblas.h>
#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace netdim::analysis {

std::vector<double> pivoted_gram_singular_values(const Tensor<double>& gram, double unit_roundoff) {
  const char* what = "pivoted_gram_singular_values";
  if (gram.dimension() != 2 || gram.shape()[0] != gram.shape()[1])
    throw std::invalid_argument(std::string(what) + ": expected a square matrix, got shape " +
                                shape_string(shape_of(gram)));
  const std::size_t n = gram.shape()[0];
  if (n > static_cast<std::size_t>(std::numeric_limits<lapack_int>::max()))
    throw std::invalid_argument(std::string(what) + ": the matrix is too large for LAPACK");
  double scale = 0, max_diagonal = 0;
  for (double v : gram) {
    if (!std::isfinite(v)) throw std::invalid_argument(std::string(what) + ": the matrix has a non-finite entry");
    scale = std::max(scale, std::abs(v));
  }
  for (std::size_t i = 0; i < n; ++i) {
    max_diagonal = std::max(max_diagonal, gram(i, i));
    for (std::size_t j = 0; j < i; ++j)
      if (std::abs(gram(i, j) - gram(j, i)) > 1e-12 * scale)
        throw std::invalid_argument(std::string(what) + ": the matrix is not symmetric (entries (" +
                                    std::to_string(i) + ", " + std::to_string(j) + ") and (" + std::to_string(j) +
                                    ", " + std::to_string(i) + ") differ)");
  }
  std::vector<double> s(n, 0.0);
  if (!(max_diagonal > 0)) return s;  // a PSD matrix with no positive diagonal entry is zero

  // Read column-major, the lower triangle of the row-major buffer is gram's upper
  // triangle: the one gram_singular_values reads too.
  const auto order = static_cast<lapack_int>(n);
  Tensor<double> a = gram;  // dpstrf overwrites it with L
  std::vector<lapack_int> pivots(n);
  lapack_int rank = 0;
  const lapack_int info = LAPACKE_dpstrf(LAPACK_COL_MAJOR, 'L', order, a.data(), order, pivots.data(), &rank,
                                         unit_roundoff * max_diagonal);
  if (info < 0 || rank <= 0)
    throw std::runtime_error(std::string(what) + ": LAPACK dpstrf failed (info " + std::to_string(info) + ")");

  // L: the first `rank` columns of the lower triangle; above it dpstrf left gram's entries.
  double* l = a.data();
  for (lapack_int c = 0; c < rank; ++c) std::fill(l + c * order, l + c * order + c, 0.0);
  const auto r = static_cast<std::size_t>(rank);
  std::vector<double> small(r * r);
  cblas_dsyrk(CblasColMajor, CblasUpper, CblasTrans, rank, order, 1.0, l, order, 0.0, small.data(), rank);
  std::vector<double> eig(r);
  const lapack_int eig_info = LAPACKE_dsyevd(LAPACK_COL_MAJOR, 'N', 'U', rank, small.data(), rank, eig.data());
  if (eig_info != 0)
    throw std::runtime_error(std::string(what) + ": LAPACK dsyevd failed (info " + std::to_string(eig_info) + ")");
  // The clamp of gram_singular_values, with the n of the Gram.
  const double tolerance = static_cast<double>(n) * unit_roundoff * std::max(eig[r - 1], 0.0);
  for (std::size_t i = 0; i < r; ++i) {
    const double lambda = eig[r - 1 - i];
    s[i] = lambda > tolerance ? std::sqrt(lambda) : 0.0;
  }
  return s;
}

}  // namespace netdim::analysis
