// The structured Gram (per-layer factors, no J) against J J^T of the reference
// Jacobian, and the effective rank from it against the SVD of J.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/jacobian/structured_gram.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "tests/analysis/sweep_networks.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

Shape batch_shape(const nn::Architecture& a, std::size_t n) {
  Shape s{n};
  for (std::size_t d : a.input_shape()) s.push_back(d);
  return s;
}

}  // namespace

TEST_CASE("structured Gram equals J J^T of the reference Jacobian, and gives its effective rank") {
  std::uint64_t seed = 300;
  for (const testing::SweepNetwork& net : testing::sweep_networks()) {
    const nn::Model<double> model(net.architecture, ++seed);
    const Tensor<double> theta = uniform({model.parameter_count()}, -1, 1, ++seed);
    const Tensor<double> x = uniform(batch_shape(net.architecture, 6), -1, 1, ++seed);
    for (const OutputReduction& r : {OutputReduction::first(), OutputReduction::sum_squares(),
                                     OutputReduction::stack(), OutputReduction::per_output(1)}) {
      INFO(net.name << ", " << r.name());
      const Tensor<double> j = reference_jacobian(model, theta, x, r);
      const Tensor<double> expected = gram(j);
      std::vector<GramForm> forms;
      const Tensor<double> g = structured_gram(model, theta, x, r, &forms);
      REQUIRE(shape_of(g) == shape_of(expected));
      const double scale = double(xt::amax(xt::abs(expected))());
      CHECK(max_abs_diff(g, expected) <= 1e-10 * scale);
      CHECK(g == xt::transpose(g));
      CHECK(forms.size() == model.architecture().parameter_counts().size());
      if (j.shape()[0] <= j.shape()[1]) {
        const std::vector<double> from_svd = singular_values(j);
        const std::vector<double> from_gram = gram_singular_values(g);
        CHECK(effective_rank(from_gram) == doctest::Approx(effective_rank(from_svd)).epsilon(1e-6));
      }
    }
  }
}

TEST_CASE("structured Gram: one row per example and several rows per example agree") {
  // The factored form indexes A A^T by example: directly with one row per example
  // (first, per_output), through a division with several (stack). Output c of the
  // stacked Gram is the per_output(c) Gram, up to the order of BLAS's sums.
  for (const std::vector<std::size_t>& hidden : {std::vector<std::size_t>{3, 5}, std::vector<std::size_t>{8, 2}}) {
    const nn::Model<double> model(nn::mlp(2, hidden, 3, {nn::Activation::Tanh}), 11);
    const Tensor<double> x = uniform({7, 2}, -1, 1, 12);
    const Tensor<double> stacked = structured_gram(model, x, OutputReduction::stack());
    const double scale = double(xt::amax(xt::abs(stacked))());
    for (std::size_t c = 0; c < 3; ++c) {
      INFO("hidden " << hidden[0] << ", " << hidden[1] << ", output " << c);
      const Tensor<double> one = structured_gram(model, x, OutputReduction::per_output(c));
      double diff = 0;
      for (std::size_t r = 0; r < 7; ++r)
        for (std::size_t s = 0; s < 7; ++s) diff = std::max(diff, std::abs(one(r, s) - stacked(3 * r + c, 3 * s + c)));
      CHECK(diff <= 1e-14 * scale);
    }
  }
}

TEST_CASE("structured Gram: dense layers take the factored form, convolutions the explicit one") {
  const nn::Model<double> mlp(nn::mlp(6, {5}, 4), 1);
  std::vector<GramForm> forms;
  structured_gram(mlp, uniform({3, 6}, -1, 1, 2), OutputReduction::sum_squares(), &forms);
  CHECK(forms == std::vector<GramForm>{GramForm::Factored, GramForm::Factored});
  nn::Architecture a;
  a.dense(a.flatten(a.conv2d(a.input(Shape{1, 4, 4}), testing::conv_options(2, 3))), 1);
  const nn::Model<double> cnn(a, 3);
  structured_gram(cnn, uniform({3, 1, 4, 4}, -1, 1, 4), OutputReduction::first(), &forms);
  CHECK(forms == std::vector<GramForm>{GramForm::Explicit, GramForm::Factored});
}

TEST_CASE("structured Gram in float agrees with double") {
  for (const testing::SweepNetwork& net : testing::sweep_networks()) {
    INFO(net.name);
    const nn::Model<double> md(net.architecture, 5);
    const nn::Model<float> mf(net.architecture, 5);
    const Tensor<double> x = uniform(batch_shape(net.architecture, 4), -1, 1, 6);
    const Tensor<double> gd = structured_gram(md, x, OutputReduction::sum_squares());
    const Tensor<double> gf = xt::cast<double>(structured_gram(mf, Tensor<float>(xt::cast<float>(x)),
                                                               OutputReduction::sum_squares()));
    CHECK(max_abs_diff(gf, gd) <= 1e-4 * std::max(1.0, double(xt::amax(xt::abs(gd))())));
  }
}
