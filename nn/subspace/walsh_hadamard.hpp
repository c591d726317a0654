// The fast Walsh-Hadamard transform: v <- H v in place, H the unnormalised
// (entries +-1) Sylvester-Hadamard matrix of order n = v.size(), a power of
// two. O(n log n) additions; H is symmetric and H H = n I.
#pragma once

#include <span>

namespace netdim::nn::subspace {

template <class T>
void walsh_hadamard(std::span<T> v);

extern template void walsh_hadamard(std::span<float>);
extern template void walsh_hadamard(std::span<double>);

}  // namespace netdim::nn::subspace
