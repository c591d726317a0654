// The Gram matrix J J^T of a Jacobian formed explicitly: its eigenvalues are the
// squared singular values of J (seed 003, section 6), at n x n memory instead of
// an SVD of the n x m J. This is the explicit form the structured Gram (built from
// per-layer factors without J) is to be tested against.
#pragma once

#include "netdim/autodiff/tensor.hpp"

namespace netdim::analysis {

// G = J J^T for a 2-D J, both triangles filled (exactly symmetric). BLAS syrk for
// float and double, an exact loop over the upper triangle for Rational. Throws
// ShapeError when J is not 2-D.
template <Scalar T>
Tensor<T> gram(const Tensor<T>& jacobian);

extern template Tensor<float> gram(const Tensor<float>&);
extern template Tensor<double> gram(const Tensor<double>&);
extern template Tensor<Rational> gram(const Tensor<Rational>&);

}  // namespace netdim::analysis
