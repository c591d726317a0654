#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn::activations {

ActivationKind leaky_relu() {
  return make_activation<ActivationExactness::PiecewiseLinear>(
      "leaky_relu", "x for x > 0, slope * x otherwise (slope=0.01)",
      []<class T>(const Var<T>& x, double slope) { return netdim::leaky_relu(x, T(slope)); }, 1, true);
}

}  // namespace netdim::nn::activations
