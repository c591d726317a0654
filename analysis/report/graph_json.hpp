// The architecture as JSON, for scripts (`netdim export --json`):
//   {"format": "netdim-graph", "version": 1, "fingerprint", "input_shape", "output_shape",
//    "parameter_count",
//    "layers": [{"index", "name", "kind", "inputs": [layer names], "shape",
//                "attributes": {only those the kind uses}, "parameters"}],
//    "parameter_blocks": [{"name", "layer": layer name, "offset", "shape", "size"}]}
// Offsets index the canonical flat parameter vector (nn::ParameterBlock::offset).
// Attribute keys by kind: dense units, bias, weight_init, bias_init; conv2d
// out_channels, kernel, stride, padding, dilation, groups, bias, weight_init,
// bias_init; pooling kernel, stride, padding, ceil_mode; adaptive_avg_pool2d size;
// batch_norm weight_init, bias_init; activation activation (+ slope for
// leaky_relu); projection stride (images), weight_init; sample stride; dropout p;
// channel_shuffle groups; chunk chunks, index. Windows are [height, width]; initialisers are
// written as nn::Initializer::describe() ("pytorch", "normal(0.1)").
#pragma once

#include <filesystem>
#include <string>

#include "netdim/nn/architecture.hpp"

namespace netdim::analysis::report {

// Indented JSON text ending in a newline.
std::string graph_json(const nn::Architecture& architecture);

// Writes graph_json() with support::write_atomically (nothing half-written; throws data::DataError).
void write_graph_json(const std::filesystem::path& path, const nn::Architecture& architecture);

}  // namespace netdim::analysis::report
