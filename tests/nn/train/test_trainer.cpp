// Training: a tiny net learns a tiny set; checkpoints round-trip and refuse
// foreign files; stop_requested (Ctrl-C) stops at the end of a batch with a valid
// checkpoint, and train() itself never reads or installs the process's signals.
#include <doctest/doctest.h>

#include <cmath>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <csignal>
#include <unistd.h>

#include "netdim/nn/checkpoint.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/train/trainer.hpp"
#include "netdim/support/stop_signals.hpp"
#include "tests/nn/two_classes.hpp"

using namespace netdim;
using netdim::testing::two_classes;
using namespace netdim::nn;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim-trainer-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

// An optimiser that asks to stop on a given step (the third by default), as a user pressing
// Ctrl-C mid-epoch would: train() sees it through options.stop_requested.
class InterruptingSGD final : public Optimizer<double> {
 public:
  explicit InterruptingSGD(std::size_t at = 3) : Optimizer<double>("InterruptingSGD", 0.1), at_(at) {}

 protected:
  void start(std::size_t) override {}
  void update(std::span<double> params, std::span<const double> grad, std::size_t step) override {
    for (std::size_t i = 0; i < params.size(); ++i) params[i] -= lr() * grad[i];
    if (step == at_) stop_ = true;
  }

 public:
  bool stop_asked() const { return stop_; }

 private:
  std::size_t at_;
  bool stop_ = false;
};

std::vector<std::string> csv_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace

TEST_CASE("a tiny network learns a tiny classification set, with a CSV log") {
  const auto train_set = two_classes(256, 1), test_set = two_classes(128, 2);
  Model<double> model(mlp(2, {16}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 3);
  Adam<double> adam(0.02);
  TrainOptions options;
  options.epochs = 15;
  options.batch_size = 32;
  options.csv_log = temp_path("log.csv");
  const TrainResult r = train(model, adam, train_set, &test_set, options);
  REQUIRE(r.epochs.size() == 15);
  CHECK_FALSE(r.interrupted);
  CHECK(r.epochs.back().train.loss < r.epochs.front().train.loss);
  CHECK(r.epochs.back().test.accuracy > 0.9);
  // The epoch's test numbers are those of the model as it stands.
  const Evaluation again = evaluate(model, model.parameters(), test_set, LossKind::CrossEntropy);
  CHECK(again.accuracy == doctest::Approx(r.epochs.back().test.accuracy));
  std::ifstream csv(options.csv_log);
  std::string header, line;
  std::getline(csv, header);
  CHECK(header == "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete");
  std::size_t rows = 0;
  while (std::getline(csv, line)) {
    ++rows;
    CHECK(line.ends_with(",1"));  // every epoch ran to its end
  }
  CHECK(rows == 15);
}

TEST_CASE("regression with mean squared and mean absolute losses") {
  // A smooth target a small net can learn: (x0 x1, sin 2 x2).
  auto set = data::random_points<double>(64, 3, 2, 4);
  for (std::size_t i = 0; i < set.size(); ++i) {
    set.targets(i, 0) = set.inputs(i, 0) * set.inputs(i, 1);
    set.targets(i, 1) = std::sin(2 * set.inputs(i, 2));
  }
  for (LossKind loss : {LossKind::MeanSquared, LossKind::MeanAbsolute}) {
    Model<double> model(mlp(3, {32}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 5);
    SGD<double> sgd(0.05, 0.9, 0, 0, true);
    TrainOptions options;
    options.epochs = 30;
    options.batch_size = 16;
    options.loss = loss;
    const TrainResult r = train(model, sgd, set, nullptr, options);
    CHECK(r.epochs.back().train.loss < 0.5 * r.epochs.front().train.loss);
    CHECK(std::isnan(r.epochs.back().train.accuracy));
    CHECK(std::isnan(r.epochs.back().test.loss));
  }
}

TEST_CASE("the same seeds give the same training run") {
  const auto set = two_classes(64, 6);
  const auto run = [&] {
    Model<double> model(mlp(2, {4}, 2), 7);
    SGD<double> sgd(0.05);
    TrainOptions options;
    options.epochs = 3;
    options.batch_size = 10;
    options.shuffle_seed = 11;
    train(model, sgd, set, nullptr, options);
    return model.parameters();
  };
  CHECK(run() == run());
}

TEST_CASE("checkpoints round-trip and refuse another architecture or a damaged file") {
  const auto path = temp_path("model.ckpt");
  Model<double> a(mlp(4, {3}, 2), 1);
  save_checkpoint(path, a);
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  // A save that cannot happen says so and leaves nothing behind.
  const auto nowhere = temp_path("no_such_dir") / "model.ckpt";
  CHECK_THROWS_WITH_AS(save_checkpoint(nowhere, a), doctest::Contains("cannot write"), data::DataError);
  CHECK_FALSE(std::filesystem::exists(nowhere.parent_path()));
  Model<double> b(mlp(4, {3}, 2), 2);
  CHECK(a.parameters() != b.parameters());
  load_checkpoint(path, b);
  CHECK(a.parameters() == b.parameters());
  Model<double> other(mlp(4, {5}, 2), 1);
  CHECK_THROWS_WITH_AS(load_checkpoint(path, other), doctest::Contains("saved for architecture"), CheckpointError);
  // Truncated, foreign and missing files.
  const auto size = std::filesystem::file_size(path);
  std::filesystem::resize_file(path, size - 8);
  CHECK_THROWS_WITH_AS(load_checkpoint(path, b), doctest::Contains("truncated"), CheckpointError);
  std::ofstream(path, std::ios::trunc) << "hello";
  CHECK_THROWS_WITH_AS(load_checkpoint(path, b), doctest::Contains("not a netdim checkpoint"), CheckpointError);
  CHECK_THROWS_WITH_AS(load_checkpoint(temp_path("missing.ckpt"), b), doctest::Contains("missing.ckpt: cannot open"),
                       CheckpointError);
}

TEST_CASE("a checkpoint cut anywhere says truncated") {
  const auto path = temp_path("cut.ckpt"), cut = temp_path("cut_prefix.ckpt");
  Model<double> a(mlp(3, {2}, 2), 1);
  save_checkpoint(path, a);
  std::ifstream in(path, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Every prefix: inside the magic number, the version (which once read as "version 0"),
  // the fingerprint, the count and the parameters.
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    CAPTURE(n);
    std::ofstream(cut, std::ios::binary | std::ios::trunc).write(bytes.data(), static_cast<std::streamsize>(n));
    CHECK_THROWS_WITH_AS(load_checkpoint(cut, a), doctest::Contains("truncated"), CheckpointError);
  }
}

TEST_CASE("a checkpoint with a NaN or infinite parameter is refused, naming the block") {
  const auto path = temp_path("nonfinite.ckpt");
  Model<double> a(mlp(3, {2}, 2), 1);
  Model<double> b(mlp(3, {2}, 2), 2);
  const Tensor<double> before = b.parameters();
  // Parameter 7 is dense1.bias[1] (dense1.weight is [2, 3], entries 0..5).
  for (const double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    Tensor<double> theta = a.parameters();
    theta(7) = bad;
    a.set_parameters(theta);
    save_checkpoint(path, a);
    CHECK_THROWS_WITH_AS(load_checkpoint(path, b), doctest::Contains("parameter dense1.bias[1] is"), CheckpointError);
    CHECK(b.parameters() == before);  // left as it was
  }
}

TEST_CASE("a foreign fingerprint is quoted escaped, on one line") {
  const auto path = temp_path("fingerprint.ckpt");
  Model<double> a(mlp(3, {2}, 2), 1);
  save_checkpoint(path, a);
  std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
  f.seekp(12);  // magic 8 + version 4
  f.write("\n\x1b[2Jabcdefghijk", 16);
  f.close();
  try {
    load_checkpoint(path, a);
    FAIL("expected a CheckpointError");
  } catch (const CheckpointError& e) {
    const std::string message = e.what();
    CHECK(message.find("saved for architecture \\x0a\\x1b[2Jabcdefghijk") != std::string::npos);
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find('\x1b') == std::string::npos);
  }
}

TEST_CASE("Ctrl-C stops training at the end of a batch and leaves a valid checkpoint") {
  const auto set = two_classes(100, 8);
  Model<double> model(mlp(2, {4}, 2), 9);
  InterruptingSGD optimizer;
  TrainOptions options;
  options.epochs = 5;
  options.batch_size = 10;
  options.checkpoint = temp_path("interrupted.ckpt");
  options.stop_requested = [&] { return optimizer.stop_asked(); };
  const TrainResult r = train(model, optimizer, set, nullptr, options);
  CHECK(r.interrupted);
  REQUIRE(r.epochs.size() == 1);  // the partial epoch is reported
  CHECK(optimizer.steps() == 3);
  Model<double> restored(mlp(2, {4}, 2), 0);
  load_checkpoint(options.checkpoint, restored);
  CHECK(restored.parameters() == model.parameters());
}

TEST_CASE("train() stops only when its stop_requested says so, and leaves the signals alone") {
  const auto set = two_classes(100, 8);
  Model<double> model(mlp(2, {4}, 2), 9);
  SGD<double> sgd(0.1);
  TrainOptions options;
  options.epochs = 2;
  options.batch_size = 10;
  options.progress = 0;
  struct sigaction before {}, after {};
  REQUIRE(sigaction(SIGINT, nullptr, &before) == 0);
  support::set_stop_signal(SIGINT);  // a process-wide stop pending: not train()'s business
  const TrainResult r = train(model, sgd, set, nullptr, options);
  support::set_stop_signal(0);
  REQUIRE(sigaction(SIGINT, nullptr, &after) == 0);
  CHECK_FALSE(r.interrupted);
  CHECK(r.epochs.size() == 2);
  const bool same_handler = after.sa_handler == before.sa_handler;
  CHECK(same_handler);  // no handler installed by the library
  std::size_t polls = 0;
  options.stop_requested = [&] { return ++polls == 4; };
  const TrainResult stopped = train(model, sgd, set, nullptr, options);
  CHECK(stopped.interrupted);
  CHECK(polls == 4);  // once a batch, and the stop is taken at once
  REQUIRE(stopped.epochs.size() == 1);
  CHECK_FALSE(stopped.epochs[0].complete);
}

TEST_CASE("training refuses data that does not fit the loss") {
  const auto points = data::random_points<double>(10, 2, 1, 1);
  Model<double> model(mlp(2, {3}, 2));
  SGD<double> sgd(0.1);
  TrainOptions options;
  CHECK_THROWS_WITH_AS(train(model, sgd, points, nullptr, options), doctest::Contains("no class labels"),
                       std::invalid_argument);
  options.loss = LossKind::MeanSquared;
  CHECK_THROWS_WITH_AS(train(model, sgd, points, nullptr, options), doctest::Contains("targets have shape [10, 1]"),
                       ShapeError);
}

TEST_CASE("an epoch cut short by Ctrl-C is marked partial in the result and the CSV log") {
  const auto set = two_classes(100, 8);
  for (const std::size_t at : {std::size_t{3}, std::size_t{10}, std::size_t{13}}) {
    CAPTURE(at);  // 10 batches an epoch: step 10 ends epoch 1 exactly, 13 is inside epoch 2
    Model<double> model(mlp(2, {4}, 2), 9);
    InterruptingSGD optimizer(at);
    TrainOptions options;
    options.epochs = 5;
    options.batch_size = 10;
    options.csv_log = temp_path("partial.csv");
    options.stop_requested = [&] { return optimizer.stop_asked(); };
    const TrainResult r = train(model, optimizer, set, &set, options);
    CHECK(r.interrupted);
    const bool ends_epoch = at % 10 == 0;
    // A partial epoch stops at once: no test pass (NaN); a whole one is evaluated.
    CHECK(std::isnan(r.epochs.back().test.loss) == !ends_epoch);
    REQUIRE(r.epochs.size() == (at - 1) / 10 + 1);
    CHECK(r.epochs.back().complete == ends_epoch);
    const auto lines = csv_lines(options.csv_log);
    REQUIRE(lines.size() == r.epochs.size() + 1);
    CHECK(lines.front().ends_with(",complete"));
    for (std::size_t i = 1; i + 1 < lines.size(); ++i) CHECK(lines[i].ends_with(",1"));
    CHECK(lines.back().ends_with(ends_epoch ? ",1" : ",0"));
    // Still a rectangular CSV: every row has the header's seven fields.
    for (const std::string& line : lines) CHECK(std::count(line.begin(), line.end(), ',') == 6);
  }
}

TEST_CASE("training checks its output paths before the first batch") {
  const auto set = two_classes(20, 8);
  Model<double> model(mlp(2, {4}, 2), 9);
  const Tensor<double> before = model.parameters();
  SGD<double> sgd(0.1);
  TrainOptions options;
  options.epochs = 1;
  options.csv_log = temp_path("log_dir_not_file");
  std::filesystem::create_directories(options.csv_log);
  CHECK_THROWS_WITH_AS(train(model, sgd, set, nullptr, options), doctest::Contains("a directory, not a regular file"),
                       data::DataError);
  options.csv_log.clear();
  options.checkpoint = temp_path("no_such_dir") / "x.ckpt";
  CHECK_THROWS_WITH_AS(train(model, sgd, set, nullptr, options), doctest::Contains("cannot write"), data::DataError);
  CHECK(sgd.steps() == 0);
  CHECK(model.parameters() == before);
}
