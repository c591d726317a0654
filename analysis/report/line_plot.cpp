#include "analysis/report/line_plot.hpp"

#include "nn/data/atomic_write.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>

namespace netdim::report {
namespace {

constexpr double kWidth = 640, kHeight = 400, kLeft = 70, kRight = 160, kTop = 40, kBottom = 50;
constexpr const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"};

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// About five round tick values covering [lo, hi].
std::vector<double> ticks(double lo, double hi) {
  const double span = hi - lo;
  const double raw = span / 5;
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * magnitude >= raw) {
      step = m * magnitude;
      break;
    }
  std::vector<double> t;
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step) t.push_back(std::abs(v) < 1e-12 * span ? 0 : v);
  return t;
}

}  // namespace

std::string to_svg(const LinePlot& plot) {
  double xlo = std::numeric_limits<double>::infinity(), xhi = -xlo, ylo = xlo, yhi = -xlo;
  for (const Series& s : plot.series) {
    if (s.x.size() != s.y.size())
      throw std::invalid_argument("plot: series '" + s.name + "' has " + std::to_string(s.x.size()) + " x and " +
                                  std::to_string(s.y.size()) + " y values");
    for (std::size_t i = 0; i < s.x.size(); ++i) {
      if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i])) continue;
      xlo = std::min(xlo, s.x[i]), xhi = std::max(xhi, s.x[i]);
      ylo = std::min(ylo, s.y[i]), yhi = std::max(yhi, s.y[i]);
    }
  }
  if (!std::isfinite(xlo)) throw std::invalid_argument("plot: no finite point to draw");
  for (const ReferenceLine& r : plot.references) ylo = std::min(ylo, r.y), yhi = std::max(yhi, r.y);
  if (xhi == xlo) xlo -= 1, xhi += 1;
  if (yhi == ylo) ylo -= 1, yhi += 1;
  const double pad = 0.05 * (yhi - ylo);
  ylo -= pad, yhi += pad;
  const double pw = kWidth - kLeft - kRight, ph = kHeight - kTop - kBottom;
  const auto px = [&](double x) { return kLeft + (x - xlo) / (xhi - xlo) * pw; };
  const auto py = [&](double y) { return kTop + (1 - (y - ylo) / (yhi - ylo)) * ph; };

  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kWidth << "\" height=\"" << kHeight
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << kLeft + pw / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(plot.title)
     << "</text>\n";
  for (double t : ticks(xlo, xhi))
    os << "<line x1=\"" << px(t) << "\" y1=\"" << kTop + ph << "\" x2=\"" << px(t) << "\" y2=\"" << kTop + ph + 5
       << "\" stroke=\"black\"/><text x=\"" << px(t) << "\" y=\"" << kTop + ph + 18 << "\" text-anchor=\"middle\">"
       << number(t) << "</text>\n";
  for (double t : ticks(ylo, yhi))
    os << "<line x1=\"" << kLeft << "\" y1=\"" << py(t) << "\" x2=\"" << kLeft + pw << "\" y2=\"" << py(t)
       << "\" stroke=\"#e5e5e5\"/><text x=\"" << kLeft - 6 << "\" y=\"" << py(t) + 4 << "\" text-anchor=\"end\">"
       << number(t) << "</text>\n";
  os << "<rect x=\"" << kLeft << "\" y=\"" << kTop << "\" width=\"" << pw << "\" height=\"" << ph
     << "\" fill=\"none\" stroke=\"black\"/>\n"
     << "<text x=\"" << kLeft + pw / 2 << "\" y=\"" << kHeight - 12 << "\" text-anchor=\"middle\">"
     << escape(plot.x_label) << "</text>\n"
     << "<text transform=\"translate(18," << kTop + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
     << escape(plot.y_label) << "</text>\n";
  for (const ReferenceLine& r : plot.references)
    os << "<line x1=\"" << kLeft << "\" y1=\"" << py(r.y) << "\" x2=\"" << kLeft + pw << "\" y2=\"" << py(r.y)
       << "\" stroke=\"gray\" stroke-dasharray=\"6 4\"/><text x=\"" << kLeft + pw + 6 << "\" y=\"" << py(r.y) + 4
       << "\" fill=\"gray\">" << escape(r.label) << "</text>\n";
  for (std::size_t k = 0; k < plot.series.size(); ++k) {
    const Series& s = plot.series[k];
    const char* color = kColors[k % std::size(kColors)];
    os << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) os << px(s.x[i]) << ',' << py(s.y[i]) << ' ';
    os << "\"/>\n";
    for (std::size_t i = 0; i < s.x.size(); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i]))
        os << "<circle cx=\"" << px(s.x[i]) << "\" cy=\"" << py(s.y[i]) << "\" r=\"3\" fill=\"" << color << "\"/>\n";
    const double ly = kTop + 10 + 20 * static_cast<double>(k);
    os << "<line x1=\"" << kLeft + pw + 10 << "\" y1=\"" << ly << "\" x2=\"" << kLeft + pw + 30 << "\" y2=\"" << ly
       << "\" stroke=\"" << color << "\" stroke-width=\"2\"/><text x=\"" << kLeft + pw + 36 << "\" y=\"" << ly + 4
       << "\">" << escape(s.name) << "</text>\n";
  }
  os << "</svg>\n";
  return os.str();
}

void write_svg(const std::string& path, const LinePlot& plot) {
  const std::string svg = to_svg(plot);
  data::write_atomically(path, [&](const data::PutBytes& put) { put(svg.data(), svg.size()); });
}

}  // namespace netdim::report
