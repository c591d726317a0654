#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind tanh() {
  return make_activation<ActivationExactness::NotExact>(
      "tanh", "tanh(x)", [](const auto& x, [[maybe_unused]] double slope) { return netdim::tanh(x); });
}

}  // namespace netdim::nn::activations
