// A heat map as standalone SVG: a grid of cells coloured by value on a colour scale
// given by the caller (so several maps can share one, as the per-activation maps of
// `netdim sweep` do, the look of seed 003's figure 4), with a colour bar legend.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace netdim::analysis::report {

struct HeatMap {
  std::string title, x_label, y_label, value_label;
  std::vector<std::size_t> columns, rows;  // the x and y coordinate of each column and row (e.g. widths j and i)
  std::vector<double> cells;               // rows x columns, row-major; NaN: no value (drawn grey)
  double low = 0, high = 1;                // the colour scale: low darkest, high brightest
};

// The colour of `v` on [low, high] (viridis, clamped), as "#rrggbb".
std::string heat_colour(double v, double low, double high);

// Throws std::invalid_argument when cells is not rows x columns or the grid is empty.
std::string to_svg(const HeatMap& map);
void write_svg(const std::string& path, const HeatMap& map);

}  // namespace netdim::analysis::report
