// The intrinsic-dimension experiment (analysis/experiments/intrinsic_experiment.hpp)
// and its reports (analysis/report/intrinsic_report.hpp) without a process: the grid,
// the dense projection's memory rule, the runs and their kept models on a small
// two-class problem, a stop during the baseline, and the report text of a made-up run.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/analysis/experiments/intrinsic_experiment.hpp"
#include "netdim/analysis/report/intrinsic_report.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/subspace/dense_projection.hpp"
#include "netdim/nn/mlp.hpp"

using namespace netdim;
using namespace netdim::analysis::experiments;
namespace report = netdim::analysis::report;

namespace {

data::Dataset<float> two_classes(std::size_t n, std::uint64_t seed) {
  data::Dataset<float> set = data::random_points<float>(n, 2, 1, seed);
  set.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) set.labels[i] = set.inputs(i, 0) + 0.5f * set.inputs(i, 1) > 0 ? 1 : 0;
  set.targets = Tensor<float>(Shape{0});
  return set;
}

nn::Architecture small_classifier() {
  return nn::mlp(2, {8}, 2, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true});
}

IntrinsicOptions quick() {
  IntrinsicOptions o;
  o.dims = {5, 2};
  o.seeds = 2;
  o.epochs = 2;
  o.batch = 16;
  o.lr = 0.05;
  o.keep_models = true;
  return o;
}

}  // namespace

TEST_CASE("intrinsic experiment: the projection's seed is splitmix64 of the run's") {
  CHECK(projection_seed(0) == 0xE220A8397B1DCDAFULL);
  CHECK(projection_seed(1) != projection_seed(0));
  CHECK(projection_seed(1) != 1);
}

TEST_CASE("intrinsic experiment: the grid is the explicit dims or the default one, sorted, each once") {
  IntrinsicOptions o;
  o.dims = {50, 10, 50, 20};
  CHECK(dimension_grid(o, 1000) == std::vector<std::size_t>{10, 20, 50});
  o.dims.clear();
  CHECK(dimension_grid(o, 1000) == analysis::subspace::default_dimension_grid(1000));
}

TEST_CASE("intrinsic experiment: a dense projection's grid stops where P stops fitting; explicit dims are refused") {
  IntrinsicOptions o;
  std::vector<std::size_t> grid{10, 20};
  CHECK_FALSE(fit_dense_grid(grid, o, 1000));  // fastfood: no limit
  o.projection = nn::subspace::ProjectionKind::Dense;
  CHECK_FALSE(fit_dense_grid(grid, o, 1000));
  CHECK(grid == std::vector<std::size_t>{10, 20});
  // 10^9 parameters: P of d = 10 takes 40 GB.
  const std::size_t huge = 1'000'000'000;
  std::vector<std::size_t> search{1, 2, 10, 1000};
  CHECK(fit_dense_grid(search, o, huge));
  CHECK(search.size() < 4);
  CHECK(search.front() == 1);
  for (std::size_t d : search) CHECK(nn::subspace::dense_projection_fits(huge, d, sizeof(float)));
  o.dims = {1, 1000};
  std::vector<std::size_t> explicit_dims{1, 1000};
  CHECK_THROWS(fit_dense_grid(explicit_dims, o, huge));
}

TEST_CASE("intrinsic experiment: the baseline, then every run of the grid, each model kept, the same twice") {
  const data::Dataset<float> train = two_classes(64, 1), test = two_classes(32, 2);
  const nn::Architecture a = small_classifier();
  const IntrinsicOptions o = quick();
  const auto grid = dimension_grid(o, a.parameter_count());
  std::size_t baselines = 0;
  std::vector<std::pair<std::size_t, std::uint64_t>> runs;
  IntrinsicCallbacks callbacks;
  callbacks.baseline_done = [&](double baseline, double target) {
    ++baselines;
    CHECK(target == 0.9 * baseline);
  };
  callbacks.run_done = [&](std::size_t d, std::uint64_t seed, double) { runs.push_back({d, seed}); };
  const IntrinsicResult r = run_intrinsic(a, train, test, o, grid, callbacks);
  CHECK(baselines == 1);
  CHECK(runs == std::vector<std::pair<std::size_t, std::uint64_t>>{{2, 0}, {2, 1}, {5, 0}, {5, 1}});
  CHECK(r.parameters == a.parameter_count());
  CHECK_FALSE(r.baseline_interrupted);
  CHECK(r.baseline >= 0);
  CHECK(r.baseline <= 1);
  CHECK(r.target == 0.9 * r.baseline);
  CHECK(r.search.complete);
  REQUIRE(r.search.runs.size() == 4);
  REQUIRE(r.models.size() == 4);
  for (const auto& run : r.search.runs) {
    const auto& m = r.models.at({run.d, run.seed});
    CHECK(m.coordinates.size() == run.d);
    CHECK(m.init_seed == run.seed);
    CHECK(m.projection_seed == projection_seed(run.seed));
    CHECK(m.projection == nn::subspace::ProjectionKind::Fastfood);
  }
  if (r.search.d_int) {
    REQUIRE(r.best());
    CHECK(r.best()->d == *r.search.d_int);
  } else {
    CHECK(r.best() == nullptr);
  }
  const IntrinsicResult again = run_intrinsic(a, train, test, o, grid);
  CHECK(again.baseline == r.baseline);
  for (std::size_t i = 0; i < 4; ++i) CHECK(again.search.runs[i].accuracy == r.search.runs[i].accuracy);
}

TEST_CASE("intrinsic experiment: a stop during the baseline reports nothing else") {
  const data::Dataset<float> train = two_classes(64, 1), test = two_classes(32, 2);
  IntrinsicOptions o = quick();
  IntrinsicCallbacks callbacks;
  callbacks.stop_requested = [] { return true; };
  bool baseline_done = false;
  callbacks.baseline_done = [&](double, double) { baseline_done = true; };
  const IntrinsicResult r = run_intrinsic(small_classifier(), train, test, o, {2, 5}, callbacks);
  CHECK(r.baseline_interrupted);
  CHECK_FALSE(baseline_done);
  CHECK(r.search.runs.empty());
  CHECK_FALSE(r.search.complete);
  CHECK(r.models.empty());
}

TEST_CASE("intrinsic report: the rule, the table, the JSON and the plot of a made-up run") {
  IntrinsicOptions o;
  IntrinsicResult r;
  r.parameters = 58;
  r.baseline = 0.8;
  r.target = 0.9 * 0.8;
  r.search.runs = {{2, 0, 0.5, 1.25}, {5, 0, 0.75, 0.5}, {5, 1, 0.73, 0.5}};
  r.search.d_int = 5;
  CHECK(report::intrinsic_rule(o, r.target) == "0.90 of the baseline (0.7200)");
  IntrinsicOptions absolute = o;
  absolute.threshold_absolute = 0.6;
  CHECK(report::intrinsic_rule(absolute, r.target) == "absolute test accuracy 0.6000");
  const report::IntrinsicSetup setup{"small.net", "X.npy,y.npy", "fastfood"};
  CHECK(report::intrinsic_table(r, o, setup) ==
        "       d  seed  accuracy  fraction  seconds\n"
        "       2     0    0.5000    0.6250      1.2\n"
        "       5     0    0.7500    0.9375      0.5\n"
        "       5     1    0.7300    0.9125      0.5\n"
        "baseline (58 parameters): test accuracy 0.8000\n"
        "data: X.npy,y.npy\n"
        "threshold: 0.90 of the baseline (0.7200)\n"
        "projection: fastfood, 3 runs\n"
        "d_int90 = 5\n");
  IntrinsicResult stopped = r;
  stopped.search.complete = false;
  stopped.search.d_int.reset();
  const std::string text = report::intrinsic_table(stopped, absolute, setup);
  const std::string tail =
      "threshold: absolute test accuracy 0.6000\nprojection: fastfood, 3 runs\nno d reached the threshold (interrupted)\n";
  REQUIRE(text.size() > tail.size());
  CHECK(text.substr(text.size() - tail.size()) == tail);
  const auto j = report::intrinsic_json(r, o, setup);
  CHECK(j.dump() ==
        R"({"network":"small.net","parameters":58,"data":"X.npy,y.npy","projection":"fastfood","baseline":0.8,)"
        R"("threshold":{"kind":"relative","value":0.9,"accuracy":0.7200000000000001},"d_int90":5,"complete":true,)"
        R"("runs":[{"d":2,"seed":0,"accuracy":0.5,"fraction":0.625,"seconds":1.25},)"
        R"({"d":5,"seed":0,"accuracy":0.75,"fraction":0.9375,"seconds":0.5},)"
        R"({"d":5,"seed":1,"accuracy":0.73,"fraction":0.9125,"seconds":0.5}]})");
  const analysis::report::LinePlot plot = report::intrinsic_plot(r, o);
  CHECK(plot.title == "test accuracy in random subspaces (baseline 0.8000)");
  REQUIRE(plot.series.size() == 3);
  CHECK(plot.series[0].y == std::vector<double>{0.5, 0.75, 0.73});
  CHECK(plot.series[1].x == std::vector<double>{std::log10(2.0), std::log10(5.0)});
  CHECK(plot.series[1].y[1] == (0.75 + 0.73) / 2);
  CHECK(plot.series[2].name == "d_int90 = 5");
  REQUIRE(plot.references.size() == 1);
  CHECK(plot.references[0].label == "threshold: 0.90 of the baseline (0.7200)");
  CHECK(plot.references[0].y == r.target);
}
