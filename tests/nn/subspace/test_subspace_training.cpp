// Subspace training: with d = D and the identity as P it is full training, step
// for step; the gradient the optimiser sees is P^T times the full gradient; and
// a network learns in a random subspace with each projection.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "netdim/autodiff/reverse.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/subspace/projection.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"
#include "netdim/nn/train/loss.hpp"
#include "tests/nn/two_classes.hpp"

using namespace netdim;
using netdim::testing::two_classes;
using namespace netdim::nn;

namespace {

std::shared_ptr<const LinearOperator<double>> identity(std::size_t n) {
  const auto copy = [](std::span<const double> in, std::span<double> out) { std::copy(in.begin(), in.end(), out.begin()); };
  return make_linear_operator<double>("identity", n, n, copy, copy);
}

struct Run {
  std::vector<double> losses;
  std::vector<Tensor<double>> parameters;  // after every epoch
};

// Trains with `make_optimizer()`; through a Subspace around the initial parameters when `projection` is given.
template <class MakeOptimizer>
Run run(std::size_t batch, std::shared_ptr<const LinearOperator<double>> projection, MakeOptimizer make_optimizer) {
  const auto set = two_classes(96, 1), test = two_classes(32, 2);
  Model<double> model(mlp(2, {8}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 3);
  auto optimizer = make_optimizer();
  TrainOptions options;
  options.epochs = 6;
  options.batch_size = batch;
  options.shuffle_seed = 4;
  options.progress = 0;
  Run r;
  options.on_epoch = [&](const EpochResult& e) {
    r.losses.push_back(e.train.loss);
    r.parameters.push_back(model.parameters());
  };
  if (projection) {
    nn::subspace::Subspace<double> sub(model.parameters(), projection);
    train(model, sub.trainable(), optimizer, set, &test, options);
    // The model ends at theta0 + P d.
    CHECK(xt::amax(xt::abs(model.parameters() - sub.parameters()))() == 0);
  } else {
    train(model, optimizer, set, &test, options);
  }
  return r;
}

template <class MakeOptimizer>
void check_same_as_full(std::size_t batch, MakeOptimizer make_optimizer) {
  const std::size_t D = Model<double>(mlp(2, {8}, 2), 0).parameter_count();
  const Run full = run(batch, nullptr, make_optimizer);
  const Run sub = run(batch, identity(D), make_optimizer);
  REQUIRE(full.losses.size() == 6);
  REQUIRE(sub.losses.size() == 6);
  for (std::size_t e = 0; e < 6; ++e) {
    INFO("epoch " << e + 1);
    CHECK(sub.losses[e] == doctest::Approx(full.losses[e]).epsilon(1e-12));
    CHECK(xt::amax(xt::abs(sub.parameters[e] - full.parameters[e]))() < 1e-12);
  }
  CHECK(full.losses.back() < full.losses.front());  // it did train
}

}  // namespace

TEST_CASE("subspace training with d = D and the identity is full training, step for step") {
  // One batch per epoch: every epoch is one optimiser step.
  check_same_as_full(96, [] { return Adam<double>(0.05); });
  check_same_as_full(96, [] { return SGD<double>(0.3, 0.9); });
  // Several steps per epoch, shuffled.
  check_same_as_full(16, [] { return Adam<double>(0.02); });
}

TEST_CASE("subspace gradient is P^T times the full gradient") {
  const auto set = two_classes(20, 5);
  Model<double> model(mlp(2, {6}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 6);
  const std::size_t D = model.parameter_count();
  for (auto kind : {nn::subspace::ProjectionKind::Dense, nn::subspace::ProjectionKind::Sparse,
                    nn::subspace::ProjectionKind::Fastfood}) {
    INFO(nn::subspace::projection_name(kind));
    const auto p = nn::subspace::make_projection<double>(kind, 7, D, 5);
    nn::subspace::Subspace<double> sub(model.parameters(), p);
    sub.set_coordinates(Tensor<double>{0.1, -0.2, 0.3, 0.05, -0.1});
    const auto loss_at = [&](const Var<double>& theta) {
      return cross_entropy(model.forward(theta, theta.tape().constant(set.inputs)), set.labels);
    };
    Tape<double> tape;
    const Var<double> d = tape.variable(sub.coordinates());
    const Tensor<double> g_d = grad(loss_at(sub.trainable().to_parameters(d)), d);
    Tape<double> full;
    const Var<double> theta = full.variable(sub.parameters());
    const Tensor<double> g_theta = grad(loss_at(theta), theta);
    const Tensor<double> expected = apply_operator_transpose(*p, g_theta);
    CHECK(xt::amax(xt::abs(g_d - expected))() < 1e-12);
  }
}

TEST_CASE("a network learns in a random subspace with each projection") {
  const auto set = two_classes(256, 8), test = two_classes(128, 9);
  for (auto kind : {nn::subspace::ProjectionKind::Dense, nn::subspace::ProjectionKind::Sparse,
                    nn::subspace::ProjectionKind::Fastfood}) {
    INFO(nn::subspace::projection_name(kind));
    Model<double> model(mlp(2, {32}, 2, {Activation::Tanh, Shortcuts::None, Adapt::Identity, true}), 10);
    const Tensor<double> theta0 = model.parameters();
    nn::subspace::Subspace<double> sub(theta0, nn::subspace::make_projection<double>(kind, 11, model.parameter_count(), 12));
    Adam<double> adam(0.1);
    TrainOptions options;
    options.epochs = 15;
    options.batch_size = 32;
    options.progress = 0;
    const TrainResult r = train(model, sub.trainable(), adam, set, &test, options);
    CHECK(r.epochs.back().train.loss < 0.6 * r.epochs.front().train.loss);
    CHECK(r.epochs.back().test.accuracy > 0.85);
    // Only the 12 coordinates moved: theta - theta0 lies in P's column space.
    const Tensor<double> moved = model.parameters() - theta0;
    const Tensor<double> back = apply_operator(sub.projection(), Tensor<double>(sub.coordinates()));
    CHECK(xt::amax(xt::abs(moved - back))() < 1e-12);
  }
}
