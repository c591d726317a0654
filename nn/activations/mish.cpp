#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind mish() {
  return make_activation<ActivationExactness::NotExact>(
      "mish", "x * tanh(softplus(x)) (Misra 2019; PyTorch's Mish)",
      [](const auto& x, double) { return x * netdim::tanh(netdim::softplus(x)); });
}

}  // namespace netdim::nn::activations
