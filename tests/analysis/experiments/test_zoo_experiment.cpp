// The zoo experiment (analysis/experiments/zoo_experiment.hpp) without a process: its
// cells are Algorithm 1's ESD under each reduction, a stop keeps the samples
// finished, a network that cannot run is refused before any sample, and the
// relations are the least-squares lines over the networks with both numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/experiments/zoo_experiment.hpp"
#include "netdim/analysis/stats/line_band.hpp"
#include "netdim/nn/mlp.hpp"

using namespace netdim;
using namespace netdim::analysis::experiments;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

nn::Architecture zoo_mlp(std::size_t width, std::size_t outputs = 2) {
  return nn::mlp(3, {width}, outputs, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true});
}

ZooOptions two_reductions() {
  ZooOptions o;
  o.reductions = {{"first", {analysis::OutputReduction::first(), false}},
                  {"sum_squares", {analysis::OutputReduction::sum_squares(), false}}};
  o.samples = 3;
  o.points = 6;
  o.seed = 5;
  o.resamples = 50;
  return o;
}

ZooNetwork made_up(const std::string& name, std::size_t parameters, std::vector<std::vector<double>> sd, double top1,
                   double top5) {
  ZooNetwork n;
  n.name = name;
  n.parameters = parameters;
  n.errors = {top1, top5};
  for (auto& s : sd) n.cells.push_back({std::move(s), 1.0, 2.0});
  return n;
}

}  // namespace

TEST_CASE("zoo experiment: the protocol of a reduction is the options', each network's samples in one process") {
  ZooOptions o = two_reductions();
  o.columns = 7;
  o.threads = 3;
  o.inputs = analysis::InputDistribution::Normal;
  o.precision = analysis::Precision::Float64;
  const analysis::EsdProtocol p = zoo_protocol(o, o.reductions[1].reduce);
  CHECK(p.samples == 3);
  CHECK(p.points == 6);
  CHECK(p.columns == 7);
  CHECK(p.threads == 3);
  CHECK(p.seed == 5);
  CHECK(p.inputs == analysis::InputDistribution::Normal);
  CHECK(p.precision == analysis::Precision::Float64);
  CHECK(p.reduce.name() == "sum_squares");
  CHECK_FALSE(p.init.has_value());
  CHECK(p.single_process);
}

TEST_CASE("zoo experiment: a network gets a cell per reduction, and is refused before any sample when it cannot run") {
  const ZooOptions o = two_reductions();
  const nn::Architecture a = zoo_mlp(4);
  const ZooNetwork n = zoo_network("small", a, {30, 10}, o);
  CHECK(n.name == "small");
  CHECK(n.parameters == a.parameter_count());
  CHECK(n.errors.top1 == 30);
  REQUIRE(n.cells.size() == 2);
  CHECK(n.cells[0].sd.empty());
  CHECK(std::isnan(n.cells[1].seconds));
  ZooOptions too_many_columns = o;
  too_many_columns.columns = a.parameter_count() + 1;
  CHECK_THROWS_AS(zoo_network("small", a, {}, too_many_columns), std::invalid_argument);
  ZooOptions past_the_outputs = o;
  past_the_outputs.reductions.push_back({"output:5", {analysis::OutputReduction::per_output(5), false}});
  CHECK_THROWS_AS(zoo_network("small", a, {}, past_the_outputs), std::invalid_argument);
}

TEST_CASE("zoo experiment: each cell is Algorithm 1's ESD of its network and reduction, timed, callbacks around it") {
  const ZooOptions o = two_reductions();
  std::vector<ZooNetwork> networks{zoo_network("a", zoo_mlp(4), {}, o), zoo_network("b", zoo_mlp(6), {}, o)};
  std::vector<std::string> events;
  ZooCallbacks callbacks;
  callbacks.cell_started = [&](const ZooNetwork& n, const ZooReduction& r) { events.push_back(n.name + " " + r.name); };
  std::size_t updates = 0;
  callbacks.progress = [&](const std::vector<double>& sd) { updates += !sd.empty(); };
  callbacks.cell_finished = [&] { events.push_back("done"); };
  CHECK_FALSE(run_zoo(networks, o, callbacks));
  CHECK(events == std::vector<std::string>{"a first", "done", "a sum_squares", "done", "b first", "done",
                                           "b sum_squares", "done"});
  CHECK(updates >= 4);
  for (const ZooNetwork& n : networks)
    for (std::size_t r = 0; r < 2; ++r) {
      CAPTURE(n.name);
      CAPTURE(r);
      const analysis::EsdResult e =
          analysis::expected_spanning_dimension(n.architecture, zoo_protocol(o, o.reductions[r].reduce));
      CHECK(n.cells[r].sd == e.sd);
      CHECK(n.cells[r].sd.size() == 3);
      CHECK(n.cells[r].seconds >= 0);
    }
  // first and sum_squares are different functions of the two outputs: different Jacobians.
  CHECK(networks[1].cells[0].sd != networks[1].cells[1].sd);
}

TEST_CASE("zoo experiment: a stop request ends the run after the samples running, keeping them") {
  const ZooOptions o = two_reductions();
  std::vector<ZooNetwork> networks{zoo_network("a", zoo_mlp(4), {}, o), zoo_network("b", zoo_mlp(6), {}, o)};
  ZooCallbacks callbacks;
  callbacks.stop_requested = [] { return true; };
  CHECK(run_zoo(networks, o, callbacks));
  CHECK(networks[0].cells[0].sd.size() < 3);
  CHECK(networks[0].cells[1].sd.empty());  // never started
  CHECK(networks[1].cells[0].sd.empty());
  CHECK(std::isnan(networks[1].cells[0].seconds));
}

TEST_CASE("zoo experiment: in one process the gather leaves every cell as computed") {
  const ZooOptions o = two_reductions();
  std::vector<ZooNetwork> networks{made_up("a", 10, {{1.5, 2.5}, {}}, 1, 2)};
  networks[0].cells[1].seconds = kNaN;
  gather_zoo_cells(networks, o);
  CHECK(networks[0].cells[0].sd == std::vector<double>{1.5, 2.5});
  CHECK(networks[0].cells[0].seconds == 1.0);
  CHECK(networks[0].cells[0].peak_bytes == 2.0);
  CHECK(networks[0].cells[1].sd.empty());
  CHECK(std::isnan(networks[0].cells[1].seconds));
}

TEST_CASE("zoo experiment: the relations, top-1 then top-5, each ESD then the parameter count, over finite pairs") {
  ZooOptions o = two_reductions();
  const std::vector<ZooNetwork> networks{
      made_up("a", 10, {{1, 3}, {2}}, 30, 10), made_up("b", 20, {{4}, {5, 7}}, 24, kNaN),
      made_up("c", 40, {{6}, {}}, 20, 7), made_up("d", 80, {{9, 9}, {1}}, kNaN, 6)};
  const std::vector<ZooRelation> rel = zoo_relations(o, networks);
  REQUIRE(rel.size() == 6);
  const char* names[][2] = {{"esd_first", "top1_error"}, {"esd_sum_squares", "top1_error"}, {"parameters", "top1_error"},
                            {"esd_first", "top5_error"}, {"esd_sum_squares", "top5_error"}, {"parameters", "top5_error"}};
  for (std::size_t i = 0; i < 6; ++i) {
    CHECK(rel[i].x_name == names[i][0]);
    CHECK(rel[i].y_name == names[i][1]);
  }
  // top-1 against the first reduction's ESD: d has no top-1 error.
  CHECK(rel[0].x == std::vector<double>{2, 4, 6});
  CHECK(rel[0].y == std::vector<double>{30, 24, 20});
  CHECK(rel[0].labels == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(rel[0].band);
  const analysis::LineBand expected = analysis::line_with_band(rel[0].x, rel[0].y, o.resamples, o.seed);
  CHECK(rel[0].band->fit.slope == expected.fit.slope);
  CHECK(rel[0].band->fit.slope == doctest::Approx(-2.5));
  CHECK(rel[0].band->correlation.n == 3);
  CHECK(rel[0].band->correlation.r < -0.99);
  CHECK(rel[0].band->low == expected.low);
  // sum_squares: c has no sample, d no top-1 error: two networks, no line.
  CHECK(rel[1].x == std::vector<double>{2, 6});
  CHECK_FALSE(rel[1].band);
  CHECK(rel[2].x == std::vector<double>{10, 20, 40});
  // top-5: b has none.
  CHECK(rel[5].x == std::vector<double>{10, 40, 80});
  CHECK(rel[5].labels == std::vector<std::string>{"a", "c", "d"});
  CHECK(rel[5].band);
  CHECK(rel[4].labels == std::vector<std::string>{"a", "d"});
  CHECK_FALSE(rel[4].band);
}
