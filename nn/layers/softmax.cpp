// softmax(x): torch.softmax(x, dim=1) for one example's first axis: over the features of a
// vector, over the channels at each position of an image; exp of the stable log_softmax.
#include "netdim/nn/layer_type.hpp"

namespace netdim::nn::layers {

LayerType softmax() {
  return make_layer_type<LayerExactness::NotExact>(
      "softmax", "exp(x_i) / sum_j exp(x_j) along the first axis of one example (torch.softmax(x, dim=1))", {},
      []<Scalar T>(const Var<T>& x, const LayerParameters<T>&, const Layer&) { return exp(log_softmax(x, 1)); });
}

}  // namespace netdim::nn::layers
