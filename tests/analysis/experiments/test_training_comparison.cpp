// Seed 003 section 5's training comparisons: each run is exactly the trainer's run
// from its seed, budgets read the right epochs, and the spreads are the hand values.
#include <doctest/doctest.h>

#include <cmath>

#include "netdim/analysis/experiments/training_comparison.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/mlp.hpp"

using namespace netdim;
using namespace netdim::analysis;

namespace {
TrainingPlan small_plan() {
  TrainingPlan plan;
  plan.networks = {nn::mlp(16, {6}, 3), nn::mlp(16, {16, 16}, 3, {.shortcuts = nn::Shortcuts::AddInputs})};
  plan.seeds = 2;
  plan.first_seed = 5;
  plan.epochs = 3;
  plan.batch_size = 10;
  plan.optimizer = {"sgd", 0.05, 0.9};
  return plan;
}
}  // namespace

TEST_CASE("training comparison: every run is the trainer's own run from its seed") {
  const auto images = data::random_noise_images<double>(40, 1, 4, 4, 3, 1);
  const auto test = data::random_noise_images<double>(20, 1, 4, 4, 3, 2);
  const TrainingPlan plan = small_plan();
  const TrainingComparison c = compare_training(plan, images, &test);
  REQUIRE(c.runs.size() == 4);
  CHECK_FALSE(c.interrupted);
  for (std::size_t i = 0; i < 4; ++i) {
    const TrainingRun& run = c.runs[i];
    CHECK(run.network == i / 2);
    CHECK(run.seed == 5 + i % 2);
    REQUIRE(run.epochs.size() == 3);
    // The same run by hand: model from the seed, the same shuffling seed.
    nn::Model<double> model(plan.networks[run.network], run.seed);
    nn::SGD<double> sgd(0.05, 0.9);
    nn::TrainOptions o;
    o.epochs = 3;
    o.batch_size = 10;
    o.shuffle_seed = run.seed;
    o.progress = 0;
    const auto flat = shaped_for(images, Shape{16});
    const auto flat_test = shaped_for(test, Shape{16});
    const nn::TrainResult direct = nn::train(model, sgd, flat, &flat_test, o);
    for (std::size_t e = 0; e < 3; ++e) {
      CHECK(run.epochs[e].train.loss == direct.epochs[e].train.loss);
      CHECK(run.epochs[e].test.accuracy == direct.epochs[e].test.accuracy);
    }
  }
  // The two seeds of a network differ (else the spread would say nothing).
  CHECK(c.runs[0].epochs[2].train.loss != c.runs[1].epochs[2].train.loss);

  const auto table = budget_table(c, 2, {1, 3, 7});
  REQUIRE(table.size() == 4);  // budget 7 is beyond the runs: skipped
  CHECK(table[1].network == 0);
  CHECK(table[1].epochs == 3);
  CHECK(table[1].runs == 2);
  const double a = c.runs[0].epochs[2].test.accuracy, b = c.runs[1].epochs[2].test.accuracy;
  CHECK(table[1].test_accuracy.mean == doctest::Approx((a + b) / 2));
  CHECK(table[1].test_accuracy.sd == doctest::Approx(std::abs(a - b) / std::sqrt(2.0)));
  const auto curve = mean_curve(c, 1, false);
  REQUIRE(curve.size() == 3);
  CHECK(curve[0] == doctest::Approx((c.runs[2].epochs[0].train.accuracy + c.runs[3].epochs[0].train.accuracy) / 2));
}

TEST_CASE("training comparison: spread, shapes and refusals") {
  const Spread s = spread({1, 2, 6});
  CHECK(s.mean == doctest::Approx(3));
  CHECK(s.sd == doctest::Approx(std::sqrt(7.0)));  // (4 + 1 + 9) / 2
  CHECK(s.min == 1);
  CHECK(s.max == 6);
  CHECK(spread({4}).sd == 0);
  CHECK(std::isnan(spread({}).mean));

  const auto images = data::random_noise_images<float>(6, 1, 4, 4, 2, 0);
  CHECK(shaped_for(images, Shape{16}).inputs.shape() == Shape{6, 16});
  CHECK(shaped_for(images, Shape{1, 4, 4}).inputs.shape() == Shape{6, 1, 4, 4});
  CHECK_THROWS_WITH_AS(shaped_for(images, Shape{15}), "the network takes inputs of shape [15], the data's are [1, 4, 4]",
                       std::invalid_argument);
  TrainingPlan plan = small_plan();
  plan.optimizer.name = "rmsprop";
  CHECK_THROWS_AS(compare_training(plan, images, nullptr), std::invalid_argument);
  plan.networks.clear();
  CHECK_THROWS_AS(compare_training(plan, images, nullptr), std::invalid_argument);
}

TEST_CASE("training comparison: Ctrl-C keeps the finished runs and marks the one cut short") {
  const auto images = data::random_noise_images<double>(40, 1, 4, 4, 3, 1);
  TrainingPlan plan = small_plan();
  TrainingCallbacks callbacks;
  callbacks.progress = 0;
  bool stop = false;  // as if Ctrl-C came at the end of that epoch
  callbacks.epoch_done = [&](const TrainingRun& run, const nn::EpochResult& e) {
    if (run.network == 0 && run.seed == 6 && e.epoch == 1) stop = true;
  };
  callbacks.stop_requested = [&] { return stop; };
  const TrainingComparison c = compare_training(plan, images, nullptr, callbacks);
  CHECK(c.interrupted);
  REQUIRE(c.runs.size() == 2);
  CHECK(c.runs[0].complete);
  CHECK_FALSE(c.runs[1].complete);
  const auto table = budget_table(c, 2, {1});
  REQUIRE(table.size() == 1);  // the cut run does not count
  CHECK(table[0].runs == 1);
}
