#include "netdim/analysis/report/heat_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "netdim/analysis/report/svg_frame.hpp"

namespace netdim::analysis::report {
namespace {

// Five stops of matplotlib's viridis: perceptually even, readable in grey and by the colour-blind.
constexpr double kStops[5][3] = {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

// About every tenth coordinate gets a label, always the first and the last.
bool labelled(std::size_t k, std::size_t count) {
  const std::size_t step = std::max<std::size_t>(1, count / 10);
  return k == 0 || k + 1 == count || k % step == 0;
}

}  // namespace

std::string heat_colour(double v, double low, double high) {
  double t = high > low ? (v - low) / (high - low) : 0.5;
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  const double pos = t * 4;
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(pos), 3);
  const double f = pos - static_cast<double>(k);
  char buf[8];
  int c[3];
  for (int ch = 0; ch < 3; ++ch) c[ch] = static_cast<int>(std::lround(kStops[k][ch] + f * (kStops[k + 1][ch] - kStops[k][ch])));
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c[0], c[1], c[2]);
  return buf;
}

std::string to_svg(const HeatMap& m) {
  const std::size_t nx = m.columns.size(), ny = m.rows.size();
  if (nx == 0 || ny == 0) throw std::invalid_argument("heat map: no rows or no columns");
  if (m.cells.size() != nx * ny)
    throw std::invalid_argument("heat map: " + std::to_string(m.cells.size()) + " cells for " + std::to_string(ny) +
                                " rows x " + std::to_string(nx) + " columns");
  const double left = 60, top = 40, bottom = 50, bar = 90;
  const double cell = std::clamp(440.0 / static_cast<double>(std::max(nx, ny)), 4.0, 40.0);
  const double pw = cell * static_cast<double>(nx), ph = cell * static_cast<double>(ny);
  const double width = left + pw + bar, height = top + ph + bottom;
  std::ostringstream os;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
     << "\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
     << "<text x=\"" << left + pw / 2 << "\" y=\"22\" text-anchor=\"middle\" font-size=\"14\">" << svg::escape(m.title)
     << "</text>\n";
  // Row 0 at the bottom, as in a plot of i against j.
  for (std::size_t r = 0; r < ny; ++r)
    for (std::size_t c = 0; c < nx; ++c) {
      const double v = m.cells[r * nx + c];
      const double x = left + cell * static_cast<double>(c), y = top + ph - cell * static_cast<double>(r + 1);
      os << "<rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << cell << "\" height=\"" << cell << "\" fill=\""
         << (std::isfinite(v) ? heat_colour(v, m.low, m.high) : std::string("#d0d0d0")) << "\"><title>"
         << svg::escape(m.y_label) << ' ' << m.rows[r] << ", " << svg::escape(m.x_label) << ' ' << m.columns[c] << ": "
         << (std::isfinite(v) ? svg::number(v) : std::string("none")) << "</title></rect>\n";
    }
  for (std::size_t c = 0; c < nx; ++c)
    if (labelled(c, nx))
      os << "<text x=\"" << left + cell * (static_cast<double>(c) + 0.5) << "\" y=\"" << top + ph + 14
         << "\" text-anchor=\"middle\">" << m.columns[c] << "</text>\n";
  for (std::size_t r = 0; r < ny; ++r)
    if (labelled(r, ny))
      os << "<text x=\"" << left - 5 << "\" y=\"" << top + ph - cell * (static_cast<double>(r) + 0.5) + 4
         << "\" text-anchor=\"end\">" << m.rows[r] << "</text>\n";
  os << "<text x=\"" << left + pw / 2 << "\" y=\"" << height - 14 << "\" text-anchor=\"middle\">"
     << svg::escape(m.x_label) << "</text>\n<text transform=\"translate(16," << top + ph / 2
     << ") rotate(-90)\" text-anchor=\"middle\">" << svg::escape(m.y_label) << "</text>\n";
  // The colour bar: 50 bands from low (bottom) to high (top), labelled at both ends and the middle.
  const double bx = left + pw + 20, bw = 16;
  for (int k = 0; k < 50; ++k) {
    const double v = m.low + (m.high - m.low) * (k + 0.5) / 50.0;
    os << "<rect x=\"" << bx << "\" y=\"" << top + ph - ph * (k + 1) / 50.0 << "\" width=\"" << bw << "\" height=\""
       << ph / 50.0 + 0.5 << "\" fill=\"" << heat_colour(v, m.low, m.high) << "\"/>\n";
  }
  for (double f : {0.0, 0.5, 1.0})
    os << "<text x=\"" << bx + bw + 4 << "\" y=\"" << top + ph - ph * f + 4 << "\">"
       << svg::number(m.low + (m.high - m.low) * f) << "</text>\n";
  os << "<text x=\"" << bx << "\" y=\"" << top - 8 << "\">" << svg::escape(m.value_label) << "</text>\n</svg>\n";
  return os.str();
}

void write_svg(const std::string& path, const HeatMap& map) { svg::write_document(path, to_svg(map)); }

}  // namespace netdim::analysis::report
