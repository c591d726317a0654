// train's reports without a subprocess (analysis/report/training_report): the runs CSV, the
// JSON's keys, the budget table's text and the mean curves.
#include <doctest/doctest.h>

#include <algorithm>

#include "netdim/analysis/report/training_report.hpp"

namespace netdim {
namespace {

analysis::TrainingComparison made_up_comparison() {
  analysis::TrainingComparison c;
  for (std::uint64_t seed : {0, 1}) {
    analysis::TrainingRun run;
    run.network = 0;
    run.seed = seed;
    run.complete = true;
    for (std::size_t e = 1; e <= 2; ++e) {
      nn::EpochResult r;
      r.epoch = e;
      r.train.loss = 1.0 / double(e);
      r.train.accuracy = 0.5 + 0.25 * double(e) / 2 + 0.0625 * double(seed);
      r.test.loss = 2.0 / double(e);
      r.test.accuracy = 0.5;
      r.seconds = 0.5;
      r.complete = true;
      run.epochs.push_back(r);
    }
    c.runs.push_back(run);
  }
  return c;
}

}  // namespace

TEST_CASE("training report: CSV rows per run and epoch, JSON keys, the table, the curves") {
  const analysis::TrainingComparison c = made_up_comparison();
  const std::vector<analysis::report::TrainedNetwork> networks{{"mlp", 199210, std::nullopt}};
  const std::string csv = analysis::report::training_runs_csv(networks, c);
  CHECK(csv.rfind("network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete\n"
                  "mlp,0,1,1,0.625,2,0.5,0.5,1\n",
                  0) == 0);
  CHECK(std::count(csv.begin(), csv.end(), '\n') == 5);
  const auto table = analysis::budget_table(c, 1, {1, 2});
  analysis::TrainingPlan plan;
  plan.epochs = 2;
  plan.seeds = 2;
  const nlohmann::ordered_json j =
      analysis::report::training_json({"made-up data", plan, "float32", 0}, networks, c, table);
  std::vector<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.push_back(k);
  CHECK(keys == std::vector<std::string>{"setup", "networks", "table", "runs", "interrupted"});
  CHECK(j.at("setup").at("data") == "made-up data");
  CHECK(j.at("networks").at(0).at("esd").is_null());
  CHECK(j.at("table").size() == 2);
  CHECK(j.at("runs").at(1).at("epochs").size() == 2);
  const std::string text = analysis::report::training_table_text(networks, table);
  CHECK(text.find("mlp") != std::string::npos);
  CHECK(text.find("199210") != std::string::npos);
  CHECK(text.find("accuracy: mean +- sample standard deviation over the seeds") != std::string::npos);
  const analysis::report::LinePlot train = analysis::report::training_curves(networks, c, false, "made-up data");
  REQUIRE(train.series.size() == 1);
  CHECK(train.series[0].x == std::vector<double>{1, 2});
  CHECK(train.series[0].y[1] == doctest::Approx(0.75 + 0.03125));  // the mean over the two seeds
  CHECK(train.title == "training accuracy, made-up data");
}

}  // namespace netdim
