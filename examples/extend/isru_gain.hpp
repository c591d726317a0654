// isru_gain(x, alpha=1): a layer type of a user's own: a learned gain per feature, then
// ISRU with its alpha (Carlile et al.: x / sqrt(1 + alpha x^2)), built from the isru
// operation of isru.hpp. The descriptor says everything netdim needs: the attribute with
// its default and range, the parameter block (canonical name isru_gain1.weight, starting at
// 1 like a batch-norm scale), and the forward, composed of autodiff ops so that both modes
// and second order come with it. Registered, it is a function of the language.
#pragma once

#include <cmath>
#include <netdim/nn/layer_type.hpp>

#include "isru.hpp"

namespace extend {

inline netdim::nn::LayerType isru_gain_layer() {
  using namespace netdim;
  nn::LayerType t = nn::make_layer_type<nn::LayerExactness::NotExact>(
      "isru_gain", "isru_alpha(weight * x): a learned gain per feature, then ISRU",
      {{"alpha", nn::AttributeType::Real, 1.0, 1e-6, 100.0, "ISRU's alpha: x / sqrt(1 + alpha x^2)"}},
      []<Scalar T>(const Var<T>& x, const nn::LayerParameters<T>& p, const nn::Layer& l) {
        Shape per_example = x.shape();
        per_example[0] = 1;
        const T root = T(std::sqrt(l.attributes.real("alpha")));
        // isru(sqrt(alpha) u) / sqrt(alpha) = u / sqrt(1 + alpha u^2)
        return isru(x * reshape(*p.weight, per_example) * root) / root;
      });
  t.parameters = [](const Shape& input, const Shape&, const nn::LayerAttributes&) {
    return std::vector<nn::ParameterSpec>{{"weight", input, {1, 1, false, true}}};
  };
  return t;
}

}  // namespace extend
