#include "netdim/nn/subspace/dense_projection.hpp"

#include <unistd.h>

#include <cblas.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "netdim/support/process_memory.hpp"
#include "netdim/nn/subspace/seeded_draws.hpp"

namespace netdim::nn::subspace {

namespace {

// MemAvailable, else (no /proc/meminfo) the physical memory.
std::uint64_t available_memory_bytes() {
  if (const auto available = support::available_memory()) return *available;
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  return pages > 0 && page > 0 ? std::uint64_t(pages) * std::uint64_t(page) : 0;
}

}  // namespace

bool dense_projection_fits(std::size_t rows, std::size_t cols, std::size_t scalar_bytes) {
  const long double need = static_cast<long double>(rows) * cols * scalar_bytes;
  return need <= static_cast<long double>(available_memory_bytes()) / 2;
}

void require_dense_projection_fits(std::size_t rows, std::size_t cols, std::size_t scalar_bytes) {
  if (dense_projection_fits(rows, cols, scalar_bytes)) return;
  std::ostringstream message;
  message.precision(3);
  message << "a dense " << rows << " x " << cols << " projection needs "
          << static_cast<long double>(rows) * cols * scalar_bytes / 1e9 << " GB, more than half the memory available ("
          << static_cast<long double>(available_memory_bytes()) / 1e9
          << " GB): use the sparse or the fastfood projection instead";
  throw std::invalid_argument(message.str());
}

template <FloatingScalar T>
DenseProjection<T>::DenseProjection(std::uint64_t seed, std::size_t rows, std::size_t cols)
    : rows_(rows), cols_(cols) {
  if (rows == 0 || cols == 0) throw std::invalid_argument("dense projection: D and d must be positive");
  if (rows > std::size_t(INT32_MAX) || cols > std::size_t(INT32_MAX))
    throw std::invalid_argument("dense projection: D and d must be below 2^31 (BLAS indexes with int)");
  require_dense_projection_fits(rows, cols, sizeof(T));
  columns_ = Tensor<T>::from_shape({cols, rows});
  SeededDraws draws(seed);
  std::vector<double> column(rows);
  for (std::size_t j = 0; j < cols; ++j) {
    double norm2 = 0;
    for (double& v : column) {
      v = draws.gaussian();
      norm2 += v * v;
    }
    const double inverse = 1 / std::sqrt(norm2);
    for (std::size_t i = 0; i < rows; ++i) columns_(j, i) = static_cast<T>(column[i] * inverse);
  }
}

template <FloatingScalar T>
void DenseProjection<T>::apply(std::span<const T> x, std::span<T> y) const {
  const int m = static_cast<int>(cols_), n = static_cast<int>(rows_);
  if constexpr (std::is_same_v<T, double>)
    cblas_dgemv(CblasRowMajor, CblasTrans, m, n, 1.0, columns_.data(), n, x.data(), 1, 0.0, y.data(), 1);
  else
    cblas_sgemv(CblasRowMajor, CblasTrans, m, n, 1.0f, columns_.data(), n, x.data(), 1, 0.0f, y.data(), 1);
}

template <FloatingScalar T>
void DenseProjection<T>::apply_transpose(std::span<const T> g, std::span<T> x) const {
  const int m = static_cast<int>(cols_), n = static_cast<int>(rows_);
  if constexpr (std::is_same_v<T, double>)
    cblas_dgemv(CblasRowMajor, CblasNoTrans, m, n, 1.0, columns_.data(), n, g.data(), 1, 0.0, x.data(), 1);
  else
    cblas_sgemv(CblasRowMajor, CblasNoTrans, m, n, 1.0f, columns_.data(), n, g.data(), 1, 0.0f, x.data(), 1);
}

template class DenseProjection<float>;
template class DenseProjection<double>;

}  // namespace netdim::nn::subspace
