#include "netdim/analysis/report/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>

#include "netdim/analysis/report/svg_frame.hpp"

namespace netdim::analysis::report {

HistogramBins bin_values(const Histogram& h) {
  if (h.values.empty()) throw std::invalid_argument("histogram: no values to draw");
  for (double v : h.values)
    if (!std::isfinite(v)) throw std::invalid_argument("histogram: a value is not finite");
  const auto [lo_it, hi_it] = std::minmax_element(h.values.begin(), h.values.end());
  double lo = *lo_it, hi = *hi_it;
  if (hi == lo) lo -= 0.5, hi += 0.5;
  const std::size_t bins =
      h.bins != 0 ? h.bins
                  : std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(std::sqrt(h.values.size()))), 5, 60);
  HistogramBins b;
  b.lo = lo;
  b.width = (hi - lo) / static_cast<double>(bins);
  b.counts.assign(bins, 0);
  for (double v : h.values) {
    const auto k = static_cast<std::size_t>(std::floor((v - lo) / b.width));
    ++b.counts[std::min(k, bins - 1)];
  }
  return b;
}

std::string to_svg(const Histogram& h) {
  const HistogramBins b = bin_values(h);
  const double hi = b.lo + b.width * static_cast<double>(b.counts.size());
  double xlo = b.lo, xhi = hi;
  for (const Marker& m : h.markers)
    if (std::isfinite(m.x)) xlo = std::min(xlo, m.x), xhi = std::max(xhi, m.x);
  const double pad = 0.03 * (xhi - xlo);
  const std::size_t top = *std::max_element(b.counts.begin(), b.counts.end());
  svg::Frame f;
  f.right = 40;
  f.title = h.title;
  f.x = {xlo - pad, xhi + pad, false, h.x_label};
  f.y = {0, static_cast<double>(top) * 1.08, false, h.y_label};

  std::ostringstream os;
  svg::open(os, f);
  for (std::size_t k = 0; k < b.counts.size(); ++k) {
    if (b.counts[k] == 0) continue;
    const double x0 = f.px(b.lo + b.width * static_cast<double>(k));
    const double x1 = f.px(b.lo + b.width * static_cast<double>(k + 1));
    const double y = f.py(static_cast<double>(b.counts[k]));
    os << "<rect x=\"" << x0 << "\" y=\"" << y << "\" width=\"" << std::max(x1 - x0 - 1, 0.5) << "\" height=\""
       << f.py(0) - y << "\" fill=\"#1f77b4\"><title>[" << svg::number(b.lo + b.width * static_cast<double>(k)) << ", "
       << svg::number(b.lo + b.width * static_cast<double>(k + 1)) << "): " << b.counts[k] << "</title></rect>\n";
  }
  for (std::size_t k = 0; k < h.markers.size(); ++k) {
    const Marker& m = h.markers[k];
    if (!std::isfinite(m.x)) continue;
    os << "<line x1=\"" << f.px(m.x) << "\" y1=\"" << f.top << "\" x2=\"" << f.px(m.x) << "\" y2=\"" << f.py(0)
       << "\" stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/><text x=\"" << f.px(m.x) + 4
       << "\" y=\"" << f.top + 14 + 14 * static_cast<double>(k) << "\" fill=\"#d62728\">" << svg::escape(m.label)
       << "</text>\n";
  }
  svg::close(os);
  return os.str();
}

void write_svg(const std::string& path, const Histogram& h) { svg::write_document(path, to_svg(h)); }

}  // namespace netdim::analysis::report
