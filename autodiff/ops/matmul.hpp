// Matrix product of 2-D Vars, op(a) @ op(b), through BLAS for float and double.
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <Scalar T> Var<T> matmul(const Var<T>& a, const Var<T>& b, bool trans_a = false, bool trans_b = false);

extern template Var<float> matmul(const Var<float>&, const Var<float>&, bool, bool);
extern template Var<double> matmul(const Var<double>&, const Var<double>&, bool, bool);
extern template Var<Rational> matmul(const Var<Rational>&, const Var<Rational>&, bool, bool);
extern template Var<Modular> matmul(const Var<Modular>&, const Var<Modular>&, bool, bool);

}  // namespace netdim
