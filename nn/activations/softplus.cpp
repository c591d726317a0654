#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind softplus() {
  return make_activation<ActivationExactness::NotExact>(
      "softplus", "log(1 + exp(x))", [](const auto& x, [[maybe_unused]] double slope) { return netdim::softplus(x); });
}

}  // namespace netdim::nn::activations
