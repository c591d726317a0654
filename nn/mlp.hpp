// Multilayer perceptrons, plain or with the shortcut styles of seed 003:
//   add-shortcuts  each hidden layer's input is added to its output, F(x) + x
//   add-inputs     the network input is added to every hidden layer's output, F(x) + x0
// The shortcut joins after the activation, skipping weight, bias and activation.
#pragma once

#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::nn {

enum class Shortcuts { None, AddShortcuts, AddInputs };

struct MlpOptions {
  Activation activation = Activation::Relu;
  Shortcuts shortcuts = Shortcuts::None;
  Adapt adapt = Adapt::Identity;  // how a shortcut meets a layer of another width
  bool output_bias = true;
};

Architecture mlp(std::size_t inputs, const std::vector<std::size_t>& hidden, std::size_t outputs,
                 const MlpOptions& options = {});

}  // namespace netdim::nn
