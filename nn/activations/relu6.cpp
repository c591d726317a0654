#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind relu6() {
  return make_activation<ActivationExactness::PiecewiseLinear>(
      "relu6", "min(max(x, 0), 6), with derivative 0 at x = 0 and x = 6", [](const auto& x, [[maybe_unused]] double slope) { return netdim::relu6(x); });
}

}  // namespace netdim::nn::activations
