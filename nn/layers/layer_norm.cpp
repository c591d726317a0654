// layer_norm(x, eps=1e-5, affine=true): torch.nn.LayerNorm over the whole of one example
// (normalized_shape = the input's shape): (x - mean) / sqrt(var + eps), the biased variance,
// then a learned elementwise scale (weight, starting at 1) and shift (bias, starting at 0).
#include <limits>

#include "netdim/nn/layer_type.hpp"

namespace netdim::nn::layers {

LayerType layer_norm() {
  LayerType t = make_layer_type<LayerExactness::NotExact>(
      "layer_norm", "(x - mean) / sqrt(var + eps) over each example, then weight * . + bias (torch.nn.LayerNorm)",
      {{"eps", AttributeType::Real, 1e-5, std::numeric_limits<double>::min(), 1.0, "added to the variance"},
       {"affine", AttributeType::Boolean, 1.0, 0, 1, "a learned elementwise weight and bias"}},
      []<Scalar T>(const Var<T>& x, const LayerParameters<T>& p, const Layer& l) {
        using V = Var<T>;
        const Shape shape = x.shape();
        const V flat = reshape(x, Shape{shape[0], x.size() / shape[0]});
        const V centred = flat - mean(flat, 1, true);
        const V variance = mean(centred * centred, 1, true);
        V y = reshape(centred / netdim::sqrt(variance + T(l.attributes.real("eps"))), shape);
        if (!p.weight) return y;
        Shape per_example = shape;
        per_example[0] = 1;
        return y * reshape(*p.weight, per_example) + reshape(*p.bias, per_example);
      });
  t.parameters = [](const Shape&, const Shape& out, const LayerAttributes& a) {
    std::vector<ParameterSpec> blocks;
    if (!a.boolean("affine")) return blocks;
    blocks.push_back({"weight", out, {1, 1, false, true}});
    blocks.push_back({"bias", out, {0, 1, true, false}});
    return blocks;
  };
  return t;
}

}  // namespace netdim::nn::layers
