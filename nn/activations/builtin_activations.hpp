// The built-in activations, one file each in this folder, and their list.
#pragma once

#include <vector>

#include "netdim/nn/activation.hpp"

namespace netdim::nn::activations {

// One descriptor per file of this folder.
ActivationKind identity();
ActivationKind relu();
ActivationKind leaky_relu();
ActivationKind sigmoid();
ActivationKind tanh();
ActivationKind softplus();
ActivationKind square();
ActivationKind cube();
ActivationKind sin();
ActivationKind relu6();
ActivationKind silu();
ActivationKind mish();

}  // namespace netdim::nn::activations

namespace netdim::nn {

// Every built-in, in the order of the registry: the first ten in the order of the named
// constants of Activation (Identity = 0, ..., Relu6 = 9), then the later ones.
std::vector<ActivationKind> builtin_activations();

}  // namespace netdim::nn
