// Drawing the graph: a valid SVG from Graphviz with one node per layer, every
// data-flow edge, and the shortcut edges styled apart. Checked on the SVG text.
#include <doctest/doctest.h>

#include <chrono>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "netdim/analysis/report/graph_svg.hpp"
#include "tests/analysis/small_residual_net.hpp"

using namespace netdim;

namespace {

struct SvgElement {
  std::string title;  // Graphviz's <title>: the node name, or "from->to" for an edge
  std::string body;   // the text of the element's <g>...</g>
};

std::string unescape(std::string s) {
  const std::pair<const char*, const char*> entities[] = {
      {"&#45;", "-"}, {"&gt;", ">"}, {"&lt;", "<"}, {"&quot;", "\""}, {"&amp;", "&"}};
  for (const auto& [from, to] : entities)
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + 1))
      s.replace(at, std::string(from).size(), to);
  return s;
}

// The <g class="CLASS"> groups of Graphviz's SVG, with their titles.
std::vector<SvgElement> groups(const std::string& svg, const std::string& cls) {
  std::vector<SvgElement> out;
  const std::string marker = "class=\"" + cls + "\">";
  for (std::size_t at = svg.find(marker); at != std::string::npos; at = svg.find(marker, at + 1)) {
    const std::size_t end = svg.find("</g>", at);
    REQUIRE(end != std::string::npos);
    SvgElement e;
    e.body = svg.substr(at, end - at);
    const std::size_t t0 = e.body.find("<title>"), t1 = e.body.find("</title>");
    REQUIRE(t0 != std::string::npos);
    REQUIRE(t1 != std::string::npos);
    e.title = unescape(e.body.substr(t0 + 7, t1 - t0 - 7));
    out.push_back(e);
  }
  return out;
}

bool dashed(const SvgElement& edge) { return edge.body.find("stroke-dasharray") != std::string::npos; }

}  // namespace

TEST_CASE("graph edges: the skip path of a residual block is the shortcut, its main path is not") {
  const nn::Architecture a = testing::small_residual_net();
  std::map<std::string, bool> shortcut;
  for (const analysis::report::GraphEdge& e : analysis::report::graph_edges(a))
    shortcut[a.layers()[e.from].name + "->" + a.layers()[e.to].name] = e.shortcut;
  const std::map<std::string, bool> expected = {
      {"image->stem", false}, {"stem->leaky", false}, {"leaky->body", false},     {"body->res1", false},
      {"leaky->res1", true},  {"res1->down", false},  {"res1->proj1", true},      {"down->res2", false},
      {"proj1->res2", true},  {"res2->stage1.bn", false}, {"stage1.bn->gap", false}, {"gap->head", false}};
  CHECK(shortcut == expected);
}

TEST_CASE("graph edges: the deeper input of a merge is its main path, whatever the declaration order") {
  // A block whose skip branch (a learned dense, like ResNet's explicit downsample) is
  // written after the main path, then an add of the network input (seed 003's add-inputs).
  nn::Architecture a;
  const auto x = a.input(Shape{4}, "x");
  const auto main2 = a.dense(a.dense(x, 4, {true, {}, {}, "main1"}), 4, {true, {}, {}, "main2"});
  const auto skip = a.dense(x, 4, {true, {}, {}, "skip"});
  const auto sum = a.add({skip, main2}, "sum");
  a.add({x, sum}, "plus_input");
  std::map<std::string, bool> shortcut;
  for (const analysis::report::GraphEdge& e : analysis::report::graph_edges(a))
    shortcut[a.layers()[e.from].name + "->" + a.layers()[e.to].name] = e.shortcut;
  const std::map<std::string, bool> expected = {{"x->main1", false},     {"main1->main2", false},
                                                {"x->skip", false},       {"skip->sum", true},
                                                {"main2->sum", false},    {"x->plus_input", true},
                                                {"sum->plus_input", false}};
  CHECK(shortcut == expected);
}

TEST_CASE("graph SVG: one box per layer, every edge, shortcuts dashed and coloured" * doctest::skip(!analysis::report::graphviz_available())) {
  const nn::Architecture a = testing::small_residual_net();
  const std::string svg = analysis::report::graph_svg(a);
  CHECK(svg.find("<svg") != std::string::npos);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(svg.find("xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);

  const auto nodes = groups(svg, "node");
  REQUIRE(nodes.size() == a.layers().size());
  std::set<std::string> titles;
  for (const auto& n : nodes) titles.insert(n.title);
  for (const nn::Layer& l : a.layers()) CHECK(titles.count(l.name) == 1);

  // Each box shows kind, name, output shape and (when it has any) the parameter count.
  for (const auto& n : nodes) {
    if (n.title == "down") {
      CHECK(n.body.find(">conv2d<") != std::string::npos);
      CHECK(n.body.find(">3x3, stride 2, pad 1<") != std::string::npos);
      CHECK(n.body.find(">[8, 4, 4]<") != std::string::npos);
      CHECK(n.body.find(">296 params<") != std::string::npos);
    }
    if (n.title == "leaky") {
      CHECK(n.body.find(">leaky_relu(0.2)<") != std::string::npos);
      CHECK(n.body.find("params") == std::string::npos);
    }
    if (n.title == "stage1.bn") CHECK(n.body.find(">stage1.bn<") != std::string::npos);
  }

  const auto edges = groups(svg, "edge");
  REQUIRE(edges.size() == 12);
  std::map<std::string, const SvgElement*> by_title;
  for (const auto& e : edges) by_title[e.title] = &e;
  for (const analysis::report::GraphEdge& e : analysis::report::graph_edges(a)) {
    const std::string title = a.layers()[e.from].name + "->" + a.layers()[e.to].name;
    CAPTURE(title);
    REQUIRE(by_title.count(title) == 1);
    const SvgElement& drawn = *by_title[title];
    CHECK(dashed(drawn) == e.shortcut);
    CHECK((drawn.body.find("#d9480f") != std::string::npos) == e.shortcut);
  }
  CHECK(dashed(*by_title["leaky->res1"]));
  CHECK(!dashed(*by_title["body->res1"]));
}

TEST_CASE("graph SVG: torchvision's extra layers show their arguments" * doctest::skip(!analysis::report::graphviz_available())) {
  nn::Architecture a;
  const auto x = a.input(Shape{4, 9, 9});
  const auto m = a.max_pool2d(x, nn::Window2d{{3, 3}, {2, 2}, {0, 0}, {1, 1}}, "pool", true);
  const auto s = a.channel_shuffle(a.adaptive_avg_pool2d(m, {2, 2}, "adaptive"), 2, "shuffle");
  a.dropout(a.flatten(a.chunk(s, 2, 1, "half")), 0.25, "drop");
  std::map<std::string, std::string> body;
  for (const auto& n : groups(analysis::report::graph_svg(a), "node")) body[n.title] = n.body;
  REQUIRE(body.size() == a.layers().size());
  CHECK(body["pool"].find(">3x3, stride 2, ceil mode<") != std::string::npos);
  CHECK(body["adaptive"].find(">adaptive_avg_pool2d<") != std::string::npos);
  CHECK(body["adaptive"].find(">[4, 2, 2]<") != std::string::npos);
  CHECK(body["shuffle"].find(">groups 2<") != std::string::npos);
  CHECK(body["half"].find(">part 1 of 2<") != std::string::npos);
  CHECK(body["drop"].find(">dropout<") != std::string::npos);
  CHECK(body["drop"].find(">p 0.25 (identity)<") != std::string::npos);
}

TEST_CASE("graph SVG: names with markup characters are escaped" * doctest::skip(!analysis::report::graphviz_available())) {
  nn::Architecture a;
  const auto x = a.input(Shape{2}, "in");
  nn::DenseOptions o;
  o.name = "a<b>&\"c\".d";
  a.dense(x, 2, o);
  const std::string svg = analysis::report::graph_svg(a);
  CHECK(svg.find("a&lt;b&gt;&amp;&quot;c&quot;.d") != std::string::npos);
  CHECK(svg.find("a<b>") == std::string::npos);
  CHECK(groups(svg, "node").size() == 2);
  CHECK(groups(svg, "edge").size() == 1);
}

TEST_CASE("graph SVG: written atomically; a failed write leaves nothing" * doctest::skip(!analysis::report::graphviz_available())) {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim_test_graph_svg_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const nn::Architecture a = testing::small_residual_net();
  analysis::report::write_graph_svg(dir / "net.svg", a);
  CHECK(std::filesystem::file_size(dir / "net.svg") > 1000);
  CHECK_THROWS_AS(analysis::report::write_graph_svg(dir / "missing" / "net.svg", a), std::runtime_error);
  CHECK(!std::filesystem::exists(dir / "missing"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("graph SVG: a graph beyond the drawing limit is refused before any layout") {
  nn::Architecture a;
  auto h = a.input(Shape{2}, "in");
  while (a.layers().size() <= analysis::report::kMaxDrawnLayers) h = a.activation(h, nn::Activation::Relu);
  CHECK_THROWS_WITH_AS(analysis::report::graph_svg(a), doctest::Contains("more than the 5000"), std::invalid_argument);
}

TEST_CASE("graph SVG: long shortcuts are counted as dot's virtual nodes, and too many are refused at once") {
  // A chain of residual blocks that each add the network's input: 2k + 1 layers, and the edge
  // from the input into block i's add crosses 2i - 1 ranks.
  const auto residual_chain = [](std::size_t blocks) {
    nn::Architecture a;
    const auto x = a.input(Shape{4}, "x");
    auto h = x;
    for (std::size_t i = 0; i < blocks; ++i) h = a.add({a.activation(h, nn::Activation::Relu), x});
    return a;
  };
  // Hand count for 3 blocks: 7 layers; the input's edges into the adds at ranks 2, 4, 6 cross 1, 3, 5.
  CHECK(analysis::report::layout_nodes(residual_chain(3)) == 7 + 1 + 3 + 5);
  const nn::Architecture big = residual_chain(500);  // 1,001 layers: dot crashed on it after minutes
  CHECK(analysis::report::layout_nodes(big) > analysis::report::kMaxLayoutNodes);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH_AS(analysis::report::graph_svg(big), doctest::Contains("netdim export --json"), std::invalid_argument);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  CHECK(analysis::report::layout_nodes(residual_chain(100)) < analysis::report::kMaxLayoutNodes);
}
