// Trains a network on Fashion-MNIST (Debian's dataset-fashion-mnist) and
// reports train/test loss and accuracy per epoch.
//   train_fashion --model mlp   784-200-200-10 ReLU MLP (seed 002's FC network)
//   train_fashion --model cnn   a small CNN: two conv+pool stages and two dense layers
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <limits>

#include "netdim/analysis/report/line_plot.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/train/trainer.hpp"
#include "netdim/support/stop_requests.hpp"

using namespace netdim;
using namespace netdim::nn;

namespace {

Architecture small_cnn() {
  Architecture a;
  auto h = a.input(Shape{1, 28, 28});
  for (std::size_t channels : {16, 32}) {
    Conv2dOptions c;
    c.out_channels = channels;
    c.window.kernel = {3, 3};
    c.window.padding = {1, 1};
    h = a.max_pool2d(a.activation(a.conv2d(h, c), Activation::Relu), Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}});
  }
  h = a.activation(a.dense(a.flatten(h), 128), Activation::Relu);
  a.dense(h, 10);
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Train a network on Fashion-MNIST"};
  std::string model_name = "mlp", csv, checkpoint, plot, dir = data::kFashionMnistDir;
  std::size_t epochs = 10, batch = 64;
  double lr = 0.05, momentum = 0.9;
  std::uint64_t seed = 0;
  app.add_option("--model", model_name, "mlp or cnn")->check(CLI::IsMember({"mlp", "cnn"}));
  app.add_option("--epochs", epochs, "epochs")->check(cli::integer_in(1, 100000));
  app.add_option("--batch", batch, "minibatch size")->check(cli::integer_in(1, 60000));
  app.add_option("--lr", lr, "SGD learning rate")->check(cli::finite_in(0, 1e3, cli::Ends::OpenLow));
  app.add_option("--momentum", momentum, "SGD momentum")->check(cli::finite_in(0, 1, cli::Ends::OpenHigh));
  app.add_option("--seed", seed, "seed of initialisation and shuffling")
      ->check(cli::integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  app.add_option("--csv", csv, "write a CSV log here");
  app.add_option("--checkpoint", checkpoint, "save the parameters here after every epoch");
  app.add_option("--plot", plot, "write the accuracy curves as SVG here");
  app.add_option("--data", dir, "directory of the Fashion-MNIST IDX files");
  if (const auto code = cli::parse(app, argc, argv)) return *code;

  try {
    // Every output is checked before the data is loaded: a bad path costs nothing.
    const std::pair<const std::string*, const char*> outputs[] = {
        {&csv, "--csv"}, {&checkpoint, "--checkpoint"}, {&plot, "--plot"}};
    for (const auto& [path, option] : outputs)
      if (!path->empty()) cli::require_writable(*path, option);
    const bool cnn = model_name == "cnn";
    const auto train_set = data::load_fashion_mnist<double>("train", dir, !cnn);
    const auto test_set = data::load_fashion_mnist<double>("test", dir, !cnn);
    Model<double> model(cnn ? small_cnn() : mlp(784, {200, 200}, 10), seed);
    SGD<double> sgd(lr, momentum);
    TrainOptions options;
    options.epochs = epochs;
    options.batch_size = batch;
    options.shuffle_seed = seed;
    options.csv_log = csv;
    options.checkpoint = checkpoint;
    std::printf("%s: %zu parameters, SGD lr %g momentum %g, batch %zu\n", model_name.c_str(), model.parameter_count(), lr,
                momentum, batch);
    std::printf("%5s %10s %10s %10s %10s %8s\n", "epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds");
    options.on_epoch = [](const EpochResult& e) {
      std::printf("%5zu %10.4f %10.4f %10.4f %10.4f %8.1f\n", e.epoch, e.train.loss, e.train.accuracy, e.test.loss,
                  e.test.accuracy, e.seconds);
      std::fflush(stdout);
    };
    // Ctrl-C stops at the end of a batch, keeping the checkpoint valid.
    const support::StopRequestScope stop_scope;
    options.stop_requested = [] { return support::stop_requested(); };
    const TrainResult r = train(model, sgd, train_set, &test_set, options);
    if (!plot.empty()) {
      analysis::report::LinePlot curves{"Fashion-MNIST, " + model_name, "epoch", "accuracy", {}, {}};
      analysis::report::Series train_acc{"train", {}, {}}, test_acc{"test", {}, {}};
      for (const EpochResult& e : r.epochs) {
        train_acc.x.push_back(static_cast<double>(e.epoch));
        train_acc.y.push_back(e.train.accuracy);
        test_acc.x.push_back(static_cast<double>(e.epoch));
        test_acc.y.push_back(e.test.accuracy);
      }
      curves.series = {train_acc, test_acc};
      analysis::report::write_svg(plot, curves);
    }
    if (r.interrupted) std::printf("interrupted: stopped at the end of a batch\n");
    return r.interrupted ? 130 : 0;
  } catch (const std::exception& e) {
    std::cerr << "train_fashion: " << e.what() << "\n";
    return 1;
  }
}
