// Benchmark subspace_epoch, netdim side (PyTorch twin: bench/subspace_epoch.py; run both
// with `bench/run subspace_epoch`).
//
// ONE Fashion-MNIST epoch of the 784-200-200-10 ReLU MLP (D = 199,210 parameters) trained
// in a d = 1000 Fastfood subspace, theta = theta0 + P d (seed 002), float32, the way a
// user writes it: nn::Model<float>(nn::mlp(...)), an nn::subspace::Subspace over a
// FastfoodProjection<float>, Adam lr 1e-3 on d, batch 128 (seed 002's code), cross-entropy,
// shuffled minibatches over the 60,000 training images, through nn::train. Only the epoch
// is timed. Then, for the second target (a subspace epoch costs at most 2x a full one), the
// same network trained in full for the same epochs: full_epoch_seconds and
// subspace_over_full.
//
// Both sides train the same problem: theta0 is the splitmix64 draw of bench/mlp_epoch
// (seed 1, PyTorch layout), and netdim writes its Fastfood transform (signs B, permutation
// Pi, G with S folded in; [blocks, L] each, float64) to $BENCH_TMPDIR, which the PyTorch
// side loads and applies with its own Walsh-Hadamard transform. bench/run compares the
// check_* fingerprints, all computed in float64 so that the sides agree to 1e-8: the data
// read, the initial loss on the first 1000 images, and P x and P^T w for seeded x and w
// (which also checks the two Walsh-Hadamard transforms against each other). The shuffles
// differ, so the epoch's loss and accuracy are information, not checks.
//
// Output: the BLAS, check_* fingerprints, per-epoch figures, netdim_seconds (the median
// subspace epoch), full_epoch_seconds and subspace_over_full.
// Options: --epochs N   epochs to time on each side (default 1)
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "netdim/autodiff/ops.hpp"
#include "bench/bench_common.hpp"
#include "bench/mlp_layout.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/subspace/fastfood_projection.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"
#include "netdim/nn/train/optimizer.hpp"
#include "netdim/nn/train/trainer.hpp"

using namespace netdim;

namespace {

constexpr const char* kProgram = "bench_subspace_epoch";

constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::size_t kSubspaceDim = 1000;
constexpr std::uint64_t kSeedTheta = 1;       // bench/mlp_epoch's parameters
constexpr std::uint64_t kSeedProjection = 2;  // the Fastfood transform
constexpr std::uint64_t kSeedCheckX = 3, kSeedCheckW = 4;
constexpr std::size_t kCheckImages = 1000;
constexpr std::size_t kBatch = 128;
constexpr double kLr = 1e-3;

std::size_t epochs_option(int argc, char** argv) {
  const long n = std::atol(bench::option_value(kProgram, argc, argv, "--epochs", "N", "1"));
  if (n < 1) bench::usage_error(kProgram, "--epochs must be a positive integer");
  return static_cast<std::size_t>(n);
}

// Entries 0..n-1 of splitmix64 stream `seed`, uniform in [-1, 1).
Tensor<double> seeded_vector(std::uint64_t seed, std::size_t n) {
  Tensor<double> v = Tensor<double>::from_shape({n});
  for (std::size_t i = 0; i < n; ++i) v(i) = 2 * bench::uniform_at(seed, i) - 1;
  return v;
}

// The transform as [blocks, L] float64 arrays, for the PyTorch side.
void export_fastfood(const nn::subspace::FastfoodProjection<double>& p, const std::filesystem::path& dir) {
  const Shape shape{p.block_count(), p.block_order()};
  Tensor<double> signs = Tensor<double>::from_shape(shape), gauss = Tensor<double>::from_shape(shape);
  std::copy(p.signs().begin(), p.signs().end(), signs.begin());
  std::copy(p.scaled_gaussians().begin(), p.scaled_gaussians().end(), gauss.begin());
  const std::vector<std::int64_t> permutation(p.permutation().begin(), p.permutation().end());
  data::write_npy(dir / "fastfood_signs.npy", signs);
  data::write_npy(dir / "fastfood_gaussians.npy", gauss);
  data::write_npy_integers(dir / "fastfood_permutation.npy", shape, permutation);
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t epochs = epochs_option(argc, argv);
  const char* tmpdir = std::getenv("BENCH_TMPDIR");
  if (!tmpdir || !*tmpdir)
    bench::usage_error(kProgram, "BENCH_TMPDIR is not set: run `bench/run subspace_epoch`, or set BENCH_TMPDIR=DIR for both sides");
  try {
    const auto train_set = data::load_fashion_mnist<float>("train");
    if (train_set.size() != 60000 || train_set.inputs.size() != 60000 * kWidths[0])
      bench::fail(kProgram, "expected 60000 flattened training images of 784 pixels");

    nn::Model<float> model(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3]), /*seed=*/0);
    const Tensor<float> theta0 = bench::pytorch_mlp_parameters(kProgram, model, kWidths, kSeedTheta);
    const std::size_t D = model.parameter_count();
    auto projection = std::make_shared<const nn::subspace::FastfoodProjection<float>>(kSeedProjection, D, kSubspaceDim);

    std::printf("problem=784-200-200-10 ReLU MLP, float32, D = %zu parameters in a d = %zu Fastfood subspace "
                "(%zu blocks of order %zu); one epoch of %zu images, batch %zu, Adam lr %g, cross-entropy\n",
                D, kSubspaceDim, projection->block_count(), projection->block_order(), train_set.size(), kBatch, kLr);
    bench::print_blas();

    // Fingerprints, in float64: the data, the initial model, and the transform.
    double pixels = 0, labels = 0;
    for (const float v : train_set.inputs) pixels += v;
    for (const int y : train_set.labels) labels += y;
    nn::Model<double> model64(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3]), /*seed=*/0);
    const data::Dataset<float> head32 = bench::first_examples(train_set, kCheckImages);
    data::Dataset<double> head64{Tensor<double>(xt::cast<double>(head32.inputs)), head32.labels};
    const nn::Evaluation initial =
        nn::evaluate(model64, bench::pytorch_mlp_parameters(kProgram, model64, kWidths, kSeedTheta), head64,
                     nn::LossKind::CrossEntropy);
    const nn::subspace::FastfoodProjection<double> projection64(kSeedProjection, D, kSubspaceDim);
    export_fastfood(projection64, tmpdir);
    const Tensor<double> x = seeded_vector(kSeedCheckX, kSubspaceDim), w = seeded_vector(kSeedCheckW, D);
    Tensor<double> px = Tensor<double>::from_shape({D}), ptw = Tensor<double>::from_shape({kSubspaceDim});
    projection64.apply(std::span<const double>(x.data(), x.size()), std::span<double>(px.data(), px.size()));
    projection64.apply_transpose(std::span<const double>(w.data(), w.size()), std::span<double>(ptw.data(), ptw.size()));
    std::printf("check_pixel_sum=%.15e\n", pixels);
    std::printf("check_label_sum=%.15e\n", labels);
    std::printf("check_initial_loss=%.15e\n", initial.loss);
    std::printf("check_projection_dot=%.15e\n", double(xt::sum(px * w)()));
    std::printf("check_projection_square=%.15e\n", double(xt::sum(px * px)()));
    std::printf("check_transpose_square=%.15e\n", double(xt::sum(ptw * ptw)()));

    nn::TrainOptions options;
    options.epochs = epochs;
    options.batch_size = kBatch;
    options.loss = nn::LossKind::CrossEntropy;
    options.progress = 0;

    nn::subspace::Subspace<float> sub(theta0, projection);
    nn::Adam<float> adam(kLr);
    const bench::TimedTraining subspace_run = bench::timed_epochs(
        kProgram, "subspace epoch", epochs, [&] { return nn::train(model, sub.trainable(), adam, train_set, nullptr, options); });
    const nn::TrainResult& result = subspace_run.result;
    const std::vector<double>& times = subspace_run.seconds;

    model.set_parameters(theta0);
    nn::Adam<float> full_adam(kLr);
    const std::vector<double> full_times =
        bench::timed_epochs(kProgram, "full epoch", epochs, [&] { return nn::train(model, full_adam, train_set, nullptr, options); })
            .seconds;

    std::printf("final_train_loss=%.6f final_train_accuracy=%.4f\n", result.epochs.back().train.loss,
                result.epochs.back().train.accuracy);
    std::printf("epochs=%zu, %zu steps per epoch\n", epochs, (train_set.size() + kBatch - 1) / kBatch);
    const double subspace_epoch = bench::median(times), full_epoch = bench::median(full_times);
    std::printf("full_epoch_seconds=%.6e\n", full_epoch);
    std::printf("subspace_over_full=%.3f (target <= 2)\n", subspace_epoch / full_epoch);
    std::printf("netdim_min_seconds=%.6e\n", *std::min_element(times.begin(), times.end()));
    std::printf("netdim_seconds=%.6e\n", subspace_epoch);
  } catch (const std::exception& e) {
    bench::fail(kProgram, e.what());
  }
  return 0;
}
