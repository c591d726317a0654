#include "netdim/nn/layer_attributes.hpp"

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace netdim::nn {
namespace {

std::string shortest(double v) {
  char buf[64];
  const auto [end, error] = std::to_chars(buf, buf + sizeof buf, v);
  return error == std::errc() ? std::string(buf, end) : std::string("?");
}

bool whole(double v) { return std::isfinite(v) && v == std::floor(v); }

constexpr double kMaxWhole = 9007199254740992.0;  // 2^53

}  // namespace

std::string_view attribute_type_name(AttributeType t) {
  switch (t) {
    case AttributeType::Integer: return "an integer";
    case AttributeType::Real: return "a number";
    case AttributeType::Boolean: return "true or false";
    case AttributeType::Pair: return "an integer or a pair (height, width)";
  }
  return "a value";
}

LayerAttributes& LayerAttributes::set(std::string name, double value) {
  for (AttributeValue& v : values_)
    if (v.name == name) {
      v.type = AttributeType::Real;
      v.value = {value, value};
      return *this;
    }
  values_.push_back({std::move(name), AttributeType::Real, {value, value}});
  return *this;
}

LayerAttributes& LayerAttributes::set(std::string name, std::array<std::size_t, 2> pair) {
  const std::array<double, 2> value{static_cast<double>(pair[0]), static_cast<double>(pair[1])};
  for (AttributeValue& v : values_)
    if (v.name == name) {
      v.type = AttributeType::Pair;
      v.value = value;
      return *this;
    }
  values_.push_back({std::move(name), AttributeType::Pair, value});
  return *this;
}

const AttributeValue* LayerAttributes::find(std::string_view name) const {
  for (const AttributeValue& v : values_)
    if (v.name == name) return &v;
  return nullptr;
}

double LayerAttributes::real(std::string_view name) const {
  if (const AttributeValue* v = find(name)) return v->value[0];
  throw std::out_of_range("layer attribute '" + std::string(name) + "' is not set");
}

std::size_t LayerAttributes::integer(std::string_view name) const { return static_cast<std::size_t>(real(name)); }

bool LayerAttributes::boolean(std::string_view name) const { return real(name) != 0; }

std::array<std::size_t, 2> LayerAttributes::pair(std::string_view name) const {
  const AttributeValue* v = find(name);
  if (!v) throw std::out_of_range("layer attribute '" + std::string(name) + "' is not set");
  return {static_cast<std::size_t>(v->value[0]), static_cast<std::size_t>(v->value[1])};
}

LayerAttributes LayerAttributes::resolved(const std::vector<AttributeSpec>& specs, const std::string& what) const {
  for (const AttributeValue& v : values_) {
    bool known = false;
    for (const AttributeSpec& s : specs) known = known || s.name == v.name;
    if (!known) throw std::invalid_argument(what + " has no attribute '" + v.name + "'");
  }
  LayerAttributes out;
  for (const AttributeSpec& s : specs) {
    AttributeValue v{s.name, s.type, {0, 0}};
    if (const AttributeValue* given = find(s.name)) {
      v.value = given->value;
      if (given->type == AttributeType::Pair && s.type != AttributeType::Pair)
        throw std::invalid_argument(what + ": '" + s.name + "' must be " + std::string(attribute_type_name(s.type)) +
                                    ", not a pair");
    } else if (s.fallback) {
      v.value = {*s.fallback, *s.fallback};
    } else {
      throw std::invalid_argument(what + " needs '" + s.name + "'");
    }
    for (double x : v.value) {
      const bool typed = s.type == AttributeType::Real ? std::isfinite(x)
                         : s.type == AttributeType::Boolean ? (x == 0 || x == 1)
                                                             : whole(x);
      if (!typed)
        throw std::invalid_argument(what + ": '" + s.name + "' must be " + std::string(attribute_type_name(s.type)) +
                                    ", found " + shortest(x));
      // Whole numbers are sizes and counts: at least 0 and at most 2^53 (exact in a double), whatever the range.
      const bool whole_type = s.type == AttributeType::Integer || s.type == AttributeType::Pair;
      if (whole_type && !(x >= 0 && x <= kMaxWhole))
        throw std::invalid_argument(what + ": '" + s.name + "' = " + shortest(x) + " is out of range [0, 2^53]");
      if (s.type != AttributeType::Boolean && !(x >= s.min && x <= s.max))
        throw std::invalid_argument(what + ": '" + s.name + "' = " + shortest(x) + " is out of range [" +
                                    shortest(s.min) + ", " + shortest(s.max) + "]");
    }
    out.values_.push_back(std::move(v));
  }
  return out;
}

std::string attribute_text(const AttributeValue& v) {
  switch (v.type) {
    case AttributeType::Integer:
    case AttributeType::Real: return v.name + "=" + shortest(v.value[0]);
    case AttributeType::Boolean: return v.name + "=" + (v.value[0] != 0 ? "1" : "0");
    case AttributeType::Pair: return v.name + "=" + shortest(v.value[0]) + "x" + shortest(v.value[1]);
  }
  return v.name;
}

}  // namespace netdim::nn
