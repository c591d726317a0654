#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind cube() {
  return make_activation<ActivationExactness::Polynomial>(
      "cube", "x^3", [](const auto& x, [[maybe_unused]] double slope) { return netdim::pow(x, 3); }, 3);
}

}  // namespace netdim::nn::activations
