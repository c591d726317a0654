#include "netdim/analysis/jacobian/gram.hpp"

#include <cblas.h>

#include <climits>
#include <type_traits>

namespace netdim::analysis {

template <Scalar T>
Tensor<T> gram(const Tensor<T>& jacobian) {
  if (jacobian.dimension() != 2)
    throw ShapeError("gram: expected a 2-D Jacobian, got shape " + shape_string(shape_of(jacobian)));
  const std::size_t n = jacobian.shape()[0], m = jacobian.shape()[1];
  Tensor<T> g = zeros_of<T>({n, n});
  if (n == 0 || m == 0) return g;
  if constexpr (std::is_same_v<T, Rational>) {
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i; j < n; ++j) {
        Rational s;
        for (std::size_t c = 0; c < m; ++c) s += jacobian(i, c) * jacobian(j, c);
        g(i, j) = s;
      }
  } else {
    if (n > INT_MAX || m > INT_MAX) throw ShapeError("gram: the Jacobian is too large for BLAS");
    const int rows = static_cast<int>(n), cols = static_cast<int>(m);
    // syrk computes one triangle, half of gemm's work; the upper one in row-major order.
    if constexpr (std::is_same_v<T, double>)
      cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, rows, cols, 1.0, jacobian.data(), cols, 0.0, g.data(), rows);
    else
      cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, rows, cols, 1.0f, jacobian.data(), cols, 0.0f, g.data(), rows);
  }
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < i; ++j) g(i, j) = g(j, i);
  return g;
}

template Tensor<float> gram(const Tensor<float>&);
template Tensor<double> gram(const Tensor<double>&);
template Tensor<Rational> gram(const Tensor<Rational>&);

}  // namespace netdim::analysis
