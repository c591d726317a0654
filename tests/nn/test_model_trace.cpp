// Model::forward_traced and layer_cotangents: the per-layer trace the per-example
// sweep is built on, against a two-layer network worked by hand.
#include <doctest/doctest.h>

#include "netdim/autodiff/linalg.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

TEST_CASE("forward_traced records each parameterised layer's input and output; layer_cotangents returns their cotangents") {
  // input -> dense1 -> tanh -> dense2 (5 layers with the activation and the input).
  const nn::Model<double> model(nn::mlp(3, {4}, 2, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}), 7);
  const Tensor<double> xv = uniform({5, 3}, -1, 1, 8);
  Tape<double> tape;
  const Var<double> theta = tape.variable(model.parameters());
  const nn::TracedForward<double> t = model.forward_traced(theta, tape.constant(xv));
  CHECK(max_abs_diff(t.output.value(), model.predict(xv)) == 0);
  REQUIRE(t.layers.size() == 2);
  const auto& layers = model.architecture().layers();
  CHECK(layers[t.layers[0].layer].kind == nn::LayerKind::Dense);
  CHECK(layers[t.layers[1].layer].kind == nn::LayerKind::Dense);
  CHECK(t.layers[0].layer < t.layers[1].layer);

  // By hand: z1 = x W1^T + b1, a = tanh(z1), y = a W2^T + b2.
  const auto block = [&](const char* name) {
    const nn::ParameterBlock& b = model.block_named(name);
    Tensor<double> v = Tensor<double>::from_shape(b.shape);
    std::copy_n(model.parameters().data() + b.offset, b.size(), v.data());
    return v;
  };
  const Tensor<double> w1 = block("dense1.weight"), b1 = block("dense1.bias"), w2 = block("dense2.weight");
  const Tensor<double> z1 = matmul(xv, w1, false, true) + b1;
  const Tensor<double> a = xt::tanh(z1);
  CHECK(max_abs_diff(t.layers[0].input.value(), xv) == 0);
  CHECK(max_abs_diff(t.layers[0].output.value(), z1) < 1e-15);
  CHECK(max_abs_diff(t.layers[1].input.value(), a) < 1e-15);

  const Tensor<double> seed = uniform({5, 2}, -1, 1, 9);
  const std::vector<Tensor<double>> d = nn::layer_cotangents(t, seed);
  REQUIRE(d.size() == 2);
  CHECK(max_abs_diff(d[1], seed) == 0);
  const Tensor<double> d0 = matmul(seed, w2) * (1.0 - a * a);
  CHECK(max_abs_diff(d[0], d0) < 1e-15);
}

TEST_CASE("forward_traced traces convolutions, batch norm and projections, not pooling or activations") {
  nn::Architecture a;
  const auto x = a.input(Shape{2, 4, 4});
  nn::Conv2dOptions c;
  c.out_channels = 3;
  c.window.kernel = {3, 3};
  c.window.padding = {1, 1};
  auto h = a.activation(a.batch_norm(a.conv2d(x, c)), nn::Activation::Relu);
  h = a.shortcut(x, h, nn::Adapt::Projection);
  a.dense(a.flatten(a.max_pool2d(h, {{2, 2}, {2, 2}, {0, 0}, {1, 1}})), 1);
  const nn::Model<double> model(a, 1);
  Tape<double> tape;
  const nn::TracedForward<double> t = model.forward_traced(tape.variable(model.parameters()),
                                                           tape.constant(uniform({2, 2, 4, 4}, -1, 1, 2)));
  std::vector<nn::LayerKind> kinds;
  for (const nn::LayerTrace<double>& l : t.layers) kinds.push_back(model.architecture().layers()[l.layer].kind);
  CHECK(kinds == std::vector<nn::LayerKind>{nn::LayerKind::Conv2d, nn::LayerKind::BatchNorm, nn::LayerKind::Projection,
                                            nn::LayerKind::Dense});
  CHECK(t.layers[2].input.shape() == Shape{2, 2, 4, 4});
  CHECK(t.layers[2].output.shape() == Shape{2, 3, 4, 4});
}
