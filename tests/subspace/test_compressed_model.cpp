// Compressed subspace models: saved and loaded, they rebuild exactly the
// parameters training left; another architecture or a damaged file is refused.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "nn/data/data_error.hpp"
#include "nn/data/synthetic.hpp"
#include "nn/mlp.hpp"
#include "nn/subspace/compressed_model.hpp"
#include "nn/subspace/subspace_training.hpp"

using namespace netdim;
using namespace netdim::subspace;

namespace {

std::filesystem::path temp_path(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim-compressed-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

}  // namespace

TEST_CASE("compressed model: training's parameters rebuilt exactly from seeds and coordinates") {
  auto set = data::random_points<float>(64, 3, 1, 1);
  set.labels.resize(64);
  for (std::size_t i = 0; i < 64; ++i) set.labels[i] = set.inputs(i, 0) > set.inputs(i, 2) ? 1 : 0;
  set.targets = Tensor<float>(Shape{0});
  const nn::Architecture arch = nn::mlp(3, {7}, 2);
  for (ProjectionKind kind : {ProjectionKind::Dense, ProjectionKind::Sparse, ProjectionKind::Fastfood}) {
    INFO(projection_name(kind));
    nn::Model<float> model(arch, 5);
    Subspace<float> sub(model.parameters(), make_projection<float>(kind, 99, model.parameter_count(), 6));
    nn::Adam<float> adam(0.05f);
    nn::TrainOptions options;
    options.epochs = 3;
    options.batch_size = 16;
    options.progress = 0;
    nn::train(model, sub.trainable(), adam, set, nullptr, options);
    CompressedModel m{arch.fingerprint(), kind, 5, 99, model.parameter_count(),
                      std::vector<float>(sub.coordinates().begin(), sub.coordinates().end())};
    const auto path = temp_path("m.sub");
    save_compressed(path, m);
    const CompressedModel back = load_compressed(path);
    CHECK(back.coordinates == m.coordinates);  // 9 digits: float32 round-trips exactly
    CHECK(back.projection_seed == 99);
    const Tensor<float> theta = rebuild_parameters(arch, back);
    CHECK(theta == model.parameters());  // bit for bit
    CHECK_THROWS_AS(rebuild_parameters(nn::mlp(3, {8}, 2), back), std::invalid_argument);
  }
}

TEST_CASE("compressed model: a large seed round-trips; damaged files are refused with the file named") {
  const auto path = temp_path("seed.sub");
  CompressedModel m{"abc", ProjectionKind::Sparse, 18446744073709551615ULL, 12345678901234567890ULL, 10, {1.5f, -2.25f}};
  save_compressed(path, m);
  const CompressedModel back = load_compressed(path);
  CHECK(back.init_seed == m.init_seed);
  CHECK(back.projection_seed == m.projection_seed);
  CHECK(back.projection == ProjectionKind::Sparse);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto damaged = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    t.replace(t.find(from), from.size(), to);
    std::ofstream(path, std::ios::trunc) << t;
    CHECK_THROWS_WITH_AS(load_compressed(path), doctest::Contains(path.string().c_str()), data::DataError);
  };
  damaged("netdim-subspace 1", "netdim-subspace 2");
  damaged("projection sparse", "projection gaussian");
  damaged("init_seed 18446744073709551615", "init_seed 18446744073709551616");
  damaged("dimension 2", "dimension 3");
  damaged("-2.25", "nan");
  damaged("-2.25", "-2.25x");
  CHECK_THROWS_AS(load_compressed(temp_path("missing.sub")), data::DataError);
}
