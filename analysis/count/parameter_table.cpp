#include "netdim/analysis/count/parameter_table.hpp"

#include <nlohmann/json.hpp>

#include "netdim/analysis/report/json_text.hpp"
#include "netdim/analysis/report/text_table.hpp"

namespace netdim::analysis::count {

ParameterTable parameter_table(const nn::Architecture& architecture) {
  ParameterTable table;
  for (const nn::LayerCount& c : architecture.parameter_counts()) {
    table.layers.push_back({c.name, c.kind, c.kind_name, c.weights, c.biases});
    table.weights += c.weights;
    table.biases += c.biases;
  }
  return table;
}

std::vector<std::size_t> parameters_per_layer(const nn::Architecture& architecture) {
  std::vector<std::size_t> per_layer(architecture.layers().size(), 0);
  for (const nn::ParameterBlock& b : architecture.parameter_blocks()) per_layer[b.layer] += b.size();
  return per_layer;
}

std::string to_text(const ParameterTable& table) {
  report::TextTable text({"layer", "kind", "weights", "biases", "total"}, {false, false, true, true, true});
  for (const ParameterRow& r : table.layers)
    text.add_row({r.name, r.kind_name, std::to_string(r.weights),
                  std::to_string(r.biases), std::to_string(r.total())});
  text.add_row({"total", "", std::to_string(table.weights), std::to_string(table.biases),
                std::to_string(table.total())});
  return text.str();
}

std::string to_json(const ParameterTable& table) {
  nlohmann::ordered_json layers = nlohmann::ordered_json::array();
  for (const ParameterRow& r : table.layers)
    layers.push_back({{"name", r.name},
                      {"kind", r.kind_name},
                      {"weights", r.weights},
                      {"biases", r.biases},
                      {"total", r.total()}});
  const nlohmann::ordered_json j = {
      {"total", table.total()}, {"weights", table.weights}, {"biases", table.biases}, {"layers", layers}};
  return report::json_text(j);
}

}  // namespace netdim::analysis::count
