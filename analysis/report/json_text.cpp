#include "netdim/analysis/report/json_text.hpp"

#include <nlohmann/json.hpp>

namespace netdim::analysis::report {
namespace {

using Json = nlohmann::ordered_json;

std::string scalar(const Json& v) { return v.dump(-1, ' ', false, Json::error_handler_t::replace); }

bool is_flat_array(const Json& v) {
  if (!v.is_array()) return false;
  for (const Json& e : v)
    if (e.is_structured()) return false;
  return true;
}

void write(const Json& v, std::size_t depth, std::string& out) {
  const std::string indent(2 * depth + 2, ' '), closing(2 * depth, ' ');
  if (v.is_object() && !v.empty()) {
    out += "{\n";
    std::size_t i = 0;
    for (const auto& [key, value] : v.items()) {
      out += indent + scalar(Json(key)) + ": ";
      write(value, depth + 1, out);
      out += ++i < v.size() ? ",\n" : "\n";
    }
    out += closing + "}";
  } else if (v.is_array() && !v.empty() && !is_flat_array(v)) {
    out += "[\n";
    for (std::size_t i = 0; i < v.size(); ++i) {
      out += indent;
      write(v[i], depth + 1, out);
      out += i + 1 < v.size() ? ",\n" : "\n";
    }
    out += closing + "]";
  } else if (v.is_array()) {
    out += "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i > 0) out += ", ";
      out += scalar(v[i]);
    }
    out += "]";
  } else {
    out += scalar(v);  // scalars, {} and []
  }
}

}  // namespace

std::string json_text(const nlohmann::ordered_json& value) {
  std::string out;
  write(value, 0, out);
  return out + "\n";
}

}  // namespace netdim::analysis::report
