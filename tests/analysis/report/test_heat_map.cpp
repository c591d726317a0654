// SVG heat maps: the colour scale's ends and clamping, one cell per value, grey for
// missing values, bad grids refused.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "netdim/analysis/report/heat_map.hpp"

using namespace netdim::analysis::report;

TEST_CASE("heat colours: viridis ends, the middle, clamping outside the scale") {
  CHECK(heat_colour(0, 0, 1) == "#440154");
  CHECK(heat_colour(1, 0, 1) == "#fde725");
  CHECK(heat_colour(0.5, 0, 1) == "#21918c");
  CHECK(heat_colour(-5, 0, 1) == "#440154");
  CHECK(heat_colour(7, 0, 1) == "#fde725");
}

TEST_CASE("a heat map has one cell per value, grey where there is none, and a colour bar") {
  HeatMap m{"ESD <relu>", "j", "i", "ESD", {1, 2, 3}, {1, 2}, {1, 2, 3, 4, std::nan(""), 6}, 1, 6};
  const std::string svg = to_svg(m);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("ESD &lt;relu&gt;") != std::string::npos);
  std::size_t titles = 0;
  for (std::size_t at = svg.find("<title>"); at != std::string::npos; at = svg.find("<title>", at + 1)) ++titles;
  CHECK(titles == 6);
  CHECK(svg.find("fill=\"#d0d0d0\"><title>i 2, j 2: none") != std::string::npos);
  CHECK(svg.find("fill=\"#440154\"><title>i 1, j 1: 1<") != std::string::npos);
  CHECK(svg.find("fill=\"#fde725\"><title>i 2, j 3: 6<") != std::string::npos);
  m.cells.pop_back();
  CHECK_THROWS_AS(to_svg(m), std::invalid_argument);
  CHECK_THROWS_AS(to_svg(HeatMap{}), std::invalid_argument);
}
