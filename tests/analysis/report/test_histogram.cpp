// SVG histograms: the bins against hand counts, the bars and markers drawn, bad input refused.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "netdim/analysis/report/histogram.hpp"

using namespace netdim::analysis::report;

TEST_CASE("histogram bins count every value once, the maximum in the last bin") {
  Histogram h;
  h.values = {1, 1.2, 2, 2.5, 3, 4, 5};
  h.bins = 4;  // width 1: [1,2) [2,3) [3,4) [4,5]
  const HistogramBins b = bin_values(h);
  CHECK(b.lo == 1);
  CHECK(b.width == doctest::Approx(1));
  REQUIRE(b.counts.size() == 4);
  CHECK(b.counts[0] == 2);
  CHECK(b.counts[1] == 2);
  CHECK(b.counts[2] == 1);
  CHECK(b.counts[3] == 2);
  h.bins = 0;
  h.values.assign(100, 2.0);  // all equal: one bin holds them all, sqrt(100) = 10 bins
  const HistogramBins same = bin_values(h);
  CHECK(same.counts.size() == 10);
  std::size_t total = 0;
  for (std::size_t c : same.counts) total += c;
  CHECK(total == 100);
}

TEST_CASE("a histogram is an SVG with one bar per non-empty bin and its markers") {
  Histogram h{"SD of <fig1>", "spanning dimension", "samples", {1, 1.5, 3.9, 4}, {{"ESD 2.12", 2.125}}, 3};
  const std::string svg = to_svg(h);
  CHECK(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0) == 0);
  CHECK(svg.find("SD of &lt;fig1&gt;") != std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = svg.find("<rect x="); at != std::string::npos; at = svg.find("<rect x=", at + 1)) ++bars;
  CHECK(bars == 1 + 2);  // the frame, and bins [1,2) and [3,4] (the middle one is empty)
  CHECK(svg.find("ESD 2.12") != std::string::npos);
  CHECK_THROWS_AS(to_svg(Histogram{}), std::invalid_argument);
  CHECK_THROWS_AS(to_svg(Histogram{"t", "x", "y", {1, NAN}, {}, 0}), std::invalid_argument);
  CHECK_THROWS_AS(write_svg("/nonexistent-dir/h.svg", h), std::runtime_error);
}
