// The per-layer factors A and D do not depend on how many examples share a sweep
// (the tape budget splits big batches into runs of examples).
#include <doctest/doctest.h>

#include "netdim/analysis/jacobian/layer_sweep.hpp"
#include "tests/analysis/sweep_networks.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

TEST_CASE("layer sweep in runs of examples gives the factors of one sweep") {
  for (const testing::SweepNetwork& net : testing::sweep_networks()) {
    const nn::Model<double> model(net.architecture, 3);
    const Tensor<double> theta = uniform({model.parameter_count()}, -1, 1, 4);
    Shape xs{5};
    for (std::size_t d : net.architecture.input_shape()) xs.push_back(d);
    const Tensor<double> x = uniform(xs, -1, 1, 5);
    for (const OutputReduction& r : {OutputReduction::sum_squares(), OutputReduction::stack()}) {
      INFO(net.name << ", " << r.name());
      const LayerSweep<double> whole = layer_sweep(model, theta, x, r, "test");
      const LayerSweep<double> runs = layer_sweep(model, theta, x, r, "test", 2);  // runs of 2, 2, 1
      REQUIRE(whole.layers.size() == runs.layers.size());
      CHECK(whole.layers.size() == model.architecture().parameter_counts().size());
      for (std::size_t l = 0; l < whole.layers.size(); ++l) {
        CHECK(whole.layers[l].layer == runs.layers[l].layer);
        CHECK(max_abs_diff(whole.layers[l].inputs, runs.layers[l].inputs) <= 1e-14);
        CHECK(max_abs_diff(whole.layers[l].cotangents, runs.layers[l].cotangents) <= 1e-13);
      }
    }
  }
}

TEST_CASE("layer sweep: the memory estimate counts the activations the sweep keeps, not only J") {
  // 16 images [3, 224, 224] through a 64-channel 3x3 convolution: J is 16 x 1792, but A and D
  // are 16 x (150528 + 64 * 222 * 222) doubles.
  nn::Conv2dOptions conv;
  conv.out_channels = 64;
  conv.window.kernel = {3, 3};
  nn::Architecture a;
  a.conv2d(a.input(Shape{3, 224, 224}), conv);
  REQUIRE(a.parameter_count() == 1792);
  const double bytes = analysis::batched_jacobian_bytes(a, 16, 1);
  const double j = 2.0 * 16 * 1792 * 8, factors = 16.0 * (3 * 224 * 224 + 64 * 222 * 222) * 8;
  CHECK(bytes >= j + factors);
  CHECK(bytes < 3 * (j + factors));  // and the tape of one run of examples, bounded by its budget
  // Stacked rows multiply J and D, not A.
  const double stacked = analysis::batched_jacobian_bytes(a, 16, 10);
  CHECK(stacked - bytes >= 9 * 2.0 * 16 * 1792 * 8 + 9 * 16.0 * 64 * 222 * 222 * 8 - 1);
  // A parameterless network still has its tape, and no factors.
  nn::Architecture none;
  none.flatten(none.input(Shape{2, 3, 3}));
  CHECK(analysis::batched_jacobian_bytes(none, 4, 1) == 8.0 * 4 * 3 * (18 + 18));
}
