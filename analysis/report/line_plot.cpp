#include "netdim/analysis/report/line_plot.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "netdim/analysis/report/svg_frame.hpp"

namespace netdim::analysis::report {
namespace {

constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

}  // namespace

std::string to_svg(const LinePlot& plot) {
  const auto drawn = [&](double x, double y) { return std::isfinite(x) && std::isfinite(y) && (!plot.log_y || y > 0); };
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const Series& s : plot.series) {
    if (s.x.size() != s.y.size())
      throw std::invalid_argument("plot: series '" + s.name + "' has " + std::to_string(s.x.size()) + " x and " +
                                  std::to_string(s.y.size()) + " y values");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!drawn(s.x[i], s.y[i])) continue;
      xlo = std::min(xlo, s.x[i]), xhi = std::max(xhi, s.x[i]);
      ylo = std::min(ylo, s.y[i]), yhi = std::max(yhi, s.y[i]);
    }
  }
  if (!std::isfinite(xlo))
    throw std::invalid_argument(plot.log_y ? "plot: no finite positive point to draw on a log scale"
                                           : "plot: no finite point to draw");
  for (const ReferenceLine& r : plot.references)
    if (!plot.log_y || r.y > 0) ylo = std::min(ylo, r.y), yhi = std::max(yhi, r.y);
  if (xhi == xlo) xlo -= 1, xhi += 1;
  if (plot.log_y) {
    // Pad by a twentieth of the decades shown, at least half a decade overall.
    const double decades = std::max(std::log10(yhi / ylo), 1.0);
    ylo /= std::pow(10.0, 0.05 * decades), yhi *= std::pow(10.0, 0.05 * decades);
  } else {
    if (yhi == ylo) ylo -= 1, yhi += 1;
    const double pad = 0.05 * (yhi - ylo);
    ylo -= pad, yhi += pad;
  }
  svg::Frame f;
  f.title = plot.title;
  f.x = {xlo, xhi, false, plot.x_label};
  f.y = {ylo, yhi, plot.log_y, plot.y_label};
  const double pw = f.plot_width();

  std::ostringstream os;
  svg::open(os, f);
  for (const ReferenceLine& r : plot.references) {
    if (plot.log_y && r.y <= 0) continue;
    os << "<line x1=\"" << f.left << "\" y1=\"" << f.py(r.y) << "\" x2=\"" << f.left + pw << "\" y2=\"" << f.py(r.y)
       << "\" stroke=\"gray\" stroke-dasharray=\"6 4\"/><text x=\"" << f.left + pw + 6 << "\" y=\"" << f.py(r.y) + 4
       << "\" fill=\"gray\">" << svg::escape(r.label) << "</text>\n";
  }
  std::size_t style = 0;  // colour and legend row: a series that pairs the previous one shares them
  for (std::size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    if (k > 0 && !s.pairs_previous) ++style;
    const char* color = kColors[style % std::size(kColors)];
    if (s.line) {
      os << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
      for (std::size_t i = 0; i < s.x.size(); ++i)
        if (drawn(s.x[i], s.y[i])) os << f.px(s.x[i]) << ',' << f.py(s.y[i]) << ' ';
      os << "\"/>\n";
    }
    for (std::size_t i = 0; i < s.x.size() && s.markers; ++i)
      if (drawn(s.x[i], s.y[i]))
        os << "<circle cx=\"" << f.px(s.x[i]) << "\" cy=\"" << f.py(s.y[i]) << "\" r=\"3\" fill=\"" << color << "\"/>\n";
    if (s.pairs_previous) continue;
    const double ly = f.top + 10 + 20 * static_cast<double>(style);
    os << "<line x1=\"" << f.left + pw + 10 << "\" y1=\"" << ly << "\" x2=\"" << f.left + pw + 30 << "\" y2=\"" << ly
       << "\" stroke=\"" << color << "\" stroke-width=\"2\"/><text x=\"" << f.left + pw + 36 << "\" y=\"" << ly + 4
       << "\">" << svg::escape(s.name) << "</text>\n";
  }
  svg::close(os);
  return os.str();
}

void write_svg(const std::string& path, const LinePlot& plot) { svg::write_document(path, to_svg(plot)); }

}  // namespace netdim::analysis::report
