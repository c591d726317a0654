// Helpers shared by the dsl tests.
#pragma once

#include <string>

#include "dsl/dsl.hpp"

namespace netdim::testing {

inline dsl::LoadResult load(const std::string& text, const std::string& name = "test.net") {
  return dsl::load_source(text, name);
}

// The architecture's describe(), or the rendered diagnostics prefixed by "ERROR\n".
inline std::string describe(const std::string& text) {
  const dsl::LoadResult r = load(text);
  if (!r.ok()) return "ERROR\n" + dsl::render(r.diagnostics);
  return r.architecture->describe();
}

inline std::string errors(const std::string& text, const std::string& name = "test.net") {
  return dsl::render(load(text, name).diagnostics);
}

}  // namespace netdim::testing
