#include "netdim/analysis/report/svg_frame.hpp"

#include <cmath>
#include <cstdio>

#include "netdim/analysis/report/number_format.hpp"
#include "netdim/support/atomic_write.hpp"

namespace netdim::analysis::report::svg {
namespace {

// About five round tick values covering [lo, hi].
std::vector<double> linear_ticks(double lo, double hi) {
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
  for (double v = std::ceil(lo / step) * step; v <= hi + 1e-9 * span; v += step)
    t.push_back(std::abs(v) < 1e-12 * span ? 0 : v);
  return t;
}

// Powers of ten in [lo, hi], thinned to at most about eight.
std::vector<double> log_ticks(double lo, double hi) {
  const int first = static_cast<int>(std::ceil(std::log10(lo) - 1e-9));
  const int last = static_cast<int>(std::floor(std::log10(hi) + 1e-9));
  const int step = std::max(1, (last - first) / 8 + 1);
  std::vector<double> t;
  for (int e = first; e <= last; e += step) t.push_back(std::pow(10.0, e));
  return t;
}

std::vector<double> ticks(const Axis& a) { return a.log10 ? log_ticks(a.lo, a.hi) : linear_ticks(a.lo, a.hi); }

double fraction(const Axis& a, double v) {
  if (a.log10) return (std::log10(v) - std::log10(a.lo)) / (std::log10(a.hi) - std::log10(a.lo));
  return (v - a.lo) / (a.hi - a.lo);
}

}  // namespace

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

std::string number(double v) { return significant(v, 4); }

double Frame::px(double v) const { return left + fraction(x, v) * plot_width(); }
double Frame::py(double v) const { return top + (1 - fraction(y, v)) * plot_height(); }

void open(std::ostringstream& os, const Frame& f) {
  const double pw = f.plot_width(), ph = f.plot_height();
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << f.width << "\" height=\"" << f.height
     << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
     << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << f.left + pw / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">" << escape(f.title)
     << "</text>\n";
  for (double t : ticks(f.x))
    os << "<line x1=\"" << f.px(t) << "\" y1=\"" << f.top + ph << "\" x2=\"" << f.px(t) << "\" y2=\"" << f.top + ph + 5
       << "\" stroke=\"black\"/><text x=\"" << f.px(t) << "\" y=\"" << f.top + ph + 18 << "\" text-anchor=\"middle\">"
       << number(t) << "</text>\n";
  for (double t : ticks(f.y))
    os << "<line x1=\"" << f.left << "\" y1=\"" << f.py(t) << "\" x2=\"" << f.left + pw << "\" y2=\"" << f.py(t)
       << "\" stroke=\"#e5e5e5\"/><text x=\"" << f.left - 6 << "\" y=\"" << f.py(t) + 4 << "\" text-anchor=\"end\">"
       << number(t) << "</text>\n";
  os << "<rect x=\"" << f.left << "\" y=\"" << f.top << "\" width=\"" << pw << "\" height=\"" << ph
     << "\" fill=\"none\" stroke=\"black\"/>\n"
     << "<text x=\"" << f.left + pw / 2 << "\" y=\"" << f.height - 12 << "\" text-anchor=\"middle\">"
     << escape(f.x.label) << "</text>\n"
     << "<text transform=\"translate(18," << f.top + ph / 2 << ") rotate(-90)\" text-anchor=\"middle\">"
     << escape(f.y.label) << "</text>\n";
}

void close(std::ostringstream& os) { os << "</svg>\n"; }

void write_document(const std::string& path, const std::string& svg) {
  support::write_text_atomically(path, svg);
}

}  // namespace netdim::analysis::report::svg
