// A small residual CNN built in C++, shared by the analysis report tests. Hand
// counts (weights + biases):
//   stem     conv 1->4, 3x3, pad 1        36 + 4
//   leaky    leaky_relu(0.2)               0
//   body     conv 4->4, 3x3, pad 1, no bias 144
//   res1     add(body, leaky)              0
//   down     conv 4->8, 3x3, stride 2, pad 1 288 + 8
//   proj1    projection of res1 to [8,4,4]  32 (1x1 conv, stride 2, no bias)
//   res2     add(down, proj1)              0
//   stage1.bn batch norm over 8 channels     8 + 8
//   gap      global average pool            0
//   head     dense 8->3                     24 + 3
// total 532 weights + 23 biases = 555.
#pragma once

#include "netdim/nn/architecture.hpp"

namespace netdim::testing {

inline nn::Architecture small_residual_net() {
  using namespace netdim::nn;
  Architecture a;
  const auto x = a.input(Shape{1, 8, 8}, "image");
  Conv2dOptions stem;
  stem.out_channels = 4;
  stem.window.kernel = {3, 3};
  stem.window.padding = {1, 1};
  stem.name = "stem";
  const auto leaky = a.activation(a.conv2d(x, stem), Activation::LeakyRelu, 0.2, "leaky");
  Conv2dOptions body = stem;
  body.bias = false;
  body.name = "body";
  body.weight_init = Initializer::normal(0.1);
  const auto res1 = a.shortcut(leaky, a.conv2d(leaky, body), Adapt::Identity, "res1");
  Conv2dOptions down = stem;
  down.out_channels = 8;
  down.window.stride = {2, 2};
  down.name = "down";
  const auto res2 = a.shortcut(res1, a.conv2d(res1, down), Adapt::Projection, "res2");
  const auto pooled = a.global_avg_pool(a.batch_norm(res2, "stage1.bn"), "gap");
  DenseOptions head;
  head.name = "head";
  a.dense(pooled, 3, head);
  return a;
}

}  // namespace netdim::testing
