// SVG line plots: well-formed output, the series drawn, bad input refused.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/report/line_plot.hpp"

using namespace netdim::analysis::report;

TEST_CASE("a line plot is an SVG with every series, the legend and reference lines") {
  LinePlot plot{"accuracy & loss <per epoch>", "epoch", "accuracy", {}, {{"90% of baseline", 0.9}}};
  plot.series.push_back({"train", {1, 2, 3}, {0.8, 0.85, 0.9}});
  plot.series.push_back({"test", {1, 2, 3}, {0.79, std::nan(""), 0.88}});
  const std::string svg = to_svg(plot);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("</svg>") != std::string::npos);
  CHECK(svg.find("accuracy &amp; loss &lt;per epoch&gt;") != std::string::npos);  // escaped title
  std::size_t polylines = 0, circles = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  CHECK(polylines == 2);
  CHECK(circles == 5);  // the NaN point is skipped
  CHECK(svg.find("90% of baseline") != std::string::npos);
  CHECK(svg.find(">test<") != std::string::npos);
}

TEST_CASE("a plot refuses mismatched or empty series") {
  LinePlot bad{"t", "x", "y", {{"s", {1, 2}, {1}}}, {}};
  CHECK_THROWS_WITH_AS(to_svg(bad), doctest::Contains("series 's' has 2 x and 1 y values"), std::invalid_argument);
  LinePlot empty{"t", "x", "y", {{"s", {1}, {std::nan("")}}}, {}};
  CHECK_THROWS_AS(to_svg(empty), std::invalid_argument);
  CHECK_THROWS_AS(write_svg("/nonexistent-dir/plot.svg", LinePlot{"t", "x", "y", {{"s", {1}, {2}}}, {}}),
                  std::runtime_error);
}

TEST_CASE("a log-scale plot puts decades at equal steps and skips points at or below zero") {
  LinePlot plot{"spectrum", "index", "singular value", {{"s", {1, 2, 3, 4}, {100, 1, 0.01, 0}}}, {}, true};
  const std::string svg = to_svg(plot);
  std::size_t circles = 0;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  CHECK(circles == 3);  // the zero cannot be drawn on a log scale
  for (const char* tick : {">0.01<", ">1<", ">100<"}) CHECK_MESSAGE(svg.find(tick) != std::string::npos, tick);
  // The three points are two decades apart each: equal vertical steps.
  std::vector<double> cy;
  for (std::size_t at = svg.find("cy=\""); at != std::string::npos; at = svg.find("cy=\"", at + 1))
    cy.push_back(std::stod(svg.substr(at + 4)));
  REQUIRE(cy.size() == 3);
  CHECK(cy[1] - cy[0] == doctest::Approx(cy[2] - cy[1]));
  LinePlot nothing{"t", "x", "y", {{"s", {1}, {0}}}, {}, true};
  CHECK_THROWS_WITH_AS(to_svg(nothing), doctest::Contains("log scale"), std::invalid_argument);
}

TEST_CASE("a scatter plot has dots and no line; a fit has a line and no dots") {
  LinePlot plot{"fit", "x", "y", {}, {}};
  plot.series.push_back({"networks", {1, 2, 3}, {2, 1, 3}, false, true});
  plot.series.push_back({"least squares", {1, 3}, {1.5, 2.5}, true, false});
  const std::string svg = to_svg(plot);
  std::size_t polylines = 0, circles = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos; at = svg.find("<circle", at + 1)) ++circles;
  CHECK(polylines == 1);
  CHECK(circles == 3);
}
