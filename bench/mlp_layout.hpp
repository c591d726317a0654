// What the benchmarks that train nn's MLP share (mlp_epoch, subspace_epoch):
// the PyTorch-layout initial parameters both sides start from, the first
// images of a data set for the initial-loss fingerprint, and the timed epochs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/train/trainer.hpp"

namespace netdim::bench {

// PyTorch's default Linear initialisation (draw_mlp_parameters, stream `seed`) as the
// model's flat parameter vector. Checks first that the model keeps its blocks in
// PyTorch's layout (per layer weight [out, in], then bias), else fails `program`.
template <class T>
Tensor<T> pytorch_mlp_parameters(const char* program, const nn::Model<T>& model, std::span<const std::size_t> widths,
                                 std::uint64_t seed) {
  const auto& blocks = model.blocks();
  if (blocks.size() != 2 * (widths.size() - 1)) fail(program, "the MLP does not have a weight and a bias block per layer");
  std::size_t at = 0;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    const Shape weight{widths[l + 1], widths[l]}, bias{widths[l + 1]};
    const nn::ParameterBlock &w = blocks[2 * l], &b = blocks[2 * l + 1];
    if (w.is_bias || w.shape != weight || w.offset != at || !b.is_bias || b.shape != bias || b.offset != at + w.size())
      fail(program, "the model's parameter layout is not PyTorch's (layer " + std::to_string(l + 1) + ")");
    at += w.size() + b.size();
  }
  if (at != model.parameter_count()) fail(program, "the model has parameters beyond its dense layers");
  Tensor<double> drawn = Tensor<double>::from_shape({at});
  draw_mlp_parameters(widths, seed, drawn.data());
  Tensor<T> theta = Tensor<T>::from_shape({at});
  std::transform(drawn.begin(), drawn.end(), theta.begin(), [](double v) { return static_cast<T>(v); });
  return theta;
}

// The first n examples of a data set (flattened inputs).
template <class T>
data::Dataset<T> first_examples(const data::Dataset<T>& set, std::size_t n) {
  data::Dataset<T> out;
  const std::size_t row = set.inputs.size() / set.size();
  out.inputs = Tensor<T>::from_shape({n, row});
  std::copy_n(set.inputs.data(), n * row, out.inputs.data());
  out.labels.assign(set.labels.begin(), set.labels.begin() + static_cast<long>(n));
  return out;
}

struct TimedTraining {
  nn::TrainResult result;
  std::vector<double> seconds;  // per epoch: the trainer's own clock; with one epoch, the whole call
  double total = 0;             // the whole call
};

// Runs `train()` (nn::train for `epochs` epochs), printing "LABEL N: train_loss=...
// train_accuracy=... seconds=..." per epoch; fails `program` when training stopped early.
template <class Train>
TimedTraining timed_epochs(const char* program, const char* label, std::size_t epochs, Train&& train) {
  TimedTraining t;
  const auto start = std::chrono::steady_clock::now();
  t.result = train();
  t.total = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (t.result.epochs.size() != epochs) fail(program, std::string(label) + ": training stopped early");
  for (const nn::EpochResult& e : t.result.epochs) {
    std::printf("%s %zu: train_loss=%.6f train_accuracy=%.4f seconds=%.3f\n", label, e.epoch, e.train.loss,
                e.train.accuracy, e.seconds);
    t.seconds.push_back(e.seconds);
  }
  if (epochs == 1) t.seconds[0] = t.total;
  return t;
}

}  // namespace netdim::bench
