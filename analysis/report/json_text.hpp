// JSON text for people as well as scripts: indented like nlohmann's dump(2),
// except that an array of numbers, strings or booleans stays on one line
// ("shape": [64, 3, 7, 7]), so a graph of a real network stays readable.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace netdim::analysis::report {

// The text ends in a newline. Invalid UTF-8 in strings is replaced, never thrown on.
std::string json_text(const nlohmann::ordered_json& value);

}  // namespace netdim::analysis::report
