// The zoo's reports (analysis/report/zoo_report.hpp) of a made-up run, byte for byte:
// the CSV rows (empty cells for what is unknown), the JSON (null for it), the text of
// tables 3 and 4, the plot names, and a relation's plot with and without its line.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <vector>

#include "netdim/analysis/experiments/zoo_experiment.hpp"
#include "netdim/analysis/report/zoo_report.hpp"
#include "netdim/analysis/stats/line_band.hpp"

using namespace netdim::analysis;
using namespace netdim::analysis::experiments;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ZooOptions made_up_options() {
  ZooOptions o;
  o.reductions = {{"first", {OutputReduction::first(), false}}, {"sum_squares", {OutputReduction::sum_squares(), false}}};
  o.samples = 2;
  o.points = 6;
  o.seed = 5;
  o.resamples = 50;
  return o;
}

// a: two samples under first, none under sum_squares, no top-5 error; b: one sample under
// first (no standard error) without a peak, two under sum_squares.
std::vector<ZooNetwork> made_up_networks() {
  ZooNetwork a, b;
  a.name = "a";
  a.parameters = 27;
  a.errors = {30.5, kNaN};
  a.cells = {{{2, 4}, 1.5, 3145728}, {}};
  b.name = "b";
  b.parameters = 189;
  b.errors = {40, 12};
  b.cells = {{{1}, 0.3, kNaN}, {{3, 5}, 2, 1048576}};
  return {a, b};
}

}  // namespace

TEST_CASE("zoo report: plot names per relation") {
  CHECK(report::zoo_plot_name("fig", "esd_first", "top1_error") == "fig-esd-first-top1.svg");
  CHECK(report::zoo_plot_name("out/z", "esd_sum_squares", "top5_error") == "out/z-esd-sum_squares-top5.svg");
  CHECK(report::zoo_plot_name("p", "esd_output:2", "top5_error") == "p-esd-output:2-top5.svg");
  CHECK(report::zoo_plot_name("fig", "parameters", "top1_error") == "fig-parameters-top1.svg");
}

TEST_CASE("zoo report: one CSV row per network and reduction with samples, unknown numbers empty") {
  CHECK(report::zoo_rows_csv(made_up_options(), made_up_networks()) ==
        "network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error\n"
        "a,27,first,3,1,2,4,2,1.5,3145728,30.5,\n"
        "b,189,first,1,,1,1,1,0.29999999999999999,,40,12\n"
        "b,189,sum_squares,4,1,3,5,2,2,1048576,40,12\n");
}

TEST_CASE("zoo report: the JSON of the protocol, the networks and the correlations, null where unknown") {
  const ZooOptions o = made_up_options();
  const auto networks = made_up_networks();
  const auto j = report::zoo_json(o, networks, zoo_relations(o, networks), true);
  CHECK(j["protocol"].dump() ==
        R"({"samples":2,"points":6,"columns":0,"inputs":"sign","dtype":"float32","init":"network","seed":5,)"
        R"("reductions":["first","sum_squares"],"bootstrap_resamples":50})");
  REQUIRE(j["networks"].size() == 2);
  CHECK(j["networks"][0].dump() ==
        R"({"name":"a","parameters":27,"top1_error":30.5,"top5_error":null,"esd":{"first":{"esd":3.0,"stderr":1.0,)"
        R"("min":2.0,"max":4.0,"sd":[2.0,4.0],"seconds":1.5,"peak_bytes":3145728.0},"sum_squares":null}})");
  CHECK(j["networks"][1]["esd"]["first"].dump() ==
        R"({"esd":1.0,"stderr":null,"min":1.0,"max":1.0,"sd":[1.0],"seconds":0.3,"peak_bytes":null})");
  REQUIRE(j["correlations"].size() == 6);
  CHECK(j["correlations"][0].dump() ==
        R"({"x":"esd_first","y":"top1_error","n":2,"r":null,"p":null,"slope":null,"intercept":null})");
  CHECK(j["correlations"][4]["x"] == "esd_sum_squares");
  CHECK(j["correlations"][4]["y"] == "top5_error");
  CHECK(j["correlations"][4]["n"] == 1);
  CHECK(j["interrupted"] == true);
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"protocol", "networks", "correlations", "interrupted"});
}

TEST_CASE("zoo report: the text of tables 3 and 4") {
  const ZooOptions o = made_up_options();
  const auto networks = made_up_networks();
  CHECK(report::zoo_tables_text(o, networks, zoo_relations(o, networks)) ==
        "network               parameters          ESD first  seconds  peak MiB    ESD sum_squares  seconds  peak MiB   top-1   top-5\n"
        "a                             27     3.000 +- 1.000      1.5         3                  -        -         -   30.50     nan\n"
        "b                            189     1.000 +- 0.000      0.3       nan     4.000 +- 1.000      2.0         1   40.00   12.00\n"
        "\n"
        "relation                        n        r          p\n"
        "top1_error     ~ esd_first        2        -          - (fewer than 3 networks)\n"
        "top1_error     ~ esd_sum_squares   1        -          - (fewer than 3 networks)\n"
        "top1_error     ~ parameters       2        -          - (fewer than 3 networks)\n"
        "top5_error     ~ esd_first        1        -          - (fewer than 3 networks)\n"
        "top5_error     ~ esd_sum_squares   1        -          - (fewer than 3 networks)\n"
        "top5_error     ~ parameters       1        -          - (fewer than 3 networks)\n");
}

TEST_CASE("zoo report: a relation's plot: the networks, and the line with its band when there is one") {
  ZooRelation r;
  r.x_name = "esd_first";
  r.y_name = "top1_error";
  r.x = {2, 4};
  r.y = {30, 20};
  const report::LinePlot none = report::zoo_relation_plot(r);
  CHECK(none.title == "top-1 error (%) against ESD (first)");
  CHECK(none.x_label == "ESD (first)");
  CHECK(none.y_label == "top-1 error (%)");
  REQUIRE(none.series.size() == 1);
  CHECK(none.series[0].x == r.x);

  r.x_name = "parameters";
  r.y_name = "top5_error";
  r.x = {10, 20, 40, 80};
  r.y = {12, 10, 7, 6};
  r.band = line_with_band(r.x, r.y, 50, 0);
  const report::LinePlot line = report::zoo_relation_plot(r);
  CHECK(line.x_label == "parameters");
  CHECK(line.title.rfind("top-5 error (%) against parameters: r = -0.", 0) == 0);
  CHECK(line.title.find(", p = ") != std::string::npos);
  CHECK(line.title.substr(line.title.size() - 7) == "(n = 4)");
  REQUIRE(line.series.size() == 4);
  CHECK(line.series[1].name == "least squares");
  REQUIRE(line.series[1].y.size() == r.band->x.size());
  CHECK(line.series[1].y.front() == r.band->fit.slope * r.band->x.front() + r.band->fit.intercept);
  CHECK(line.series[2].y == r.band->low);
  CHECK(line.series[3].y == r.band->high);
}
