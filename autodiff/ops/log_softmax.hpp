// log_softmax along one axis, in the stable form x - max - log(sum(exp(x - max))).
#pragma once

#include "netdim/autodiff/apply.hpp"

namespace netdim {

template <FloatingScalar T> Var<T> log_softmax(const Var<T>& x, long axis = -1);
template <class T> Tensor<T> log_softmax(const Tensor<T>& x, std::size_t axis);

extern template Var<float> log_softmax(const Var<float>&, long);
extern template Var<double> log_softmax(const Var<double>&, long);
extern template Tensor<float> log_softmax(const Tensor<float>&, std::size_t);
extern template Tensor<double> log_softmax(const Tensor<double>&, std::size_t);

}  // namespace netdim
