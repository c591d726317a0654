// The parameter table (nominal dimension): hand counts, the text table and the JSON keys.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "netdim/analysis/count/parameter_table.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/analysis/small_residual_net.hpp"

using namespace netdim;

TEST_CASE("parameter table: per-layer weights and biases match hand counts") {
  const analysis::count::ParameterTable t = analysis::count::parameter_table(testing::small_residual_net());
  REQUIRE(t.layers.size() == 6);  // the layers with parameters only
  const struct {
    const char* name;
    nn::LayerKind kind;
    std::size_t weights, biases;
  } expected[] = {{"stem", nn::LayerKind::Conv2d, 36, 4},       {"body", nn::LayerKind::Conv2d, 144, 0},
                  {"down", nn::LayerKind::Conv2d, 288, 8},      {"proj1", nn::LayerKind::Projection, 32, 0},
                  {"stage1.bn", nn::LayerKind::BatchNorm, 8, 8}, {"head", nn::LayerKind::Dense, 24, 3}};
  for (std::size_t i = 0; i < t.layers.size(); ++i) {
    CAPTURE(i);
    CHECK(t.layers[i].name == expected[i].name);
    CHECK(t.layers[i].kind == expected[i].kind);
    CHECK(t.layers[i].weights == expected[i].weights);
    CHECK(t.layers[i].biases == expected[i].biases);
    CHECK(t.layers[i].total() == expected[i].weights + expected[i].biases);
  }
  CHECK(t.weights == 532);
  CHECK(t.biases == 23);
  CHECK(t.total() == 555);
  CHECK(t.total() == testing::small_residual_net().parameter_count());
}

TEST_CASE("parameter table: parameters per layer cover every layer") {
  const nn::Architecture a = testing::small_residual_net();
  const auto per_layer = analysis::count::parameters_per_layer(a);
  REQUIRE(per_layer.size() == a.layers().size());
  CHECK(per_layer[a.find("image")] == 0);
  CHECK(per_layer[a.find("leaky")] == 0);
  CHECK(per_layer[a.find("stem")] == 40);
  CHECK(per_layer[a.find("proj1")] == 32);
  CHECK(per_layer[a.find("res2")] == 0);
  std::size_t sum = 0;
  for (std::size_t n : per_layer) sum += n;
  CHECK(sum == 555);
}

TEST_CASE("parameter table: aligned text with a total row") {
  const std::string text = analysis::count::to_text(analysis::count::parameter_table(nn::mlp(784, {16, 16}, 10)));
  CHECK(text ==
        "layer   kind   weights  biases  total\n"
        "dense1  dense    12544      16  12560\n"
        "dense2  dense      256      16    272\n"
        "dense3  dense      160      10    170\n"
        "total            12960      42  13002\n");
}

TEST_CASE("parameter table: JSON has the keys other tools read") {
  const auto j = nlohmann::json::parse(analysis::count::to_json(analysis::count::parameter_table(testing::small_residual_net())));
  REQUIRE(j.is_object());
  CHECK(j.at("total").is_number_integer());
  CHECK(j.at("total").get<std::size_t>() == 555);
  CHECK(j.at("weights").get<std::size_t>() == 532);
  CHECK(j.at("biases").get<std::size_t>() == 23);
  REQUIRE(j.at("layers").is_array());
  REQUIRE(j.at("layers").size() == 6);
  const auto& proj = j.at("layers")[3];
  CHECK(proj.size() == 5);
  CHECK(proj.at("name") == "proj1");
  CHECK(proj.at("kind") == "projection");
  CHECK(proj.at("weights") == 32);
  CHECK(proj.at("biases") == 0);
  CHECK(proj.at("total") == 32);
  std::size_t sum = 0;
  for (const auto& layer : j.at("layers")) sum += layer.at("total").get<std::size_t>();
  CHECK(sum == 555);
}
