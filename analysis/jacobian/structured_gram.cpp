#include "netdim/analysis/jacobian/structured_gram.hpp"

#include <cblas.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <type_traits>

#include "netdim/analysis/jacobian/layer_sweep.hpp"

namespace netdim::analysis {
namespace {

int blas_size(std::size_t v) {
  if (v > INT_MAX) throw ShapeError("structured_gram: a matrix dimension is too large for BLAS");
  return static_cast<int>(v);
}

// The upper triangle of c (rows x rows, row-major) := a a^T + beta c, a being rows x cols.
template <class T>
void syrk_upper(const T* a, std::size_t rows, std::size_t cols, T beta, T* c) {
  if (rows == 0) return;
  const int n = blas_size(rows), k = blas_size(cols);
  if (k == 0) return;
  if constexpr (std::is_same_v<T, double>)
    cblas_dsyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, k, 1.0, a, k, beta, c, n);
  else
    cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, n, k, 1.0f, a, k, beta, c, n);
}

// A dense layer or a projection of vectors: weight [out, in], rows outer(D_r, A_r).
template <class T>
bool is_dense_like(const LayerFactors<T>& f) {
  return (f.layer->kind == nn::LayerKind::Dense || f.layer->kind == nn::LayerKind::Projection) &&
         f.inputs.dimension() == 2;
}

// Multiply-adds of each form for a dense-like layer with N rows from n examples.
template <class T>
bool factored_is_cheaper(const LayerFactors<T>& f, std::size_t n, std::size_t rows) {
  const double in = double(f.inputs.shape()[1]), out = double(f.cotangents.shape()[1]);
  const double nn_ = double(n), N = double(rows);
  const double factored = nn_ * nn_ * in / 2 + N * N * out / 2 + N * N;
  const double formed = N * in * out + N * N * (in * out + (f.has_bias ? out : 0)) / 2;
  return factored <= formed;
}

}  // namespace

template <class T>
Tensor<T> structured_gram(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                          OutputReduction reduce, std::vector<GramForm>* forms) {
  const LayerSweep<T> sweep = layer_sweep(model, theta, inputs, reduce, "structured_gram");
  const std::size_t n = sweep.examples, k = sweep.rows_per_example, rows = sweep.rows();
  if (forms) forms->clear();
  Tensor<T> g = zeros_of<T>({rows, rows});
  T* gd = g.data();
  std::optional<Tensor<T>> reference;  // computed only if some layer has no gradient rule
  Tensor<T> block, ka, kd;
  for (const LayerFactors<T>& f : sweep.layers) {
    if (is_dense_like(f) && factored_is_cheaper(f, n, rows)) {
      // (A A^T + 1) o (D D^T); rows r and s belong to examples r / k <= s / k.
      const std::size_t in = f.inputs.shape()[1], out = f.cotangents.shape()[1];
      ka = Tensor<T>::from_shape({n, n});
      kd = Tensor<T>::from_shape({rows, rows});
      syrk_upper(f.inputs.data(), n, in, T(0), ka.data());
      syrk_upper(f.cotangents.data(), rows, out, T(0), kd.data());
      const T one = f.has_bias ? T(1) : T(0);
      for (std::size_t r = 0; r < rows; ++r) {
        const T* ka_row = ka.data() + (r / k) * n;
        const T* kd_row = kd.data() + r * rows;
        T* g_row = gd + r * rows;
        // One row per example (k = 1, the usual case) needs no division per entry: an
        // integer division per entry was most of this loop's time on tiny networks.
        if (k == 1)
          for (std::size_t s = r; s < rows; ++s) g_row[s] += (ka_row[s] + one) * kd_row[s];
        else
          for (std::size_t s = r; s < rows; ++s) g_row[s] += (ka_row[s / k] + one) * kd_row[s];
      }
      if (forms) forms->push_back(GramForm::Factored);
      continue;
    }
    block = Tensor<T>::from_shape({rows, f.size});
    if (has_gradient_rule(*f.layer)) {
      layer_gradients(f, k, block.data(), f.size);
      if (forms) forms->push_back(GramForm::Explicit);
    } else {
      if (!reference) reference = reference_jacobian(model, theta, inputs, reduce);
      const std::size_t m = model.parameter_count();
      for (std::size_t r = 0; r < rows; ++r)
        std::copy_n(reference->data() + r * m + f.offset, f.size, block.data() + r * f.size);
      if (forms) forms->push_back(GramForm::Reference);
    }
    syrk_upper(block.data(), rows, f.size, T(1), gd);
  }
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < i; ++j) gd[i * rows + j] = gd[j * rows + i];
  return g;
}

template Tensor<float> structured_gram(const nn::Model<float>&, const Tensor<float>&, const Tensor<float>&,
                                       OutputReduction, std::vector<GramForm>*);
template Tensor<double> structured_gram(const nn::Model<double>&, const Tensor<double>&, const Tensor<double>&,
                                        OutputReduction, std::vector<GramForm>*);

}  // namespace netdim::analysis
