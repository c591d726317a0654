#include "netdim/autodiff/linalg.hpp"

#include <cblas.h>

namespace netdim {

namespace {

struct GemmShape {
  std::size_t m, k, n;
};

template <class T>
GemmShape check_gemm(const Tensor<T>& a, const Tensor<T>& b, bool ta, bool tb) {
  if (a.dimension() != 2 || b.dimension() != 2)
    throw ShapeError("matmul: expects 2-D operands, got " + shape_string(shape_of(a)) + " and " +
                     shape_string(shape_of(b)));
  const std::size_t m = ta ? a.shape()[1] : a.shape()[0];
  const std::size_t k = ta ? a.shape()[0] : a.shape()[1];
  const std::size_t kb = tb ? b.shape()[1] : b.shape()[0];
  const std::size_t n = tb ? b.shape()[0] : b.shape()[1];
  if (k != kb)
    throw ShapeError("matmul: inner dimensions differ: " + shape_string(shape_of(a)) + (ta ? "^T" : "") + " @ " +
                     shape_string(shape_of(b)) + (tb ? "^T" : ""));
  return {m, k, n};
}

template <class T>
void gemm_raw(const Tensor<T>& a, const Tensor<T>& b, bool ta, bool tb, T alpha, T beta, Tensor<T>& c,
              const GemmShape& s) {
  const int m = static_cast<int>(s.m), n = static_cast<int>(s.n), k = static_cast<int>(s.k);
  const int lda = static_cast<int>(a.shape()[1]), ldb = static_cast<int>(b.shape()[1]);
  const auto opa = ta ? CblasTrans : CblasNoTrans, opb = tb ? CblasTrans : CblasNoTrans;
  if (s.m == 0 || s.n == 0) return;
  if constexpr (std::is_same_v<T, double>) {
    cblas_dgemm(CblasRowMajor, opa, opb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), n);
  } else if constexpr (std::is_same_v<T, float>) {
    cblas_sgemm(CblasRowMajor, opa, opb, m, n, k, alpha, a.data(), lda, b.data(), ldb, beta, c.data(), n);
  } else {
    // Exact arithmetic: i-p-j order walks rows of b and c contiguously.
    for (std::size_t i = 0; i < s.m; ++i) {
      for (std::size_t j = 0; j < s.n; ++j) c(i, j) *= beta;
      for (std::size_t p = 0; p < s.k; ++p) {
        const T aip = alpha * (ta ? a(p, i) : a(i, p));
        if (aip == T(0)) continue;
        for (std::size_t j = 0; j < s.n; ++j) c(i, j) += aip * (tb ? b(j, p) : b(p, j));
      }
    }
  }
}

}  // namespace

template <class T>
void gemm_into(const Tensor<T>& a, const Tensor<T>& b, bool ta, bool tb, T alpha, T beta, Tensor<T>& c) {
  const GemmShape s = check_gemm(a, b, ta, tb);
  if (c.dimension() != 2 || c.shape()[0] != s.m || c.shape()[1] != s.n)
    throw ShapeError("gemm: output has shape " + shape_string(shape_of(c)) + ", expected [" + std::to_string(s.m) +
                     ", " + std::to_string(s.n) + "]");
  gemm_raw(a, b, ta, tb, alpha, beta, c, s);
}

template <class T>
Tensor<T> matmul(const Tensor<T>& a, const Tensor<T>& b, bool ta, bool tb) {
  const GemmShape s = check_gemm(a, b, ta, tb);
  Tensor<T> c = Tensor<T>::from_shape({s.m, s.n});
  if constexpr (!FloatingScalar<T>) c.fill(T(0));
  gemm_raw(a, b, ta, tb, T(1), T(0), c, s);
  return c;
}

#define NETDIM_LINALG_INSTANTIATE(T)                                                      \
  template Tensor<T> matmul(const Tensor<T>&, const Tensor<T>&, bool, bool);              \
  template void gemm_into(const Tensor<T>&, const Tensor<T>&, bool, bool, T, T, Tensor<T>&);
NETDIM_LINALG_INSTANTIATE(float)
NETDIM_LINALG_INSTANTIATE(double)
NETDIM_LINALG_INSTANTIATE(Rational)
NETDIM_LINALG_INSTANTIATE(Modular)

}  // namespace netdim
