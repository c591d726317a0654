// The nominal dimension of a network (seeds 000 and 001): how many weights and
// biases each layer has, and the total. Built on nn::Architecture::parameter_counts,
// laid out for people (an aligned text table) and for scripts (JSON).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::analysis::count {

struct ParameterRow {
  std::string name;
  nn::LayerKind kind = nn::LayerKind::Input;
  std::string kind_name;  // as the tables print it: a registered type's own name
  std::size_t weights = 0, biases = 0;  // batch norm: scale counts as weights, shift as biases
  std::size_t total() const { return weights + biases; }
};

struct ParameterTable {
  std::vector<ParameterRow> layers;  // the layers that have parameters, in declaration order
  std::size_t weights = 0, biases = 0;
  std::size_t total() const { return weights + biases; }
};

ParameterTable parameter_table(const nn::Architecture& architecture);

// The parameters of every layer (zero for those without), indexed like architecture.layers().
std::vector<std::size_t> parameters_per_layer(const nn::Architecture& architecture);

// Columns layer, kind, weights, biases, total; numbers right-aligned; a last "total" row.
std::string to_text(const ParameterTable& table);

// {"total": N, "weights": N, "biases": N,
//  "layers": [{"name", "kind", "weights", "biases", "total"}, ...]}, indented, ending in a newline.
std::string to_json(const ParameterTable& table);

}  // namespace netdim::analysis::count
