// Adaptive average pooling of [N, C, H, W] batches to a fixed output size, with
// the windows of torch.nn.functional.adaptive_avg_pool2d: output row i averages
// input rows [floor(i H / Ho), ceil((i + 1) H / Ho)), and likewise for columns.
// Windows may overlap, and an output larger than the input repeats inputs. Linear,
// so exact for Rational and Modular too (it divides by integers).
#pragma once

#include "netdim/autodiff/ops/pool2d.hpp"

namespace netdim {

template <Scalar T> Var<T> adaptive_avg_pool2d(const Var<T>& x, Size2d output);

extern template Var<float> adaptive_avg_pool2d(const Var<float>&, Size2d);
extern template Var<double> adaptive_avg_pool2d(const Var<double>&, Size2d);
extern template Var<Rational> adaptive_avg_pool2d(const Var<Rational>&, Size2d);
extern template Var<Modular> adaptive_avg_pool2d(const Var<Modular>&, Size2d);

}  // namespace netdim
