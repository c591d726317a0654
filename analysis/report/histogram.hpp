// A histogram as standalone SVG: the distribution of a set of values (the SD
// samples of `netdim esd`, the look of seed 003's figures 1 and 2), with vertical
// markers (the ESD) drawn across it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace netdim::analysis::report {

struct Marker {
  std::string label;
  double x = 0;
};

struct Histogram {
  std::string title, x_label, y_label = "samples";
  std::vector<double> values;
  std::vector<Marker> markers;
  std::size_t bins = 0;  // 0: about sqrt(count), between 5 and 60
};

struct HistogramBins {
  double lo = 0, width = 0;
  std::vector<std::size_t> counts;  // bin b is [lo + b w, lo + (b+1) w); the last one includes its right end
};

// The bins the plot draws. Throws std::invalid_argument for no values or a non-finite one.
HistogramBins bin_values(const Histogram& h);

std::string to_svg(const Histogram& h);
void write_svg(const std::string& path, const Histogram& h);

}  // namespace netdim::analysis::report
