// The Gram matrix J J^T of the per-example Jacobian WITHOUT forming J (seed 003,
// section 6; neural-tangents' structured derivatives). J's columns split by layer,
// so J J^T = sum over parameterised layers l of G_l G_l^T, G_l (n x m_l) being layer
// l's per-example gradients. Each layer takes the cheaper of:
//   factored  a dense (or vector projection) layer with inputs A (n x in) and output
//             cotangents D (n x out) has G_l G_l^T = (A A^T + 1) o (D D^T), the 1 only
//             with a bias, o elementwise: O(n^2 (in + out)) instead of O(n^2 in out);
//   explicit  form G_l from A and D (layer_sweep.hpp) and add G_l G_l^T (BLAS syrk).
// Convolutions, batch norm and image projections take the explicit form: a conv's
// gradient sums over output positions p, so its Gram entry is
// sum_{p,q} (D_i[:, p] . D_j[:, q]) (U_i[:, p] . U_j[:, q]) with U the im2col columns,
// O(n^2 P^2 (out + in k^2)), far above the explicit O(n^2 out in k^2) for any image
// larger than a few pixels. Blocks are formed one layer at a time, so memory peaks at
// about n x max(m_l), not n x m.
#pragma once

#include <vector>

#include "netdim/analysis/jacobian/reference_jacobian.hpp"

namespace netdim::analysis {

// How one layer's contribution was computed.
enum class GramForm { Factored, Explicit, Reference };

// J J^T (n * rows_per_example(k) square, both triangles filled, exactly symmetric) for
// float and double. `forms`, when given, receives each parameterised layer's form in
// order. Throws like reference_jacobian.
template <class T>
Tensor<T> structured_gram(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                          OutputReduction reduce, std::vector<GramForm>* forms = nullptr);

template <class T>
Tensor<T> structured_gram(const nn::Model<T>& model, const Tensor<T>& inputs, OutputReduction reduce,
                          std::vector<GramForm>* forms = nullptr) {
  return structured_gram(model, model.parameters(), inputs, reduce, forms);
}

extern template Tensor<float> structured_gram(const nn::Model<float>&, const Tensor<float>&, const Tensor<float>&,
                                              OutputReduction, std::vector<GramForm>*);
extern template Tensor<double> structured_gram(const nn::Model<double>&, const Tensor<double>&,
                                               const Tensor<double>&, OutputReduction, std::vector<GramForm>*);

}  // namespace netdim::analysis
