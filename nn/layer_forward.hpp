// How each layer kind computes its output from its inputs and parameter views.
// Model::forward walks the graph and calls this once per layer.
#pragma once

#include <optional>
#include <vector>

#include "netdim/autodiff/ops/conv2d.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::nn {

template <Scalar T>
struct LayerParameters {
  std::optional<Var<T>> weight, bias;
};

// The convolution geometry of a conv2d or image projection layer.
Conv2dGeometry conv_geometry(const Layer& layer);

// `inputs` are the values of layer.inputs, batch axis first.
template <Scalar T>
Var<T> layer_forward(const Layer& layer, const std::vector<Var<T>>& inputs, const LayerParameters<T>& params);

extern template Var<float> layer_forward(const Layer&, const std::vector<Var<float>>&, const LayerParameters<float>&);
extern template Var<double> layer_forward(const Layer&, const std::vector<Var<double>>&, const LayerParameters<double>&);
extern template Var<Rational> layer_forward(const Layer&, const std::vector<Var<Rational>>&,
                                            const LayerParameters<Rational>&);
extern template Var<Modular> layer_forward(const Layer&, const std::vector<Var<Modular>>&,
                                           const LayerParameters<Modular>&);

}  // namespace netdim::nn
