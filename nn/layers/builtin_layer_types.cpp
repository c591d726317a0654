#include "netdim/nn/layers/builtin_layer_types.hpp"

namespace netdim::nn {
namespace layers {

// One maker per file of nn/layers/.
LayerType layer_norm();
LayerType softmax();

}  // namespace layers

std::vector<LayerType> builtin_layer_types() {
  std::vector<LayerType> all;
  for (LayerType (*make)() : {layers::layer_norm, layers::softmax}) all.push_back(make());
  return all;
}

}  // namespace netdim::nn
