#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind sigmoid() {
  return make_activation<ActivationExactness::NotExact>(
      "sigmoid", "1 / (1 + exp(-x))", [](const auto& x, [[maybe_unused]] double slope) { return netdim::sigmoid(x); });
}

}  // namespace netdim::nn::activations
