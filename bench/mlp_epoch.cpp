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
#include <cblas.h>
#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "nn/data/dataset.hpp"
#include "nn/mlp.hpp"
#include "nn/model.hpp"
#include "nn/train/optimizer.hpp"
#include "nn/train/trainer.hpp"

using namespace netdim;
using T = double;

namespace {

constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::uint64_t kSeedTheta = 1;  // the stream bench/mlp_grad draws its parameters from
constexpr std::size_t kCheckImages = 1000;
constexpr std::size_t kBatch = 64;
constexpr double kLr = 0.05, kMomentum = 0.9;

// Element i of splitmix64 stream `seed`, as a double in [0, 1) (as in bench/mlp_grad.cpp).
double uniform_at(std::uint64_t seed, std::uint64_t i) {
  std::uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "bench_mlp_epoch: %s\n", msg.c_str());
  std::exit(1);
}

// PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias,
// in PyTorch layout. Checks first that the model keeps its blocks in that very layout.
Tensor<T> initial_theta(const nn::Model<T>& model) {
  const auto& blocks = model.blocks();
  if (blocks.size() != 2 * (kWidths.size() - 1)) fail("the MLP does not have 3 weight and 3 bias blocks");
  std::size_t at = 0;
  for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) {
    const Shape weight{kWidths[l + 1], kWidths[l]}, bias{kWidths[l + 1]};
    const nn::ParameterBlock &w = blocks[2 * l], &b = blocks[2 * l + 1];
    if (w.is_bias || w.shape != weight || w.offset != at || !b.is_bias || b.shape != bias ||
        b.offset != at + w.size())
      fail("the model's parameter layout is not PyTorch's (layer " + std::to_string(l + 1) + ")");
    at += w.size() + b.size();
  }
  if (at != model.parameter_count()) fail("the model has parameters beyond the three dense layers");

  Tensor<T> theta = Tensor<T>::from_shape({model.parameter_count()});
  at = 0;
  for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) {
    const T bound = T(1) / std::sqrt(T(kWidths[l]));
    const std::size_t n = kWidths[l + 1] * kWidths[l] + kWidths[l + 1];
    for (std::size_t i = 0; i < n; ++i, ++at) theta(at) = (2 * uniform_at(kSeedTheta, at) - 1) * bound;
  }
  return theta;
}

// The first n examples of a data set.
data::Dataset<T> head(const data::Dataset<T>& set, std::size_t n) {
  data::Dataset<T> out;
  const std::size_t row = set.inputs.size() / set.size();
  out.inputs = Tensor<T>::from_shape({n, row});
  std::copy_n(set.inputs.data(), n * row, out.inputs.data());
  out.labels.assign(set.labels.begin(), set.labels.begin() + static_cast<long>(n));
  return out;
}

std::string blas_description() {
  std::string s = openblas_get_config();
  s += " core=";
  s += openblas_get_corename();
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&openblas_get_config), &info) && info.dli_fname) {
    char real[4096];
    s += " lib=";
    s += realpath(info.dli_fname, real) ? real : info.dli_fname;
  }
  return s;
}

std::size_t epochs_option(int argc, char** argv) {
  long n = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--epochs") == 0 && i + 1 < argc) n = std::atol(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_mlp_epoch [--epochs N]\n");
      std::exit(2);
    }
  }
  if (n < 1) {
    std::fprintf(stderr, "bench_mlp_epoch: --epochs must be a positive integer\n");
    std::exit(2);
  }
  return static_cast<std::size_t>(n);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t epochs = epochs_option(argc, argv);
  try {
    const auto train_set = data::load_fashion_mnist<T>("train");
    if (train_set.size() != 60000 || train_set.inputs.size() != 60000 * kWidths[0])
      fail("expected 60000 flattened training images of 784 pixels");

    nn::Model<T> model(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3]), /*seed=*/0);
    model.set_parameters(initial_theta(model));
    SGD<T> sgd(kLr, kMomentum);

    std::printf("problem=784-200-200-10 ReLU MLP, float64, %zu parameters; one epoch of %zu images, batch %zu, "
                "SGD lr %g momentum %g, cross-entropy\n",
                model.parameter_count(), train_set.size(), kBatch, kLr, kMomentum);
    std::printf("blas=%s\n", blas_description().c_str());
    std::printf("blas_threads=%d\n", openblas_get_num_threads());

    // The problem's fingerprints: the data read, and the initial model on the first images.
    double pixels = 0, labels = 0;
    for (const T v : train_set.inputs) pixels += v;
    for (const int y : train_set.labels) labels += y;
    const nn::Evaluation initial =
        nn::evaluate(model, model.parameters(), head(train_set, kCheckImages), nn::LossKind::CrossEntropy);
    std::printf("check_pixel_sum=%.15e\n", pixels);
    std::printf("check_label_sum=%.15e\n", labels);
    std::printf("check_initial_loss=%.15e\n", initial.loss);

    nn::TrainOptions options;
    options.epochs = epochs;
    options.batch_size = kBatch;
    options.loss = nn::LossKind::CrossEntropy;
    options.progress = 0;
    const auto t0 = std::chrono::steady_clock::now();
    const nn::TrainResult result = nn::train(model, sgd, train_set, nullptr, options);
    const double total = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (result.epochs.size() != epochs) fail("training stopped early");

    // Seconds per epoch: the trainer's own per-epoch clock; with one epoch, the whole call.
    std::vector<double> times;
    for (const nn::EpochResult& e : result.epochs) {
      std::printf("epoch %zu: train_loss=%.6f train_accuracy=%.4f seconds=%.3f\n", e.epoch, e.train.loss,
                  e.train.accuracy, e.seconds);
      times.push_back(e.seconds);
    }
    if (epochs == 1) times[0] = total;
    std::sort(times.begin(), times.end());
    const std::size_t n = times.size();
    const double median = n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
    std::printf("final_train_loss=%.6f final_train_accuracy=%.4f\n", result.epochs.back().train.loss,
                result.epochs.back().train.accuracy);
    std::printf("epochs=%zu total %.3f s, %zu steps per epoch\n", epochs, total, (train_set.size() + kBatch - 1) / kBatch);
    std::printf("netdim_min_seconds=%.6e\n", times.front());
    std::printf("netdim_seconds=%.6e\n", median);
  } catch (const std::exception& e) {
    fail(e.what());
  }
  return 0;
}
