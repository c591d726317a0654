#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind relu() {
  return make_activation<ActivationExactness::PiecewiseLinear>(
      "relu", "max(x, 0), with derivative 0 at x = 0 (PyTorch's)", [](const auto& x, [[maybe_unused]] double slope) { return netdim::relu(x); });
}

}  // namespace netdim::nn::activations
