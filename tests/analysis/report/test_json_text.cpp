// JSON text: the same value as nlohmann's dump, with flat arrays on one line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "netdim/analysis/report/json_text.hpp"

using netdim::analysis::report::json_text;
using Json = nlohmann::ordered_json;

TEST_CASE("json text: flat arrays inline, objects and nested arrays indented") {
  const Json v = {{"name", "a.b"},
                  {"shape", {64, 3, 7, 7}},
                  {"empty", Json::object()},
                  {"none", Json::array()},
                  {"rows", Json::array({Json{{"x", 1.5}}, Json{{"y", true}}})}};
  CHECK(json_text(v) ==
        "{\n"
        "  \"name\": \"a.b\",\n"
        "  \"shape\": [64, 3, 7, 7],\n"
        "  \"empty\": {},\n"
        "  \"none\": [],\n"
        "  \"rows\": [\n"
        "    {\n"
        "      \"x\": 1.5\n"
        "    },\n"
        "    {\n"
        "      \"y\": true\n"
        "    }\n"
        "  ]\n"
        "}\n");
  CHECK(Json::parse(json_text(v)) == v);
  CHECK(json_text(Json(7)) == "7\n");
}

TEST_CASE("json text: strings are escaped, invalid UTF-8 replaced rather than thrown") {
  const Json v = {{"quote\"", "tab\t\xff"}};
  const std::string text = json_text(v);
  CHECK(text.find("\"quote\\\"\"") != std::string::npos);
  CHECK(text.find("tab\\t\xef\xbf\xbd") != std::string::npos);  // U+FFFD
  CHECK_NOTHROW(Json::parse(text));
}
