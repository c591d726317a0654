// The built-in registered layer types, one file each in nn/layers/, listed in
// builtin_layer_types.cpp (which declares each maker): the registry adds them first.
#pragma once

#include <vector>

#include "netdim/nn/layer_type.hpp"

namespace netdim::nn {

std::vector<LayerType> builtin_layer_types();

}  // namespace netdim::nn
