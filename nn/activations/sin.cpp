#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind sin() {
  return make_activation<ActivationExactness::NotExact>(
      "sin", "sin(x)", [](const auto& x, [[maybe_unused]] double slope) { return netdim::sin(x); });
}

}  // namespace netdim::nn::activations
