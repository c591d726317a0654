// Models against PyTorch: outputs and parameter gradients of the same networks
// at the same parameters (fixtures written by tests/fixtures/make_fixtures.py).
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/model.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn;
using netdim::testing::max_abs_diff;

namespace {

Tensor<double> fixture(const std::string& name) {
  return data::read_npy<double>(std::string(NETDIM_TEST_FIXTURES) + "/" + name + ".npy");
}

// Compares netdim with PyTorch on fixture `name` for the architecture `arch`.
void compare_with_pytorch(const std::string& name, const Architecture& arch) {
  Model<double> model(arch);
  model.set_parameters(fixture(name + "_theta"));
  Tape<double> tape;
  const Var<double> theta = tape.variable(model.parameters());
  const Var<double> y = model.forward(theta, tape.constant(fixture(name + "_x")));
  const Tensor<double> expected_y = fixture(name + "_y");
  REQUIRE(y.shape() == shape_of(expected_y));
  CHECK(max_abs_diff(y.value(), expected_y) < 1e-12);
  const Tensor<double> g = grad(sum(y * tape.constant(fixture(name + "_u"))), theta);
  CHECK(max_abs_diff(g, fixture(name + "_grad")) < 1e-12);
}

}  // namespace

TEST_CASE("a residual CNN matches PyTorch: conv, groups, stride, batch norm, sampling shortcut, pooling, dense") {
  Architecture a;
  const auto x = a.input(Shape{2, 8, 8});
  Conv2dOptions c1;
  c1.out_channels = 4;
  c1.window.kernel = {3, 3};
  c1.window.padding = {1, 1};
  const auto h1 = a.activation(a.batch_norm(a.conv2d(x, c1)), Activation::Relu);
  Conv2dOptions c2 = c1;
  c2.out_channels = 8;
  c2.window.stride = {2, 2};
  c2.groups = 2;
  const auto h2 = a.shortcut(x, a.conv2d(h1, c2), Adapt::Sample);
  const auto pooled = a.max_pool2d(h2, Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}});
  const auto d1 = a.activation(a.dense(a.flatten(pooled), 5), Activation::Tanh);
  a.dense(d1, 3);
  compare_with_pytorch("residual_cnn", a);
}

TEST_CASE("seed 003's add-inputs network matches PyTorch") {
  Architecture a;
  const auto x = a.input(Shape{3});
  auto h = a.shortcut(x, a.activation(a.dense(x, 3), Activation::Sigmoid), Adapt::Identity);
  h = a.shortcut(x, a.activation(a.dense(h, 3), Activation::Sigmoid), Adapt::Identity);
  a.dense(h, 1, DenseOptions{false, {}, {}, ""});
  compare_with_pytorch("add_inputs_mlp", a);
}

TEST_CASE("torchvision's extra layers match PyTorch: relu6, ceil-mode pooling, adaptive pooling, shuffle, chunk, dropout") {
  Architecture a;
  const auto x = a.input(Shape{3, 10, 10});
  Conv2dOptions c1;
  c1.out_channels = 6;
  c1.window.kernel = {3, 3};
  c1.window.padding = {1, 1};
  auto h = a.activation(a.conv2d(x, c1), Activation::Relu6);
  h = a.max_pool2d(h, Window2d{{3, 3}, {2, 2}, {0, 0}, {1, 1}}, "", true);  // 10x10 -> 5x5
  h = a.avg_pool2d(h, Window2d{{2, 2}, {2, 2}, {0, 0}, {1, 1}}, "", true);  // 5x5 -> 3x3
  h = a.channel_shuffle(a.adaptive_avg_pool2d(h, {2, 3}), 3);
  Conv2dOptions c2;
  c2.out_channels = 3;
  c2.window.kernel = {1, 1};
  const auto right = a.activation(a.conv2d(a.chunk(h, 2, 1), c2), Activation::Relu6);
  h = a.concat({a.chunk(h, 2, 0), right});
  a.dense(a.dropout(a.flatten(h), 0.2), 4);
  compare_with_pytorch("zoo_block", a);
}
