// The batched Jacobian (one forward, one sweep per output row) against the
// per-example reference on MLPs, shortcut MLPs and CNNs, every reduction, in
// double, float and exactly over Q.
#include <doctest/doctest.h>

#include <vector>

#include "netdim/analysis/jacobian/batched_jacobian.hpp"
#include "tests/analysis/sweep_networks.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

const std::vector<OutputReduction> kReductions{OutputReduction::first(), OutputReduction::sum_squares(),
                                               OutputReduction::stack(), OutputReduction::per_output(1)};

Shape batch_shape(const nn::Architecture& a, std::size_t n) {
  Shape s{n};
  for (std::size_t d : a.input_shape()) s.push_back(d);
  return s;
}

}  // namespace

TEST_CASE("batched Jacobian equals the per-example reference (double, 1e-12)") {
  std::uint64_t seed = 100;
  for (const testing::SweepNetwork& net : testing::sweep_networks()) {
    const nn::Model<double> model(net.architecture, ++seed);
    // A parameter point away from the initialiser's (batch-norm scale 1, shift 0).
    const Tensor<double> theta = uniform({model.parameter_count()}, -1, 1, ++seed);
    const Tensor<double> x = uniform(batch_shape(net.architecture, 5), -1, 1, ++seed);
    for (const OutputReduction& r : kReductions) {
      INFO(net.name << ", " << r.name());
      const Tensor<double> expected = reference_jacobian(model, theta, x, r);
      const Tensor<double> j = batched_jacobian(model, theta, x, r);
      REQUIRE(shape_of(j) == shape_of(expected));
      const double scale = std::max(1.0, double(xt::amax(xt::abs(expected))()));
      CHECK(max_abs_diff(j, expected) <= 1e-12 * scale);
    }
  }
}

TEST_CASE("batched Jacobian in float agrees with the float reference") {
  for (const testing::SweepNetwork& net : testing::sweep_networks()) {
    const nn::Model<float> model(net.architecture, 7);
    const Tensor<float> theta = xt::cast<float>(uniform({model.parameter_count()}, -1, 1, 8));
    const Tensor<float> x = xt::cast<float>(uniform(batch_shape(net.architecture, 4), -1, 1, 9));
    for (const OutputReduction& r : {OutputReduction::sum_squares(), OutputReduction::stack()}) {
      INFO(net.name << ", " << r.name());
      const Tensor<float> expected = reference_jacobian(model, theta, x, r);
      const float scale = std::max(1.0f, float(xt::amax(xt::abs(expected))()));
      CHECK(max_abs_diff(batched_jacobian(model, theta, x, r), expected) <= 1e-5 * scale);
    }
  }
}

TEST_CASE("batched Jacobian over Q equals the reference exactly") {
  nn::Model<Rational> model(nn::mlp(2, {3}, 2, {nn::Activation::Square, nn::Shortcuts::AddInputs, nn::Adapt::Projection, true}));
  Tensor<Rational> t = Tensor<Rational>::from_shape({model.parameter_count()});
  for (std::size_t i = 0; i < t.size(); ++i) t(i) = Rational(static_cast<long>(i % 5) - 2, 1 + static_cast<long>(i % 3));
  Tensor<Rational> x = Tensor<Rational>::from_shape({4, 2});
  for (std::size_t i = 0; i < x.size(); ++i) x.flat(i) = Rational(static_cast<long>(i * 7 % 9) - 4, 3);
  for (const OutputReduction& r : kReductions) {
    INFO(r.name());
    CHECK(batched_jacobian(model, t, x, r) == reference_jacobian(model, t, x, r));
  }
}

TEST_CASE("batched Jacobian refuses what the reference refuses") {
  const nn::Model<double> model(nn::mlp(3, {4}, 2), 1);
  CHECK_THROWS_WITH_AS(batched_jacobian(model, zeros_of<double>({7}), zeros_of<double>({2, 3}), OutputReduction::first()),
                       doctest::Contains("batched_jacobian: parameter vector has shape [7], expected [26]"), ShapeError);
  CHECK_THROWS_WITH_AS(batched_jacobian(model, zeros_of<double>({2, 4}), OutputReduction::first()),
                       doctest::Contains("inputs have shape [2, 4], expected [N, 3]"), ShapeError);
  CHECK_THROWS_WITH_AS(batched_jacobian(model, zeros_of<double>({0, 3}), OutputReduction::first()),
                       doctest::Contains("no inputs"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(batched_jacobian(model, zeros_of<double>({2, 3}), OutputReduction::per_output(2)),
                       doctest::Contains("per_output(2) asked of a network with 2 outputs"), std::invalid_argument);
}
