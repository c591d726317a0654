#include "netdim/analysis/report/graph_svg.hpp"

#ifndef NETDIM_WITHOUT_GRAPHVIZ  // -Dgraphviz=disabled, or libgraphviz-dev missing at configure time
#include <graphviz/gvc.h>
#endif

#include <algorithm>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "netdim/analysis/count/parameter_table.hpp"
#include "netdim/analysis/report/layer_table.hpp"
#include "netdim/support/atomic_write.hpp"

// Graphviz, and the font libraries its text layout loads (fontconfig, pango, glib),
// keep process-wide caches that they never free. Under LeakSanitizer
// (-Db_sanitize=address) every program that draws would then fail at exit; these
// hooks suppress leaks inside those libraries only, so ours still show.
extern "C" __attribute__((visibility("default"))) const char* __lsan_default_suppressions() {
  return "leak:libgvc.so\nleak:libcgraph.so\nleak:libgvplugin_\nleak:libfontconfig.so\nleak:libpango\n"
         "leak:libglib\nleak:libgobject\nleak:libcairo\n";
}
extern "C" __attribute__((visibility("default"))) const char* __lsan_default_options() {
  return "print_suppressions=0";
}

namespace netdim::analysis::report {
namespace {

bool is_adapter(const nn::Layer& l) { return l.kind == nn::LayerKind::Projection || l.kind == nn::LayerKind::Sample; }

#ifndef NETDIM_WITHOUT_GRAPHVIZ

// Header colours after Netron's palette: learned layers blue, activations red,
// pooling green, normalisation teal, reshaping brown, shortcut adaptations orange.
const char* header_colour(nn::LayerKind k) {
  switch (k) {
    case nn::LayerKind::Dense:
    case nn::LayerKind::Conv2d: return "#335588";
    case nn::LayerKind::Activation: return "#702921";
    case nn::LayerKind::MaxPool2d:
    case nn::LayerKind::AvgPool2d:
    case nn::LayerKind::AdaptiveAvgPool2d:
    case nn::LayerKind::GlobalAvgPool: return "#335533";
    case nn::LayerKind::BatchNorm: return "#335544";
    case nn::LayerKind::Flatten:
    case nn::LayerKind::Concat:
    case nn::LayerKind::ChannelShuffle:
    case nn::LayerKind::Chunk: return "#6c4f47";
    case nn::LayerKind::Projection:
    case nn::LayerKind::Sample: return "#b04a12";
    case nn::LayerKind::Input:
    case nn::LayerKind::Add:
    case nn::LayerKind::Dropout:
    case nn::LayerKind::Registered: return "#444444";
  }
  return "#444444";
}
constexpr const char* kShortcutColour = "#d9480f";

// Text for an HTML-like Graphviz label: markup characters escaped, and bytes
// outside printable ASCII shown as '?' (Graphviz rejects invalid UTF-8).
std::string html_text(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '"') out += "&quot;";
    else if (c < 0x20 || c >= 0x7f) out += '?';
    else out += static_cast<char>(c);
  }
  return out;
}

std::string with_thousands(std::size_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string window_text(const std::array<std::size_t, 2>& v) {
  return v[0] == v[1] ? std::to_string(v[0]) : std::to_string(v[0]) + "x" + std::to_string(v[1]);
}

// The geometry a kind adds to its box ("3x3, stride 2, pad 1"), empty when none.
std::string details(const nn::Layer& l) {
  std::string d;
  const auto add = [&](const std::string& part) { d += (d.empty() ? "" : ", ") + part; };
  const nn::Window2d& w = l.window;
  const std::array<std::size_t, 2> one{1, 1}, zero{0, 0};
  switch (l.kind) {
    case nn::LayerKind::Conv2d:
    case nn::LayerKind::MaxPool2d:
    case nn::LayerKind::AvgPool2d:
      add(std::to_string(w.kernel[0]) + "x" + std::to_string(w.kernel[1]));
      if (w.stride != one) add("stride " + window_text(w.stride));
      if (w.padding != zero) add("pad " + window_text(w.padding));
      if (w.dilation != one) add("dilation " + window_text(w.dilation));
      if (l.kind == nn::LayerKind::Conv2d && l.groups != 1) add("groups " + std::to_string(l.groups));
      if (l.kind == nn::LayerKind::Conv2d && !l.bias) add("no bias");
      if (l.ceil_mode) add("ceil mode");
      break;
    case nn::LayerKind::Dropout: {
      std::ostringstream p;
      p << "p " << l.p << " (identity)";
      add(p.str());
      break;
    }
    case nn::LayerKind::ChannelShuffle: add("groups " + std::to_string(l.groups)); break;
    case nn::LayerKind::Chunk: add("part " + std::to_string(l.chunk) + " of " + std::to_string(l.chunks)); break;
    case nn::LayerKind::Dense:
      if (!l.bias) add("no bias");
      break;
    case nn::LayerKind::Projection:
    case nn::LayerKind::Sample:
      if (w.stride != one) add("stride " + window_text(w.stride));
      break;
    case nn::LayerKind::Registered:
      for (const nn::AttributeValue& v : l.attributes.values()) add(nn::attribute_text(v));
      break;
    case nn::LayerKind::Input:
    case nn::LayerKind::GlobalAvgPool:
    case nn::LayerKind::Flatten:
    case nn::LayerKind::BatchNorm:
    case nn::LayerKind::Activation:
    case nn::LayerKind::Add:
    case nn::LayerKind::Concat:
    case nn::LayerKind::AdaptiveAvgPool2d:
      break;
  }
  return d;
}

std::string node_label(const nn::Layer& l, std::size_t parameters) {
  std::string html = "<table border=\"1\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"3\" style=\"rounded\" "
                     "color=\"#8a8a8a\" bgcolor=\"#fbfbfb\">";
  html += "<tr><td bgcolor=\"" + std::string(header_colour(l.kind)) + "\"><font color=\"white\"><b>" +
          html_text(kind_label(l)) + "</b></font></td></tr>";
  if (const std::string d = details(l); !d.empty())
    html += "<tr><td><font point-size=\"10\">" + html_text(d) + "</font></td></tr>";
  html += "<tr><td><font color=\"#555555\">" + html_text(l.name) + "</font></td></tr>";
  html += "<tr><td>" + html_text(shape_string(l.shape)) + "</td></tr>";
  if (parameters > 0)
    html += "<tr><td><font point-size=\"10\" color=\"#555555\">" + with_thousands(parameters) +
            " params</font></td></tr>";
  return html + "</table>";
}

// Graphviz reports errors through a global callback; collect them for the exception.
std::string graphviz_errors;
int collect_graphviz_error(char* message) {
  graphviz_errors += message;
  return 0;
}

// One Graphviz context for the whole process, never freed: Graphviz 2.43's pango
// text layout keeps a pointer to the last font name it measured, which lives in the
// context's font cache; a second context would strcmp freed memory (found by ASan
// when a test draws twice).
GVC_t* shared_context() {
  static GVC_t* const context = gvContext();
  return context;
}

struct GraphvizSession {
  GVC_t* context = shared_context();
  Agraph_t* graph = nullptr;
  bool laid_out = false;
  agusererrf previous_handler = agseterrf(collect_graphviz_error);
  GraphvizSession() { graphviz_errors.clear(); }
  ~GraphvizSession() {
    if (laid_out) gvFreeLayout(context, graph);
    if (graph) agclose(graph);
    agseterrf(previous_handler);
  }
  GraphvizSession(const GraphvizSession&) = delete;
  GraphvizSession& operator=(const GraphvizSession&) = delete;
};

// cgraph's API takes char* for strings it only reads.
char* c(const std::string& s) { return const_cast<char*>(s.c_str()); }

std::runtime_error graphviz_failure(const std::string& what) {
  std::string message = graphviz_errors;
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (char& ch : message)
    if (ch == '\n') ch = ' ';
  return std::runtime_error("graphviz: " + what + (message.empty() ? "" : ": " + message));
}
#endif  // NETDIM_WITHOUT_GRAPHVIZ

}  // namespace

bool graphviz_available() {
#ifdef NETDIM_WITHOUT_GRAPHVIZ
  return false;
#else
  return true;
#endif
}

std::vector<GraphEdge> graph_edges(const nn::Architecture& architecture) {
  const auto& layers = architecture.layers();
  // depth: the longest path from the input, in layers; adaptations add nothing, so a
  // projected skip is never deeper than the block it skips.
  std::vector<std::size_t> depth(layers.size(), 0);
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (std::size_t from : layers[i].inputs)
      depth[i] = std::max(depth[i], depth[from] + (is_adapter(layers[i]) ? 0 : 1));
  std::vector<GraphEdge> edges;
  for (std::size_t to = 0; to < layers.size(); ++to) {
    const nn::Layer& target = layers[to];
    const bool merges = target.kind == nn::LayerKind::Add || target.kind == nn::LayerKind::Concat;
    // The main input of a merge: the deepest one, the latest declared among equals.
    std::size_t main = to;
    if (merges)
      for (std::size_t from : target.inputs)
        if (main == to || depth[from] > depth[main] || (depth[from] == depth[main] && from > main)) main = from;
    for (std::size_t from : target.inputs) {
      const bool shortcut = is_adapter(target) || is_adapter(layers[from]) || (merges && from != main);
      edges.push_back({from, to, shortcut});
    }
  }
  return edges;
}

std::size_t layout_nodes(const nn::Architecture& architecture) {
  const auto& layers = architecture.layers();
  std::vector<std::size_t> rank(layers.size(), 0);  // dot's ranks: the longest path from the input
  std::size_t nodes = layers.size();
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (std::size_t from : layers[i].inputs) rank[i] = std::max(rank[i], rank[from] + 1);
  for (std::size_t i = 0; i < layers.size(); ++i)
    for (std::size_t from : layers[i].inputs) nodes += rank[i] - rank[from] - 1;
  return nodes;
}

std::string graph_svg(const nn::Architecture& architecture) {
  const auto& layers = architecture.layers();
  if (layers.size() > kMaxDrawnLayers)
    throw std::invalid_argument("draw: " + std::to_string(layers.size()) + " layers are more than the " +
                                std::to_string(kMaxDrawnLayers) + " that can be laid out");
  if (const std::size_t nodes = layout_nodes(architecture); nodes > kMaxLayoutNodes)
    throw std::invalid_argument("draw: laying out these " + std::to_string(layers.size()) + " layers takes " +
                                std::to_string(nodes) + " Graphviz nodes (its long shortcuts cross many ranks), more "
                                "than the " + std::to_string(kMaxLayoutNodes) +
                                " it lays out in seconds; `netdim export --json` gives the graph as data");
#ifdef NETDIM_WITHOUT_GRAPHVIZ
  throw std::runtime_error("draw: this netdim was built without Graphviz, which lays out the SVG (install "
                           "libgraphviz-dev and reconfigure with -Dgraphviz=enabled); `netdim export --json` "
                           "gives the graph as data");
#else
  const std::vector<std::size_t> parameters = count::parameters_per_layer(architecture);

  GraphvizSession gv;
  if (!gv.context) throw graphviz_failure("cannot create a context");
  gv.graph = agopen(c("netdim"), Agdirected, nullptr);
  if (!gv.graph) throw graphviz_failure("cannot create a graph");
  Agraph_t* g = gv.graph;
  const std::string font = "Helvetica,Arial,sans-serif";
  agattr(g, AGRAPH, c("fontname"), c(font));
  agattr(g, AGRAPH, c("fontsize"), c("12"));
  agattr(g, AGRAPH, c("nodesep"), c("0.3"));
  agattr(g, AGRAPH, c("ranksep"), c("0.3"));
  agattr(g, AGRAPH, c("labelloc"), c("t"));
  agattr(g, AGRAPH, c("label"),
         c(with_thousands(architecture.parameter_count()) + " parameters, input " +
           shape_string(architecture.input_shape()) + ", output " + shape_string(architecture.output_shape())));
  agattr(g, AGNODE, c("shape"), c("plain"));
  agattr(g, AGNODE, c("fontname"), c(font));
  agattr(g, AGNODE, c("fontsize"), c("11"));
  agattr(g, AGNODE, c("label"), c(""));
  agattr(g, AGEDGE, c("color"), c("#555555"));
  agattr(g, AGEDGE, c("arrowsize"), c("0.7"));
  agattr(g, AGEDGE, c("style"), c("solid"));
  agattr(g, AGEDGE, c("penwidth"), c("1"));
  agattr(g, AGEDGE, c("weight"), c("1"));
  agattr(g, AGEDGE, c("constraint"), c("true"));

  std::vector<Agnode_t*> nodes;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    // The node's name becomes the SVG <title> (a tooltip): the layer's name when it is plain text.
    const std::string& name = layers[i].name;
    const std::string id = html_text(name) == name ? name : "layer" + std::to_string(i);
    Agnode_t* n = agnode(g, c(id), 1);
    std::string label = node_label(layers[i], parameters[i]);
    agset(n, c("label"), agstrdup_html(g, c(label)));
    nodes.push_back(n);
  }
  for (const GraphEdge& e : graph_edges(architecture)) {
    Agedge_t* edge = agedge(g, nodes[e.from], nodes[e.to], nullptr, 1);
    if (e.shortcut) {
      agset(edge, c("style"), c("dashed"));
      agset(edge, c("color"), c(kShortcutColour));
      agset(edge, c("penwidth"), c("1.5"));
      // An adaptation sits beside the merge it feeds, not beside its distant source;
      // the other shortcut edges do not pull, so the main path stays straight.
      if (is_adapter(layers[e.to])) agset(edge, c("constraint"), c("false"));
      agset(edge, c("weight"), c(is_adapter(layers[e.from]) ? "1" : "0"));
    } else {
      agset(edge, c("weight"), c("4"));
    }
  }

  if (gvLayout(gv.context, g, "dot") != 0) throw graphviz_failure("layout failed");
  gv.laid_out = true;
  char* data = nullptr;
  unsigned int length = 0;
  if (gvRenderData(gv.context, g, "svg", &data, &length) != 0 || !data) throw graphviz_failure("SVG rendering failed");
  std::string svg(data, length);
  gvFreeRenderData(data);
  return svg;
#endif  // NETDIM_WITHOUT_GRAPHVIZ
}

void write_graph_svg(const std::filesystem::path& path, const nn::Architecture& architecture) {
  const std::string svg = graph_svg(architecture);
  support::write_text_atomically(path, svg);
}

}  // namespace netdim::analysis::report
