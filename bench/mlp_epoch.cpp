// Benchmark mlp_epoch, netdim side (PyTorch twin: bench/mlp_epoch.py; run both with `bench/run mlp_epoch`).
//
// ONE epoch of Fashion-MNIST training, the way a user writes it: the 784-200-200-10
// ReLU MLP as nn::Model<double>(nn::mlp(784, {200, 200}, 10)), SGD lr 0.05 momentum
// 0.9, batch 64, cross-entropy, shuffled minibatches over the 60000 training images
// (flattened, pixels / 255), through nn::train with epochs = 1 and no progress bar.
// Only the epoch is timed (not loading the data).
//
// Both sides start from the same parameters: drawn from the splitmix64 stream of
// bench/mlp_grad (seed 1), U(-1/sqrt(fan_in), 1/sqrt(fan_in)) in PyTorch layout (per
// layer weight [out, in], then bias), and set with model.set_parameters. bench/run
// compares check_initial_loss (cross-entropy of that model on the first 1000 training
// images) and check_pixel_sum / check_label_sum (the same data was read). The shuffling
// orders differ between the sides, so the final train loss and accuracy (the running
// means over the epoch, as the trainer reports them) are information, not checks.
//
// Output: the BLAS actually loaded, check_* fingerprints, the final train loss and
// accuracy, and the seconds per epoch (netdim_seconds; the median with --epochs N > 1).
// Options: --epochs N   epochs to time (default 1), trained on one after the other
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "bench/mlp_layout.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/train/optimizer.hpp"
#include "netdim/nn/train/trainer.hpp"

using namespace netdim;
using namespace netdim::nn;
using T = double;

namespace {

constexpr const char* kProgram = "bench_mlp_epoch";

constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::uint64_t kSeedTheta = 1;  // the stream bench/mlp_grad draws its parameters from
constexpr std::size_t kCheckImages = 1000;
constexpr std::size_t kBatch = 64;
constexpr double kLr = 0.05, kMomentum = 0.9;

// --epochs N: epochs to time (default 1).
std::size_t epochs_option(int argc, char** argv) {
  const long n = std::atol(bench::option_value(kProgram, argc, argv, "--epochs", "N", "1"));
  if (n < 1) bench::usage_error(kProgram, "--epochs must be a positive integer");
  return static_cast<std::size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t epochs = epochs_option(argc, argv);
  try {
    const auto train_set = data::load_fashion_mnist<T>("train");
    if (train_set.size() != 60000 || train_set.inputs.size() != 60000 * kWidths[0])
      bench::fail(kProgram, "expected 60000 flattened training images of 784 pixels");

    nn::Model<T> model(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3]), /*seed=*/0);
    model.set_parameters(bench::pytorch_mlp_parameters(kProgram, model, kWidths, kSeedTheta));
    SGD<T> sgd(kLr, kMomentum);

    std::printf("problem=784-200-200-10 ReLU MLP, float64, %zu parameters; one epoch of %zu images, batch %zu, "
                "SGD lr %g momentum %g, cross-entropy\n",
                model.parameter_count(), train_set.size(), kBatch, kLr, kMomentum);
    bench::print_blas();

    // The problem's fingerprints: the data read, and the initial model on the first images.
    double pixels = 0, labels = 0;
    for (const T v : train_set.inputs) pixels += v;
    for (const int y : train_set.labels) labels += y;
    const nn::Evaluation initial =
        nn::evaluate(model, model.parameters(), bench::first_examples(train_set, kCheckImages), nn::LossKind::CrossEntropy);
    std::printf("check_pixel_sum=%.15e\n", pixels);
    std::printf("check_label_sum=%.15e\n", labels);
    std::printf("check_initial_loss=%.15e\n", initial.loss);

    nn::TrainOptions options;
    options.epochs = epochs;
    options.batch_size = kBatch;
    options.loss = nn::LossKind::CrossEntropy;
    options.progress = 0;
    const bench::TimedTraining timed =
        bench::timed_epochs(kProgram, "epoch", epochs, [&] { return nn::train(model, sgd, train_set, nullptr, options); });
    const nn::TrainResult& result = timed.result;
    const std::vector<double>& times = timed.seconds;
    const double total = timed.total;
    std::printf("final_train_loss=%.6f final_train_accuracy=%.4f\n", result.epochs.back().train.loss,
                result.epochs.back().train.accuracy);
    std::printf("epochs=%zu total %.3f s, %zu steps per epoch\n", epochs, total, (train_set.size() + kBatch - 1) / kBatch);
    std::printf("netdim_min_seconds=%.6e\n", *std::min_element(times.begin(), times.end()));
    std::printf("netdim_seconds=%.6e\n", bench::median(times));
  } catch (const std::exception& e) {
    bench::fail(kProgram, e.what());
  }
  return 0;
}
