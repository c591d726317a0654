// Line plots (and scatter plots) as standalone SVG: a few named series over a shared x axis, with
// axes, ticks, a legend and optional horizontal reference lines. Hand-written
// SVG, no dependencies: the plot kinds netdim needs are few and simple.
#pragma once

#include <string>
#include <vector>

namespace netdim::analysis::report {

struct Series {
  std::string name;
  std::vector<double> x, y;  // same length; NaN points are skipped
  bool line = true;          // join the points (false: a scatter)
  bool markers = true;       // a dot at every point (false: a bare line, e.g. a fit)
  bool pairs_previous = false;  // drawn in the previous series' colour with no legend entry (a band's other edge)
};

struct ReferenceLine {
  std::string label;
  double y = 0;
};

struct LinePlot {
  std::string title, x_label, y_label;
  std::vector<Series> series;
  std::vector<ReferenceLine> references;
  bool log_y = false;  // a log10 y axis: points with y <= 0 are skipped (spectra span many decades)
};

// The plot as an SVG document. Throws std::invalid_argument when a series'
// x and y differ in length or no series has a finite point (a positive one for log_y).
std::string to_svg(const LinePlot& plot);

// Writes the SVG with support::write_atomically: a failure leaves nothing half-written
// and throws data::DataError naming the file.
void write_svg(const std::string& path, const LinePlot& plot);

}  // namespace netdim::analysis::report
