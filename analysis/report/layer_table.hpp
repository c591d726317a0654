// The flat layer table of `netdim check`: every layer with its kind, output
// shape and parameter count, in declaration order.
#pragma once

#include <string>

#include "netdim/nn/architecture.hpp"

namespace netdim::analysis::report {

// How a layer's kind is shown to people: the kind name, except that an
// activation layer shows its function ("relu", "leaky_relu(0.2)").
std::string kind_label(const nn::Layer& layer);

// Columns layer, kind, shape, parameters (numbers right-aligned); one line per layer.
std::string layer_table(const nn::Architecture& architecture);

}  // namespace netdim::analysis::report
