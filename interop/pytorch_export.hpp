// PyTorch out: a self-contained Python file defining an nn.Module that computes the network as
// netdim does, whose state_dict has netdim's parameter names (dense1.weight, layer1.0.conv1.weight)
// in canonical order, with load_netdim_npy / save_netdim_npy to move the flat .npy vector in and out.
#pragma once

#include <string>

#include "netdim/nn/architecture.hpp"

namespace netdim::interop {

// The Python source. Throws std::invalid_argument for a layer with no PyTorch spelling here (a
// registered type other than softmax and layer_norm, an activation registered from C++).
std::string export_pytorch(const nn::Architecture& architecture, const std::string& class_name = "Net");

}  // namespace netdim::interop
