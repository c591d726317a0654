// Architectures: shape inference, parameter layout and counts (seeds 000, 001), errors.
#include <doctest/doctest.h>

#include "netdim/nn/mlp.hpp"

using namespace netdim;
using namespace netdim::nn;

TEST_CASE("parameter counts of the seed networks") {
  CHECK(mlp(784, {16, 16}, 10).parameter_count() == 13002);
  CHECK(mlp(2, {2}, 2).parameter_count() == 12);
  // Seed 000: y = b2 + w2 relu(b0 + w0 x) + w3 relu(b1 + w1 x).
  CHECK(mlp(1, {2}, 1).parameter_count() == 7);
  // Linear regression on 3 inputs.
  CHECK(mlp(3, {}, 1).parameter_count() == 4);
  // Seed 002's FC network.
  CHECK(mlp(784, {200, 200}, 10).parameter_count() == 199210);
  // Seed 003 figure 5: 3-3-3-1 without output bias has 27 weights and biases.
  MlpOptions fig5;
  fig5.activation = Activation::Sigmoid;
  fig5.output_bias = false;
  CHECK(mlp(3, {3, 3}, 1, fig5).parameter_count() == 27);
  fig5.shortcuts = Shortcuts::AddInputs;
  CHECK(mlp(3, {3, 3}, 1, fig5).parameter_count() == 27);  // shortcuts add no parameters
}

TEST_CASE("per-layer counts and the canonical parameter layout") {
  const Architecture a = mlp(784, {16, 16}, 10);
  const auto counts = a.parameter_counts();
  REQUIRE(counts.size() == 3);
  CHECK(counts[0].name == "dense1");
  CHECK(counts[0].weights == 12544);
  CHECK(counts[0].biases == 16);
  CHECK(counts[2].total() == 170);
  const auto blocks = a.parameter_blocks();
  REQUIRE(blocks.size() == 6);
  CHECK(blocks[0].name == "dense1.weight");
  CHECK(blocks[0].shape == Shape{16, 784});  // [out, in], like torch.nn.Linear
  CHECK(blocks[1].name == "dense1.bias");
  CHECK(blocks[1].offset == 12544);
  CHECK(blocks[5].offset + blocks[5].size() == 13002);
}

TEST_CASE("conv layers: PyTorch layout and output shapes") {
  Architecture a;
  const auto x = a.input(Shape{3, 32, 32});
  Conv2dOptions c;
  c.out_channels = 8;
  c.window.kernel = {3, 3};
  c.window.padding = {1, 1};
  c.window.stride = {2, 2};
  const auto conv = a.conv2d(x, c);
  CHECK(a.layer(conv).shape == Shape{8, 16, 16});
  Conv2dOptions g = c;
  g.groups = 4;
  g.window.stride = {1, 1};
  g.window.dilation = {2, 2};
  g.window.padding = {2, 2};
  const auto grouped = a.conv2d(conv, g);
  CHECK(a.layer(grouped).shape == Shape{8, 16, 16});
  const auto pooled = a.max_pool2d(grouped, Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}});
  CHECK(a.layer(pooled).shape == Shape{8, 8, 8});
  const auto gap = a.global_avg_pool(pooled);
  CHECK(a.layer(gap).shape == Shape{8});
  const auto blocks = a.parameter_blocks();
  CHECK(blocks[0].shape == Shape{8, 3, 3, 3});
  CHECK(blocks[2].shape == Shape{8, 2, 3, 3});  // in/groups = 8/4
  CHECK(a.parameter_count() == 8 * 27 + 8 + 8 * 18 + 8);
}

TEST_CASE("shortcuts: strict add, projection, and sampling with zero channels") {
  Architecture a;
  const auto x = a.input(Shape{4, 8, 8});
  Conv2dOptions c;
  c.out_channels = 8;
  c.window.kernel = {3, 3};
  c.window.stride = {2, 2};
  c.window.padding = {1, 1};
  const auto y = a.conv2d(x, c);  // [8, 4, 4]
  CHECK_THROWS_WITH_AS(a.add({x, y}), doctest::Contains("add: shapes differ: 'input' is [4, 8, 8] but 'conv1' is [8, 4, 4]"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(a.shortcut(x, y, Adapt::Identity), doctest::Contains("identity shortcut needs equal shapes"),
                       ShapeError);
  const auto sampled = a.shortcut(x, y, Adapt::Sample);
  CHECK(a.layer(sampled).shape == Shape{8, 4, 4});
  const std::size_t before = a.parameter_count();
  const auto projected = a.shortcut(x, y, Adapt::Projection);
  CHECK(a.layer(projected).shape == Shape{8, 4, 4});
  CHECK(a.parameter_count() == before + 8 * 4);  // a 1x1 conv, no bias
  // Sampling never drops channels.
  Architecture b;
  const auto wide = b.input(Shape{16, 8, 8});
  Conv2dOptions narrow = c;
  narrow.out_channels = 4;
  const auto z = b.conv2d(wide, narrow);
  CHECK_THROWS_WITH_AS(b.shortcut(wide, z, Adapt::Sample), doctest::Contains("never drops channels"), ShapeError);
}

TEST_CASE("shape errors name the layers and both shapes") {
  Architecture a;
  const auto x = a.input(Shape{1, 28, 28});
  CHECK_THROWS_WITH_AS(a.dense(x, 10), doctest::Contains("dense: expects a vector input [features], got [1, 28, 28] from 'input' (flatten it first)"),
                       ShapeError);
  Conv2dOptions big;
  big.out_channels = 2;
  big.window.kernel = {30, 30};
  CHECK_THROWS_WITH_AS(a.conv2d(x, big), doctest::Contains("does not fit"), ShapeError);
  Conv2dOptions groups;
  groups.out_channels = 3;
  groups.groups = 2;
  CHECK_THROWS_AS(a.conv2d(x, groups), ShapeError);
  const auto f = a.flatten(x);
  CHECK(a.layer(f).shape == Shape{784});
  const auto d = a.dense(f, 10);
  CHECK_THROWS_WITH_AS(a.concat({d, x}), doctest::Contains("concat"), ShapeError);
  CHECK_THROWS_AS(a.dense(d, 0), ShapeError);
  CHECK_THROWS_AS(a.input(Shape{3}), std::logic_error);
  CHECK_THROWS_WITH_AS(a.dense(d, 5, DenseOptions{true, {}, {}, "dense1"}), doctest::Contains("already exists"),
                       std::invalid_argument);
}

TEST_CASE("generated names are stable and the fingerprint identifies the architecture") {
  const Architecture a = mlp(4, {3, 3}, 2);
  CHECK(a.layer(1).name == "dense1");
  CHECK(a.layer(2).name == "relu1");
  CHECK(a.layer(3).name == "dense2");
  CHECK(a.fingerprint() == mlp(4, {3, 3}, 2).fingerprint());
  CHECK(a.fingerprint() != mlp(4, {3, 4}, 2).fingerprint());
  MlpOptions sig;
  sig.activation = Activation::Sigmoid;
  CHECK(a.fingerprint() != mlp(4, {3, 3}, 2, sig).fingerprint());
  CHECK(a.fingerprint().size() == 16);
}

TEST_CASE("shape inference never wraps: huge padding, dilation or channel counts are ShapeErrors") {
  constexpr std::size_t half = std::size_t{1} << 63;  // 2 * half wraps to 0
  Architecture a;
  const auto x = a.input(Shape{1, 8, 8});
  Conv2dOptions pad;
  pad.out_channels = 2;
  pad.window.kernel = {3, 3};
  pad.window.padding = {half, 0};
  CHECK_THROWS_WITH_AS(a.conv2d(x, pad), doctest::Contains("conv2d"), ShapeError);
  Conv2dOptions dilation;
  dilation.out_channels = 2;
  dilation.window.kernel = {3, 3};
  dilation.window.dilation = {1, half};
  CHECK_THROWS_WITH_AS(a.conv2d(x, dilation), doctest::Contains("conv2d"), ShapeError);
  CHECK_THROWS_WITH_AS(a.max_pool2d(x, Window2d{{2, 2}, {2, 2}, {half, half}, {1, 1}}),
                       doctest::Contains("at most half the kernel"), ShapeError);
  // A dense layer whose weight cannot be counted.
  Architecture b;
  const auto wide = b.dense(b.input(Shape{std::size_t{1} << 40}), std::size_t{1} << 40);
  b.dense(wide, 2);
  CHECK_THROWS_AS(b.parameter_count(), ShapeError);
}
