#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind identity() {
  return make_activation<ActivationExactness::Polynomial>(
      "identity", "x", [](const auto& x, [[maybe_unused]] double slope) { return x; });
}

}  // namespace netdim::nn::activations
