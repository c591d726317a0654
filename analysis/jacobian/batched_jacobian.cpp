#include "netdim/analysis/jacobian/batched_jacobian.hpp"

#include <algorithm>
#include <optional>

#include "netdim/analysis/jacobian/layer_sweep.hpp"

namespace netdim::analysis {

template <Scalar T>
Tensor<T> batched_jacobian(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                           OutputReduction reduce) {
  const LayerSweep<T> sweep = layer_sweep(model, theta, inputs, reduce, "batched_jacobian");
  const std::size_t rows = sweep.rows(), m = model.parameter_count();
  Tensor<T> jac = zeros_of<T>({rows, m});
  std::optional<Tensor<T>> reference;  // computed only if some layer needs it
  for (const LayerFactors<T>& f : sweep.layers) {
    if (has_gradient_rule(*f.layer)) {
      layer_gradients(f, sweep.rows_per_example, jac.data() + f.offset, m);
      continue;
    }
    if (!reference) reference = reference_jacobian(model, theta, inputs, reduce);
    for (std::size_t r = 0; r < rows; ++r)
      std::copy_n(reference->data() + r * m + f.offset, f.size, jac.data() + r * m + f.offset);
  }
  return jac;
}

#define NETDIM_BATCHED_JACOBIAN_INSTANTIATE(T) \
  template Tensor<T> batched_jacobian(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&, OutputReduction);
NETDIM_BATCHED_JACOBIAN_INSTANTIATE(float)
NETDIM_BATCHED_JACOBIAN_INSTANTIATE(double)
NETDIM_BATCHED_JACOBIAN_INSTANTIATE(Rational)
NETDIM_BATCHED_JACOBIAN_INSTANTIATE(Modular)
#undef NETDIM_BATCHED_JACOBIAN_INSTANTIATE

}  // namespace netdim::analysis
