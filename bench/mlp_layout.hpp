// What the benchmarks that train nn's MLP share (mlp_epoch, subspace_epoch):
// the PyTorch-layout initial parameters both sides start from, and the first
// images of a data set for the initial-loss fingerprint.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "bench/bench_common.hpp"
#include "nn/data/dataset.hpp"
#include "nn/model.hpp"

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

}  // namespace netdim::bench
