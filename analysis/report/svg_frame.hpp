// What netdim's hand-written plots share: a white canvas with a title, a plot
// area with ticked axes (linear or log10) and axis labels, coordinates mapped
// from data to pixels, and text escaped for SVG. line_plot and histogram draw
// their marks inside it.
#pragma once

#include <sstream>
#include <string>
#include <vector>

namespace netdim::analysis::report::svg {

std::string escape(const std::string& s);
std::string number(double v);  // %.4g

// An axis over [lo, hi] (both > 0 when log10).
struct Axis {
  double lo = 0, hi = 1;
  bool log10 = false;
  std::string label;
};

struct Frame {
  double width = 640, height = 400, left = 70, right = 160, top = 40, bottom = 50;
  Axis x, y;
  std::string title;

  double plot_width() const { return width - left - right; }
  double plot_height() const { return height - top - bottom; }
  double px(double v) const;  // data x to pixels
  double py(double v) const;  // data y to pixels
};

// Opens the document: canvas, title, ticks with grid lines across for y, the frame
// and the axis labels.
void open(std::ostringstream& os, const Frame& f);
void close(std::ostringstream& os);

// Writes an SVG document with support::write_atomically (nothing half-written; throws
// data::DataError naming the file).
void write_document(const std::string& path, const std::string& svg);

}  // namespace netdim::analysis::report::svg
