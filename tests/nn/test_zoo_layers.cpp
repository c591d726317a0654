// The layers torchvision's classifiers need (relu6, dropout, ceil-mode pooling,
// adaptive average pooling, channel shuffle, chunk): shapes and refusals of the
// builders, exact forward values, derivatives of a network using all of them
// with check_op, and exact evaluation over Q.
#include <doctest/doctest.h>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/nn/model.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

Window2d window(std::size_t kernel, std::size_t stride, std::size_t padding = 0) {
  Window2d w;
  w.kernel = {kernel, kernel};
  w.stride = {stride, stride};
  w.padding = {padding, padding};
  return w;
}

// An image whose channel k holds the value k everywhere: a channel permutation shows as values.
Tensor<double> channel_ids(std::size_t c, std::size_t h, std::size_t w) {
  Tensor<double> x = Tensor<double>::from_shape({1, c, h, w});
  for (std::size_t k = 0; k < c; ++k)
    for (std::size_t i = 0; i < h * w; ++i) x.flat(k * h * w + i) = static_cast<double>(k);
  return x;
}

std::vector<double> channel_values(const Tensor<double>& y) {
  std::vector<double> v;
  const std::size_t per = y.size() / y.shape()[1];
  for (std::size_t k = 0; k < y.shape()[1]; ++k) v.push_back(y.flat(k * per));
  return v;
}

// Every new kind in one small network: conv + relu6, ceil-mode pools, adaptive
// pooling, channel shuffle, chunks joined by concat, dropout and a dense head.
Architecture zoo_block() {
  Architecture a;
  const auto x = a.input({3, 9, 9});
  Conv2dOptions c;
  c.out_channels = 6;
  c.window.kernel = {3, 3};
  c.window.padding = {1, 1};
  const auto h = a.activation(a.conv2d(x, c), Activation::Relu6);
  const auto m = a.max_pool2d(h, window(2, 2), "", true);      // 9 -> 5 (floor mode: 4)
  const auto p = a.avg_pool2d(m, window(3, 2, 1), "", true);   // 5 -> 3
  const auto q = a.adaptive_avg_pool2d(p, {2, 3});
  const auto s = a.channel_shuffle(q, 3);
  const auto joined = a.concat({a.chunk(s, 2, 1), a.chunk(s, 2, 0)});
  a.dense(a.dropout(a.flatten(joined), 0.2), 4);
  return a;
}

}  // namespace

TEST_CASE("zoo layers: shapes, names and the canonical description") {
  const Architecture a = zoo_block();
  CHECK(a.layer(a.find("maxpool1")).shape == Shape{6, 5, 5});
  CHECK(a.layer(a.find("avgpool1")).shape == Shape{6, 3, 3});
  CHECK(a.layer(a.find("adaptive_avgpool1")).shape == Shape{6, 2, 3});
  CHECK(a.layer(a.find("shuffle1")).kind == LayerKind::ChannelShuffle);
  CHECK(a.layer(a.find("chunk1")).shape == Shape{3, 2, 3});
  CHECK(a.layer(a.find("chunk2")).chunk == 0);
  CHECK(a.layer(a.find("dropout1")).p == 0.2);
  CHECK(a.layer(a.find("relu6_1")).activation == Activation::Relu6);
  CHECK(layer_kind_name(LayerKind::Dropout) == "dropout");
  CHECK(a.output_shape() == Shape{4});
  CHECK(a.parameter_count() == 6 * 3 * 9 + 6 + 36 * 4 + 4);  // the new kinds have no parameters
  const std::string d = a.describe();
  CHECK(d.find("maxpool1 max_pool2d") != std::string::npos);
  CHECK(d.find("ceil_mode=1") != std::string::npos);
  CHECK(d.find("dropout1 dropout in=[flatten1] shape=[36] p=0.2") != std::string::npos);
  CHECK(d.find("shuffle1 channel_shuffle in=[adaptive_avgpool1] shape=[6, 2, 3] groups=3") != std::string::npos);
  CHECK(d.find("chunk1 chunk in=[shuffle1] shape=[3, 2, 3] chunks=2 index=1") != std::string::npos);

  // ceil_mode is part of the identity; the floor-mode pooling keeps its old description.
  Architecture floor_mode, ceil_mode;
  floor_mode.max_pool2d(floor_mode.input({1, 9, 9}), window(2, 2));
  ceil_mode.max_pool2d(ceil_mode.input({1, 9, 9}), window(2, 2), "", true);
  CHECK(floor_mode.describe().find("ceil_mode") == std::string::npos);
  CHECK(floor_mode.fingerprint() != ceil_mode.fingerprint());
  CHECK(floor_mode.output_shape() == Shape{1, 4, 4});
  CHECK(ceil_mode.output_shape() == Shape{1, 5, 5});

  // `relu` counts only relu layers: relu6_1 does not make the next relu `relu2`.
  Architecture names;
  names.activation(names.activation(names.input({2}), Activation::Relu6), Activation::Relu);
  CHECK(names.find("relu1") == 2);
}

TEST_CASE("zoo layers: the builders refuse what PyTorch refuses, naming the layer") {
  Architecture a;
  const auto x = a.input({6, 4, 4});
  const auto v = a.flatten(x);
  CHECK_THROWS_WITH_AS(a.channel_shuffle(x, 4), doctest::Contains("groups = 4 must divide the 6 channels of 'input'"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(a.channel_shuffle(x, 0), doctest::Contains("must divide"), ShapeError);
  CHECK_THROWS_WITH_AS(a.channel_shuffle(v, 2), doctest::Contains("expects an image input"), ShapeError);
  CHECK_THROWS_WITH_AS(a.chunk(x, 4, 0), doctest::Contains("chunks = 4 must divide the 6 channels"), ShapeError);
  CHECK_THROWS_WITH_AS(a.chunk(x, 3, 3), doctest::Contains("index 3 is out of range for 3 chunks"), ShapeError);
  CHECK_THROWS_AS(a.chunk(x, 0, 0), ShapeError);
  CHECK(a.layer(a.chunk(v, 4, 3)).shape == Shape{24});  // vectors split along their features
  CHECK_THROWS_WITH_AS(a.adaptive_avg_pool2d(x, {0, 2}), doctest::Contains("must be positive"), ShapeError);
  CHECK_THROWS_WITH_AS(a.adaptive_avg_pool2d(v, {1, 1}), doctest::Contains("expects an image input"), ShapeError);
  CHECK_THROWS_WITH_AS(a.dropout(x, 1.5), doctest::Contains("must be between 0 and 1"), ShapeError);
  CHECK_THROWS_AS(a.dropout(x, -0.1), ShapeError);
  CHECK_THROWS_AS(a.dropout(x, std::nan("")), ShapeError);
  CHECK(a.layer(a.dropout(x, 1.0)).shape == Shape{6, 4, 4});
  // ceil mode never makes a window that starts in the right padding, nor one that does not fit.
  Architecture b;
  const auto five = b.input({1, 5, 5});
  CHECK(b.layer(b.max_pool2d(five, window(2, 3, 1), "", true)).shape == Shape{1, 2, 2});  // a third would start at 5
  CHECK_THROWS_AS(b.max_pool2d(five, window(7, 1), "", true), ShapeError);
}

TEST_CASE("zoo layers: dropout is the identity, shuffle and chunk move whole channels as torchvision") {
  Architecture a;
  const auto x = a.input({6, 2, 3});
  a.chunk(a.channel_shuffle(a.dropout(x), 2), 3, 1);
  const Model<double> model(a);
  const Tensor<double> in = channel_ids(6, 2, 3);

  Architecture shuffle_only;
  shuffle_only.channel_shuffle(shuffle_only.input({6, 2, 3}), 2);
  // x.view(1, 2, 3, h, w).transpose(1, 2): channel g * 3 + i goes to i * 2 + g.
  CHECK(channel_values(Model<double>(shuffle_only).predict(in)) == std::vector<double>{0, 3, 1, 4, 2, 5});
  // torch.chunk(., 3, dim=1)[1] of that: channels 2 and 3.
  const Tensor<double> y = model.predict(in);
  CHECK(y.shape() == std::vector<std::size_t>{1, 2, 2, 3});
  CHECK(channel_values(y) == std::vector<double>{1, 4});

  Architecture dropout_only;
  dropout_only.dropout(dropout_only.input({5}), 0.9);
  const Tensor<double> v = uniform({3, 5}, -1, 1, 7);
  CHECK(max_abs_diff(Model<double>(dropout_only).predict(v), v) == 0.0);
}

TEST_CASE("zoo layers: parameter and input derivatives of a network using all of them") {
  const Model<double> model(zoo_block(), 5);
  const Tensor<double> x = uniform({2, 3, 9, 9}, -2, 2, 6);
  CheckOptions options;
  options.trials = 2;
  options.second_order = false;  // relu6 and max pooling are piecewise linear
  const CheckReport r = check_op(
      "zoo block", [&](const std::vector<Var<double>>& v) { return model.forward(v[0], v[1]); },
      {Tensor<double>(model.parameters() * 3.0), x}, options);  // scaled so that relu6 saturates somewhere
  INFO(r.summary());
  CHECK(r.ok);
}

TEST_CASE("zoo layers: exact over the rationals; relu6 refuses Z/p") {
  const Architecture a = zoo_block();
  const Model<double> real(a, 3);
  Model<Rational> exact(a);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({real.parameter_count()});
  // Parameters k/8 - 1/2 and inputs k/16 - 1: exact in double too, so the two evaluations compare.
  Tensor<double> theta_d = Tensor<double>::from_shape({real.parameter_count()});
  for (std::size_t i = 0; i < theta.size(); ++i) {
    const long k = static_cast<long>(i * 7 % 17);
    theta(i) = Rational(k, 8) - Rational(1, 2);
    theta_d(i) = static_cast<double>(k) / 8 - 0.5;
  }
  exact.set_parameters(theta);
  Model<double> approx(a);
  approx.set_parameters(theta_d);
  Tensor<Rational> x = Tensor<Rational>::from_shape({1, 3, 9, 9});
  Tensor<double> x_d = Tensor<double>::from_shape({1, 3, 9, 9});
  for (std::size_t i = 0; i < x.size(); ++i) {
    const long k = static_cast<long>(i * 5 % 33);
    x.flat(i) = Rational(k, 16) - Rational(1);
    x_d.flat(i) = static_cast<double>(k) / 16 - 1;
  }
  const Tensor<Rational> y = exact.predict(x);
  const Tensor<double> y_d = approx.predict(x_d);
  for (std::size_t i = 0; i < y.size(); ++i) CHECK(y.flat(i).to_double() == doctest::Approx(y_d.flat(i)).epsilon(1e-12));

  Architecture relu6_net;
  relu6_net.activation(relu6_net.dense(relu6_net.input({2}), 2), Activation::Relu6);
  Model<Modular> modular(relu6_net);
  CHECK_THROWS_WITH_AS(modular.predict(Tensor<Modular>::from_shape({1, 2})), doctest::Contains("relu6"),
                       std::invalid_argument);
}
