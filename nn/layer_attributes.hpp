// The typed attributes of a registered layer type: what the language accepts after the
// layer's input (`layer_norm(x, eps=1e-5)`), with defaults and ranges, and the values one
// layer holds. Every value is checked once, when the layer is built (Architecture::registered),
// whether it came from a `.net` file or from C++.
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netdim::nn {

enum class AttributeType {
  Integer,  // a whole number in [min, max], and in [0, 2^53] (a size or a count)
  Real,     // a finite number in [min, max]
  Boolean,  // true or false
  Pair,     // (height, width), or one integer for both; each in [min, max] and [0, 2^53]
};

std::string_view attribute_type_name(AttributeType t);  // "an integer", "a number", ...

struct AttributeSpec {
  std::string name;  // a word of the language: [a-z_][a-z0-9_]*, not `x`
  AttributeType type = AttributeType::Real;
  std::optional<double> fallback;  // the default (both entries of a pair); none: the attribute is required
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  std::string summary;  // one line for docs and help
};

// One attribute's value: a pair's two entries, or the value twice.
struct AttributeValue {
  std::string name;
  AttributeType type = AttributeType::Real;
  std::array<double, 2> value{0, 0};
};

// The values of one layer, in its type's order once the layer is built.
class LayerAttributes {
 public:
  LayerAttributes() = default;

  LayerAttributes& set(std::string name, double value);
  LayerAttributes& set(std::string name, std::array<std::size_t, 2> pair);

  bool has(std::string_view name) const { return find(name) != nullptr; }
  // Each throws std::out_of_range for an attribute the layer does not have.
  double real(std::string_view name) const;
  std::size_t integer(std::string_view name) const;
  bool boolean(std::string_view name) const;
  std::array<std::size_t, 2> pair(std::string_view name) const;

  const std::vector<AttributeValue>& values() const { return values_; }
  // The values checked against `specs`, defaults filled in, in the specs' order. Throws
  // std::invalid_argument naming `what` for an unknown or missing attribute, or a value of
  // the wrong type or out of range.
  LayerAttributes resolved(const std::vector<AttributeSpec>& specs, const std::string& what) const;

  bool operator==(const LayerAttributes&) const = default;

 private:
  const AttributeValue* find(std::string_view name) const;
  std::vector<AttributeValue> values_;
};

// `name=value` as describe() and the graph reports spell it: integers as integers, reals in
// the shortest form that reads back to the same double, booleans 0/1, pairs HxW.
std::string attribute_text(const AttributeValue& v);

}  // namespace netdim::nn
