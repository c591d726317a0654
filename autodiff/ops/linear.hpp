// linear(x, w, b) = x w^T + b: the dense layer as one operation, like
// PyTorch's addmm. The bias is written into the output first and the product
// is accumulated onto it by one GEMM, so neither pass needs a temporary; the
// reverse rule gives dx and dw by GEMM and db as column sums.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

// x: [N, in], w: [out, in], b: [out]; result [N, out].
template <Scalar T> Var<T> linear(const Var<T>& x, const Var<T>& w, const Var<T>& b);

extern template Var<float> linear(const Var<float>&, const Var<float>&, const Var<float>&);
extern template Var<double> linear(const Var<double>&, const Var<double>&, const Var<double>&);
extern template Var<Rational> linear(const Var<Rational>&, const Var<Rational>&, const Var<Rational>&);
extern template Var<Modular> linear(const Var<Modular>&, const Var<Modular>&, const Var<Modular>&);

}  // namespace netdim
