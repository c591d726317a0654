#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind square() {
  return make_activation<ActivationExactness::Polynomial>(
      "square", "x^2", [](const auto& x, [[maybe_unused]] double slope) { return netdim::square(x); }, 2);
}

}  // namespace netdim::nn::activations
