#include "netdim/analysis/report/layer_table.hpp"

#include <sstream>

#include "netdim/analysis/count/parameter_table.hpp"
#include "netdim/analysis/report/text_table.hpp"

namespace netdim::analysis::report {

std::string kind_label(const nn::Layer& layer) {
  if (layer.kind != nn::LayerKind::Activation) return std::string(nn::layer_kind_name(layer));
  std::string label(nn::activation_name(layer.activation));
  if (layer.activation.kind().has_slope) {
    std::ostringstream slope;
    slope << '(' << layer.slope << ')';
    label += slope.str();
  }
  return label;
}

std::string layer_table(const nn::Architecture& architecture) {
  const std::vector<std::size_t> parameters = count::parameters_per_layer(architecture);
  TextTable table({"layer", "kind", "shape", "parameters"}, {false, false, false, true});
  for (std::size_t i = 0; i < architecture.layers().size(); ++i) {
    const nn::Layer& l = architecture.layers()[i];
    table.add_row({l.name, kind_label(l), shape_string(l.shape), std::to_string(parameters[i])});
  }
  return table.str();
}

}  // namespace netdim::analysis::report
