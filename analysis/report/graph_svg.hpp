// A picture of the architecture graph, the way Netron shows models: one box per
// layer (kind, name, output shape, parameter count), arrows for the data flow,
// and shortcut edges dashed and coloured. Graphviz's dot (linked as a library)
// does the layout and writes the SVG.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::analysis::report {

// One arrow of the drawing: from layer index `from` into layer index `to`.
struct GraphEdge {
  std::size_t from = 0, to = 0;
  bool shortcut = false;
};

// Every input edge, in layer order. An edge is a shortcut when it feeds a
// shortcut adaptation (projection, sample), leaves one, or enters an add or a
// concat from any input but the main one: the deepest (longest path from the
// network input, adaptations not counted; the latest declared among equals). So a
// residual block's main path stays a plain arrow and its skip connection (with
// its adaptation) is drawn apart, whatever order the inputs are written in.
std::vector<GraphEdge> graph_edges(const nn::Architecture& architecture);

// Graphviz's layout time grows faster than linearly, so larger graphs are refused.
inline constexpr std::size_t kMaxDrawnLayers = 5000;

// What dot really lays out: one node per layer plus one "virtual" node for every rank an edge
// crosses (an edge from rank r to rank s, ranks being the longest path from the input, costs
// s - r - 1). Long shortcuts are what make it slow: a chain of 500 residual blocks that each add
// the network's input has 1,001 layers but ~250,000 virtual nodes, and dot runs minutes, then
// crashes (SIGSEGV inside its mincross). Measured here: densenet201 (707 layers) 1,295 nodes,
// 1.7 s; 200 such blocks 40,401 nodes, 6.4 s (the figure).
std::size_t layout_nodes(const nn::Architecture& architecture);
inline constexpr std::size_t kMaxLayoutNodes = 60000;

// Whether this build links Graphviz (meson -Dgraphviz; without it graph_svg always throws std::runtime_error).
bool graphviz_available();

// The drawing as an SVG document (not thread-safe: Graphviz keeps global state). Throws std::invalid_argument above
// kMaxDrawnLayers or kMaxLayoutNodes, before any layout, and std::runtime_error when Graphviz fails (with its message)
// or when this build has no Graphviz (graphviz_available()).
std::string graph_svg(const nn::Architecture& architecture);

// Writes graph_svg() with support::write_atomically (nothing half-written; throws data::DataError).
void write_graph_svg(const std::filesystem::path& path, const nn::Architecture& architecture);

}  // namespace netdim::analysis::report
