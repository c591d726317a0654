#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind silu() {
  return make_activation<ActivationExactness::NotExact>(
      "silu", "x * sigmoid(x) (swish; PyTorch's SiLU)", [](const auto& x, [[maybe_unused]] double slope) { return x * netdim::sigmoid(x); });
}

}  // namespace netdim::nn::activations
