#include "netdim/nn/mlp.hpp"

namespace netdim::nn {

Architecture mlp(std::size_t inputs, const std::vector<std::size_t>& hidden, std::size_t outputs,
                 const MlpOptions& options) {
  Architecture a;
  const auto x0 = a.input(Shape{inputs});
  auto h = x0;
  for (std::size_t width : hidden) {
    const auto layer_input = h;
    h = a.activation(a.dense(h, width), options.activation, 0.01);
    if (options.shortcuts == Shortcuts::AddShortcuts) h = a.shortcut(layer_input, h, options.adapt);
    if (options.shortcuts == Shortcuts::AddInputs) h = a.shortcut(x0, h, options.adapt);
  }
  DenseOptions out;
  out.bias = options.output_bias;
  a.dense(h, outputs, out);
  return a;
}

}  // namespace netdim::nn
