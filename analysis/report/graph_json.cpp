#include "netdim/analysis/report/graph_json.hpp"

#include <nlohmann/json.hpp>

#include "netdim/analysis/count/parameter_table.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/support/atomic_write.hpp"

namespace netdim::analysis::report {
namespace {

using Json = nlohmann::ordered_json;

Json shape_json(const Shape& s) { return Json(std::vector<std::size_t>(s.begin(), s.end())); }

Json pair(const std::array<std::size_t, 2>& hw) { return Json::array({hw[0], hw[1]}); }

Json attributes(const nn::Layer& l) {
  Json a = Json::object();
  switch (l.kind) {
    case nn::LayerKind::Dense:
      a["units"] = l.units;
      a["bias"] = l.bias;
      a["weight_init"] = l.weight_init.describe();
      if (l.bias) a["bias_init"] = l.bias_init.describe();
      break;
    case nn::LayerKind::Conv2d:
      a["out_channels"] = l.units;
      a["kernel"] = pair(l.window.kernel);
      a["stride"] = pair(l.window.stride);
      a["padding"] = pair(l.window.padding);
      a["dilation"] = pair(l.window.dilation);
      a["groups"] = l.groups;
      a["bias"] = l.bias;
      a["weight_init"] = l.weight_init.describe();
      if (l.bias) a["bias_init"] = l.bias_init.describe();
      break;
    case nn::LayerKind::MaxPool2d:
    case nn::LayerKind::AvgPool2d:
      a["kernel"] = pair(l.window.kernel);
      a["stride"] = pair(l.window.stride);
      a["padding"] = pair(l.window.padding);
      a["ceil_mode"] = l.ceil_mode;
      break;
    case nn::LayerKind::AdaptiveAvgPool2d:
      a["size"] = Json::array({l.shape[1], l.shape[2]});
      break;
    case nn::LayerKind::Dropout:
      a["p"] = l.p;
      break;
    case nn::LayerKind::ChannelShuffle:
      a["groups"] = l.groups;
      break;
    case nn::LayerKind::Chunk:
      a["chunks"] = l.chunks;
      a["index"] = l.chunk;
      break;
    case nn::LayerKind::BatchNorm:
      a["weight_init"] = l.weight_init.describe();
      a["bias_init"] = l.bias_init.describe();
      break;
    case nn::LayerKind::Activation:
      a["activation"] = nn::activation_name(l.activation);
      if (l.activation == nn::Activation::LeakyRelu) a["slope"] = l.slope;
      break;
    case nn::LayerKind::Projection:
      if (l.shape.size() == 3) a["stride"] = pair(l.window.stride);
      a["weight_init"] = l.weight_init.describe();
      break;
    case nn::LayerKind::Sample:
      // Images sample both spatial axes; vectors keep every stride-th feature.
      if (l.shape.size() == 3) a["stride"] = pair(l.window.stride);
      else a["stride"] = Json::array({l.window.stride[0]});
      break;
    case nn::LayerKind::Registered:
      for (const nn::AttributeValue& v : l.attributes.values()) {
        if (v.type == nn::AttributeType::Pair) a[v.name] = Json::array({v.value[0], v.value[1]});
        else if (v.type == nn::AttributeType::Boolean) a[v.name] = v.value[0] != 0;
        else if (v.type == nn::AttributeType::Integer) a[v.name] = static_cast<std::int64_t>(v.value[0]);
        else a[v.name] = v.value[0];
      }
      break;
    case nn::LayerKind::Input:
    case nn::LayerKind::GlobalAvgPool:
    case nn::LayerKind::Flatten:
    case nn::LayerKind::Add:
    case nn::LayerKind::Concat:
      break;
  }
  return a;
}

}  // namespace

std::string graph_json(const nn::Architecture& architecture) {
  const auto& layers = architecture.layers();
  const std::vector<std::size_t> parameters = count::parameters_per_layer(architecture);
  Json layer_list = Json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const nn::Layer& l = layers[i];
    Json inputs = Json::array();
    for (std::size_t from : l.inputs) inputs.push_back(layers[from].name);
    layer_list.push_back({{"index", i},
                          {"name", l.name},
                          {"kind", nn::layer_kind_name(l)},
                          {"inputs", inputs},
                          {"shape", shape_json(l.shape)},
                          {"attributes", attributes(l)},
                          {"parameters", parameters[i]}});
  }
  Json blocks = Json::array();
  std::size_t total = 0;
  for (const nn::ParameterBlock& b : architecture.parameter_blocks()) {
    blocks.push_back({{"name", b.name},
                      {"layer", layers[b.layer].name},
                      {"offset", b.offset},
                      {"shape", shape_json(b.shape)},
                      {"size", b.size()}});
    total += b.size();
  }
  const Json graph = {{"format", "netdim-graph"},
                      {"version", 1},
                      {"fingerprint", architecture.fingerprint()},
                      {"input_shape", shape_json(architecture.input_shape())},
                      {"output_shape", shape_json(architecture.output_shape())},
                      {"parameter_count", total},
                      {"layers", layer_list},
                      {"parameter_blocks", blocks}};
  return json_text(graph);
}

void write_graph_json(const std::filesystem::path& path, const nn::Architecture& architecture) {
  const std::string text = graph_json(architecture);
  support::write_text_atomically(path, text);
}

}  // namespace netdim::analysis::report
