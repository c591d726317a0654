// The architecture as JSON: header, layers with inputs by name and their attributes,
// parameter blocks with offsets in the flat vector.
#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "netdim/analysis/report/graph_json.hpp"
#include "tests/analysis/small_residual_net.hpp"

using namespace netdim;
using Json = nlohmann::json;

namespace {
const Json& layer_named(const Json& graph, const std::string& name) {
  for (const Json& l : graph.at("layers"))
    if (l.at("name") == name) return l;
  FAIL("no layer " << name);
  return graph;
}
}  // namespace

TEST_CASE("graph JSON: header and one entry per layer, inputs by name") {
  const nn::Architecture a = testing::small_residual_net();
  const Json g = Json::parse(analysis::report::graph_json(a));
  CHECK(g.at("format") == "netdim-graph");
  CHECK(g.at("version") == 1);
  CHECK(g.at("fingerprint") == a.fingerprint());
  CHECK(g.at("input_shape") == Json::array({1, 8, 8}));
  CHECK(g.at("output_shape") == Json::array({3}));
  CHECK(g.at("parameter_count") == 555);
  REQUIRE(g.at("layers").size() == a.layers().size());
  for (std::size_t i = 0; i < a.layers().size(); ++i) {
    const Json& l = g.at("layers")[i];
    CHECK(l.at("index") == i);
    CHECK(l.at("name") == a.layers()[i].name);
  }
  CHECK(layer_named(g, "res1").at("inputs") == Json::array({"body", "leaky"}));
  CHECK(layer_named(g, "res2").at("inputs") == Json::array({"down", "proj1"}));
  CHECK(layer_named(g, "proj1").at("inputs") == Json::array({"res1"}));
  CHECK(layer_named(g, "image").at("inputs") == Json::array());
  CHECK(layer_named(g, "down").at("shape") == Json::array({8, 4, 4}));
  CHECK(layer_named(g, "stem").at("parameters") == 40);
  CHECK(layer_named(g, "res1").at("parameters") == 0);
}

TEST_CASE("graph JSON: each kind lists only the attributes it uses") {
  const Json g = Json::parse(analysis::report::graph_json(testing::small_residual_net()));
  const Json& down = layer_named(g, "down").at("attributes");
  CHECK(down == Json{{"out_channels", 8},
                     {"kernel", {3, 3}},
                     {"stride", {2, 2}},
                     {"padding", {1, 1}},
                     {"dilation", {1, 1}},
                     {"groups", 1},
                     {"bias", true},
                     {"weight_init", "pytorch"},
                     {"bias_init", "pytorch"}});
  const Json& body = layer_named(g, "body").at("attributes");
  CHECK(body.at("bias") == false);
  CHECK(!body.contains("bias_init"));
  CHECK(body.at("weight_init") == "normal(0.1)");
  CHECK(layer_named(g, "leaky").at("attributes") == Json{{"activation", "leaky_relu"}, {"slope", 0.2}});
  CHECK(layer_named(g, "head").at("attributes") ==
        Json{{"units", 3}, {"bias", true}, {"weight_init", "pytorch"}, {"bias_init", "pytorch"}});
  CHECK(layer_named(g, "proj1").at("attributes") == Json{{"stride", {2, 2}}, {"weight_init", "pytorch"}});
  CHECK(layer_named(g, "res1").at("attributes") == Json::object());
  CHECK(layer_named(g, "gap").at("attributes") == Json::object());
  CHECK(layer_named(g, "image").at("attributes") == Json::object());
}

TEST_CASE("graph JSON: parameter blocks tile the flat vector in order") {
  const nn::Architecture a = testing::small_residual_net();
  const Json g = Json::parse(analysis::report::graph_json(a));
  const Json& blocks = g.at("parameter_blocks");
  const std::vector<std::string> names = {"stem.weight", "stem.bias",       "body.weight",    "down.weight",
                                          "down.bias",   "proj1.weight",    "stage1.bn.weight", "stage1.bn.bias",
                                          "head.weight", "head.bias"};
  REQUIRE(blocks.size() == names.size());
  std::size_t offset = 0;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    CAPTURE(i);
    const Json& b = blocks[i];
    CHECK(b.at("name") == names[i]);
    CHECK(b.at("offset") == offset);  // cumulative sizes
    std::size_t product = 1;
    for (const Json& d : b.at("shape")) product *= d.get<std::size_t>();
    CHECK(b.at("size") == product);
    offset += product;
  }
  CHECK(offset == 555);
  CHECK(blocks[3].at("layer") == "down");
  CHECK(blocks[3].at("shape") == Json::array({8, 4, 3, 3}));
  CHECK(blocks[5].at("shape") == Json::array({8, 4, 1, 1}));
}

TEST_CASE("graph JSON: written atomically, nothing left behind on failure") {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim_test_graph_json_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const nn::Architecture a = testing::small_residual_net();
  analysis::report::write_graph_json(dir / "net.json", a);
  std::ifstream in(dir / "net.json");
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == analysis::report::graph_json(a));
  CHECK_THROWS_AS(analysis::report::write_graph_json(dir / "missing" / "net.json", a), std::runtime_error);
  CHECK(!std::filesystem::exists(dir / "missing"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("graph JSON: torchvision's extra layers and their attributes") {
  nn::Architecture a;
  const auto x = a.input(Shape{4, 9, 9});
  const auto m = a.max_pool2d(x, nn::Window2d{{3, 3}, {2, 2}, {0, 0}, {1, 1}}, "pool", true);
  const auto s = a.channel_shuffle(a.adaptive_avg_pool2d(m, {2, 3}, "adaptive"), 2, "shuffle");
  a.dropout(a.flatten(a.chunk(s, 2, 1, "half")), 0.25, "drop");
  const Json g = Json::parse(analysis::report::graph_json(a));
  CHECK(layer_named(g, "pool").at("attributes") ==
        Json{{"kernel", {3, 3}}, {"stride", {2, 2}}, {"padding", {0, 0}}, {"ceil_mode", true}});
  CHECK(layer_named(g, "pool").at("shape") == Json::array({4, 4, 4}));
  CHECK(layer_named(g, "adaptive").at("kind") == "adaptive_avg_pool2d");
  CHECK(layer_named(g, "adaptive").at("attributes") == Json{{"size", {2, 3}}});
  CHECK(layer_named(g, "shuffle").at("attributes") == Json{{"groups", 2}});
  CHECK(layer_named(g, "half").at("attributes") == Json{{"chunks", 2}, {"index", 1}});
  CHECK(layer_named(g, "half").at("shape") == Json::array({2, 2, 3}));
  CHECK(layer_named(g, "drop").at("kind") == "dropout");
  CHECK(layer_named(g, "drop").at("attributes") == Json{{"p", 0.25}});
}
