// The intrinsic dimension is a property of the problem, not of the random
// projection: the search (analysis/subspace) run with subspace training
// (nn/subspace) through dense, sparse and Fastfood projections finds d_int90
// within a factor of 1.5 of each other (issue 16), on a problem small enough
// to search in about a second: an MLP memorising random labels, scored by its
// training accuracy, whose d_int90 sits well inside the grid.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include "netdim/analysis/subspace/intrinsic_search.hpp"
#include "netdim/nn/data/synthetic.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/subspace/projection.hpp"
#include "netdim/nn/subspace/subspace_training.hpp"
#include "netdim/nn/train/trainer.hpp"

using namespace netdim;

namespace {

constexpr std::size_t kPoints = 48;
constexpr int kClasses = 4;

// kPoints random inputs in [-1, 1]^8 with random labels: only memorising fits them.
data::Dataset<double> random_labels() {
  data::Dataset<double> set = data::random_points<double>(kPoints, 8, 1, 21);
  const data::Dataset<float> labels = data::random_noise_images<float>(kPoints, 1, 1, 1, kClasses, 22);
  set.labels = labels.labels;
  set.targets = Tensor<double>(Shape{0});
  return set;
}

nn::Architecture network() {
  return nn::mlp(8, {24, 24}, kClasses, {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true});
}

// Training accuracy after full-batch Adam in a d-dimensional subspace of this projection.
double subspace_accuracy(nn::subspace::ProjectionKind kind, const data::Dataset<double>& set, std::size_t d,
                         std::uint64_t seed) {
  nn::Model<double> model(network(), seed);
  nn::subspace::Subspace<double> sub(model.parameters(),
                                 nn::subspace::make_projection<double>(kind, 1000 + seed, model.parameter_count(), d));
  nn::Adam<double> adam(0.05);
  nn::TrainOptions options;
  options.epochs = 150;
  options.batch_size = kPoints;
  options.progress = 0;
  const nn::TrainResult r = nn::train(model, sub.trainable(), adam, set, nullptr, options);
  return r.epochs.back().train.accuracy;
}

}  // namespace

TEST_CASE("dense, sparse and Fastfood projections give d_int90 within a factor of 1.5") {
  const data::Dataset<double> set = random_labels();
  const std::size_t D = nn::Model<double>(network(), 0).parameter_count();
  analysis::subspace::SearchOptions search;
  search.grid = analysis::subspace::default_dimension_grid(D);
  search.seeds = 2;
  search.target = 0.9;  // training accuracy: 90% of the labels memorised
  search.resolution = 0.05;

  std::map<std::string, std::size_t> found;
  for (auto kind : {nn::subspace::ProjectionKind::Dense, nn::subspace::ProjectionKind::Sparse,
                    nn::subspace::ProjectionKind::Fastfood}) {
    const auto train = [&](std::size_t d, std::uint64_t seed) { return subspace_accuracy(kind, set, d, seed); };
    const analysis::subspace::SearchResult result = analysis::subspace::search_intrinsic_dimension(train, search);
    INFO(nn::subspace::projection_name(kind));
    REQUIRE(result.d_int.has_value());
    // Well inside the grid, so that the agreement means something: the smallest
    // grid point does not reach, and D is not needed.
    CHECK(*result.d_int > search.grid.front());
    CHECK(*result.d_int < D);
    found[std::string(nn::subspace::projection_name(kind))] = *result.d_int;
  }
  const auto [low, high] = std::minmax_element(found.begin(), found.end(),
                                               [](const auto& a, const auto& b) { return a.second < b.second; });
  INFO("dense " << found["dense"] << ", sparse " << found["sparse"] << ", fastfood " << found["fastfood"]);
  CHECK(double(high->second) <= 1.5 * double(low->second));
}
