// The networks the per-example sweep is checked on: MLPs with every activation and
// every shortcut style, and CNNs with strided, padded, dilated and grouped
// convolutions, pooling, batch norm and projection and sample shortcuts, and
// torchvision's extra layers (relu6, ceil-mode pooling, adaptive pooling, channel
// shuffle, chunk, dropout).
#pragma once

#include <string>
#include <vector>

#include "netdim/nn/mlp.hpp"

namespace netdim::testing {

struct SweepNetwork {
  std::string name;
  nn::Architecture architecture;
};

inline nn::Conv2dOptions conv_options(std::size_t out, std::size_t kernel, std::size_t stride = 1,
                                      std::size_t padding = 0, std::size_t dilation = 1, std::size_t groups = 1,
                                      bool bias = true) {
  nn::Conv2dOptions c;
  c.out_channels = out;
  c.window.kernel = {kernel, kernel};
  c.window.stride = {stride, stride};
  c.window.padding = {padding, padding};
  c.window.dilation = {dilation, dilation};
  c.groups = groups;
  c.bias = bias;
  return c;
}

inline std::vector<SweepNetwork> sweep_networks() {
  using nn::Activation;
  std::vector<SweepNetwork> nets;
  for (Activation a : {Activation::Identity, Activation::Relu, Activation::LeakyRelu, Activation::Sigmoid,
                       Activation::Tanh, Activation::Softplus, Activation::Square, Activation::Cube, Activation::Sin,
                       Activation::Relu6})
    nets.push_back({"mlp " + std::string(nn::activation_name(a)),
                    nn::mlp(3, {5, 4}, 3, {a, nn::Shortcuts::None, nn::Adapt::Identity, true})});
  nets.push_back({"mlp add-shortcuts projection",
                  nn::mlp(3, {5, 5, 4}, 2, {Activation::Tanh, nn::Shortcuts::AddShortcuts, nn::Adapt::Projection, false})});
  nets.push_back({"mlp add-shortcuts sample",
                  nn::mlp(4, {4, 2}, 2, {Activation::Sigmoid, nn::Shortcuts::AddShortcuts, nn::Adapt::Sample, true})});
  nets.push_back({"mlp add-inputs identity",
                  nn::mlp(4, {4, 4}, 2, {Activation::Relu, nn::Shortcuts::AddInputs, nn::Adapt::Identity, true})});
  nets.push_back({"mlp add-inputs projection",
                  nn::mlp(3, {5, 4}, 2, {Activation::Softplus, nn::Shortcuts::AddInputs, nn::Adapt::Projection, true})});
  {  // strided, padded, dilated, grouped convolutions, batch norm, pooling, a projection shortcut
    nn::Architecture a;
    const auto x = a.input(Shape{2, 9, 9});
    auto h = a.conv2d(x, conv_options(4, 3, 2, 1));                      // 4x5x5
    h = a.activation(a.batch_norm(h), Activation::Tanh);
    auto g = a.conv2d(h, conv_options(6, 3, 1, 2, 2, 2, false));         // 6x5x5, dilation 2, groups 2
    g = a.activation(g, Activation::Relu);
    h = a.shortcut(h, g, nn::Adapt::Projection);                         // 4 -> 6 channels
    h = a.max_pool2d(h, {{2, 2}, {2, 2}, {0, 0}, {1, 1}});               // 6x2x2
    h = a.avg_pool2d(a.conv2d(h, conv_options(3, 1)), {{2, 2}, {1, 1}, {0, 0}, {1, 1}});  // 3x1x1
    h = a.batch_norm(a.dense(a.flatten(h), 4));
    a.dense(a.activation(h, Activation::Sigmoid), 3);
    nets.push_back({"cnn conv geometry, batch norm, pooling, projection", a});
  }
  {  // torchvision's layers: a ShuffleNet-like split, shuffle and join with ceil-mode and adaptive pooling
    nn::Architecture a;
    const auto x = a.input(Shape{2, 9, 9});
    const auto c = a.activation(a.conv2d(x, conv_options(4, 3, 1, 1)), Activation::Relu6);  // 4x9x9
    const auto m = a.max_pool2d(c, {{2, 2}, {2, 2}, {0, 0}, {1, 1}}, "", true);              // 4x5x5
    const auto left = a.chunk(m, 2, 0);
    const auto right = a.activation(a.conv2d(a.chunk(m, 2, 1), conv_options(2, 1)), Activation::Relu6);
    const auto s = a.channel_shuffle(a.concat({left, right}), 2);
    const auto p = a.avg_pool2d(s, {{3, 3}, {2, 2}, {1, 1}, {1, 1}}, "", true);             // 4x3x3
    const auto q = a.adaptive_avg_pool2d(p, {2, 2});
    a.dense(a.dropout(a.flatten(q), 0.2), 3);
    nets.push_back({"cnn relu6, ceil-mode pooling, chunk, channel shuffle, adaptive pooling, dropout", a});
  }
  // Residual CNNs like seed 003 section 5.3: the second block's shortcut meets a smaller,
  // wider block by sampling, or by a strided 1x1 projection.
  for (nn::Adapt adapt : {nn::Adapt::Sample, nn::Adapt::Projection}) {
    nn::Architecture a;
    const auto x = a.input(Shape{1, 8, 8});
    const auto stem = a.activation(a.conv2d(x, conv_options(2, 3, 1, 1)), Activation::Relu);
    auto b = a.conv2d(a.activation(a.conv2d(stem, conv_options(2, 3, 1, 1)), Activation::Relu), conv_options(2, 3, 1, 1));
    const auto r1 = a.activation(a.shortcut(stem, b, nn::Adapt::Sample), Activation::Relu);
    const auto p1 = a.max_pool2d(r1, {{2, 2}, {2, 2}, {0, 0}, {1, 1}});  // 2x4x4
    b = a.conv2d(a.activation(a.conv2d(p1, conv_options(3, 3, 1, 1)), Activation::Relu), conv_options(3, 3, 1, 1));
    const auto r2 = a.activation(a.shortcut(r1, b, adapt), Activation::Relu);  // 2x8x8 -> 3x4x4, stride 2
    a.dense(a.global_avg_pool(r2), 2);
    nets.push_back({adapt == nn::Adapt::Sample ? "resnet sample shortcuts" : "resnet strided projection shortcut", a});
  }
  return nets;
}

}  // namespace netdim::testing
