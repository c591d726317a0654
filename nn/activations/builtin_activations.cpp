#include "netdim/nn/activations/builtin_activations.hpp"

namespace netdim::nn {

std::vector<ActivationKind> builtin_activations() {
  using namespace activations;
  std::vector<ActivationKind> all;
  for (ActivationKind (*make)() :
       {identity, relu, leaky_relu, sigmoid, tanh, softplus, square, cube, sin, relu6, silu, mish})
    all.push_back(make());
  return all;
}

}  // namespace netdim::nn
