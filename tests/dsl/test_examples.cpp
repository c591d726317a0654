// Every example network: its parameter count, and the formatter's round trip
// over every .net file under examples/.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "netdim/dsl/dsl.hpp"

using namespace netdim;
namespace fs = std::filesystem;

namespace {

std::size_t parameters_of(const std::string& relative) {
  const dsl::LoadResult r = dsl::load_file(fs::path(NETDIM_EXAMPLES_DIR) / relative);
  INFO(relative);
  REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  CHECK(r.diagnostics.empty());
  return r.architecture->parameter_count();
}

std::vector<fs::path> example_files() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(NETDIM_EXAMPLES_DIR))
    // examples/extend's networks use the activation its own program registers.
    if (entry.is_regular_file() && entry.path().extension() == ".net" &&
        entry.path().parent_path().filename() != "extend")
      out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("dsl examples: parameter counts of seeds 000 and 001") {
  CHECK(parameters_of("counting/mlp_784_16_16_10.net") == 13002);
  CHECK(parameters_of("counting/net_2_2_2.net") == 12);
  CHECK(parameters_of("counting/linear_regression.net") == 4);
  CHECK(parameters_of("counting/two_relu.net") == 7);
}

TEST_CASE("dsl examples: parameter counts of seed 003") {
  CHECK(parameters_of("esd2020/eq1_square.net") == 6);
  CHECK(parameters_of("esd2020/fig1_relu.net") == 16 + 72 + 90 + 11);
  CHECK(parameters_of("esd2020/fig1_sigmoid.net") == 189);
  CHECK(parameters_of("esd2020/fig5_mlp.net") == 27);
  CHECK(parameters_of("esd2020/fig5_add_shortcuts.net") == 27);
  CHECK(parameters_of("esd2020/fig5_add_inputs.net") == 27);
  const std::size_t sec51 = 3 * (784 * 784 + 784) + 7850;
  CHECK(parameters_of("esd2020/sec51_mlp.net") == sec51);
  CHECK(parameters_of("esd2020/sec51_add_shortcuts.net") == sec51);
  CHECK(parameters_of("esd2020/sec51_add_inputs.net") == sec51);
  // Stem 16*9+16, blocks of two 3x3 convs (16, 32, 64 channels), the classifier 64*10+10.
  const std::size_t sec53 = 160 + 2 * (16 * 16 * 9 + 16) + (32 * 16 * 9 + 32) + (32 * 32 * 9 + 32) +
                            (64 * 32 * 9 + 64) + (64 * 64 * 9 + 64) + 650;
  CHECK(parameters_of("esd2020/sec53_resnet.net") == sec53);
  CHECK(parameters_of("esd2020/sec53_resnet_add_inputs.net") == sec53);
}

TEST_CASE("dsl examples: the section 5.3 add-inputs shortcuts sample the input with stride 2^n") {
  const dsl::LoadResult r = dsl::load_file(fs::path(NETDIM_EXAMPLES_DIR) / "esd2020/sec53_resnet_add_inputs.net");
  REQUIRE(r.ok());
  std::vector<std::size_t> strides;
  for (const nn::Layer& l : r.architecture->layers())
    if (l.kind == nn::LayerKind::Sample) {
      CHECK(l.inputs[0] == 0);
      strides.push_back(l.window.stride[0]);
    }
  CHECK(strides == std::vector<std::size_t>{1, 2, 4});
}

TEST_CASE("dsl examples: parameter counts of seed 002 and the zoo") {
  CHECK(parameters_of("intrinsic2018/fc_784_200_200_10.net") == 199210);
  CHECK(parameters_of("intrinsic2018/fc_784_100_100_10.net") == 89610);
  CHECK(parameters_of("intrinsic2018/fc_784_400_400_10.net") == 478410);
  CHECK(parameters_of("intrinsic2018/lenet.net") == 61706);
  CHECK(parameters_of("zoo/resnet18.net") == 11689512);  // torchvision.models.resnet18()
}

TEST_CASE("dsl examples: torchvision's extra layers in one network") {
  // stem 16*8*9 + bn 2*16; the shuffle unit's three convs 8*8 + 8*9 + 8*8 and three bns 3*2*8;
  // dense 64*32 + 32 and 32*10 + 10. Dropout, chunk, shuffle and the poolings have none.
  CHECK(parameters_of("layers/torchvision_blocks.net") == 1152 + 32 + 200 + 48 + 2080 + 330);
  const dsl::LoadResult r = dsl::load_file(fs::path(NETDIM_EXAMPLES_DIR) / "layers/torchvision_blocks.net");
  REQUIRE(r.ok());
  const nn::Architecture& a = *r.architecture;
  CHECK(a.layer(a.find("maxpool1")).shape == Shape{16, 4, 4});
  CHECK(a.layer(a.find("shuffle_unit1.shuffle1")).shape == Shape{16, 4, 4});
  CHECK(a.layer(a.find("avgpool1")).shape == Shape{16, 3, 3});
  CHECK(a.layer(a.find("adaptive_avgpool1")).shape == Shape{16, 2, 2});
  CHECK(a.output_shape() == Shape{10});
}

TEST_CASE("dsl examples: resnet18's parameter blocks carry torchvision-like hierarchical names") {
  const dsl::LoadResult r = dsl::load_file(fs::path(NETDIM_EXAMPLES_DIR) / "zoo/resnet18.net");
  REQUIRE(r.ok());
  std::vector<std::string> names;
  for (const nn::ParameterBlock& b : r.architecture->parameter_blocks()) names.push_back(b.name);
  for (const char* expected : {"conv1.weight", "bn1.weight", "layer1.0.conv1.weight", "layer2.0.downsample.0.weight",
                               "layer4.1.bn2.bias", "fc.weight", "fc.bias"})
    CHECK_MESSAGE(std::find(names.begin(), names.end(), expected) != names.end(), expected);
  CHECK(r.architecture->output_shape() == Shape{1000});
}

TEST_CASE("dsl examples: format is idempotent and keeps the architecture, for every example file") {
  const std::vector<fs::path> files = example_files();
  CHECK(files.size() >= 20);
  for (const fs::path& file : files) {
    INFO(file.string());
    const std::string text = read(file);
    const dsl::FormatResult once = dsl::format_source(text, file.string());
    REQUIRE_MESSAGE(once.text, dsl::render(once.diagnostics));
    const dsl::FormatResult twice = dsl::format_source(*once.text, file.string());
    REQUIRE(twice.text);
    CHECK(*twice.text == *once.text);
    const dsl::LoadResult original = dsl::load_source(text, file.string());
    const dsl::LoadResult formatted = dsl::load_source(*once.text, file.string());
    REQUIRE_MESSAGE(original.ok(), dsl::render(original.diagnostics));
    REQUIRE_MESSAGE(formatted.ok(), dsl::render(formatted.diagnostics));
    CHECK(formatted.architecture->describe() == original.architecture->describe());
    CHECK(*once.text == text);  // the examples are kept in canonical form
  }
}

TEST_CASE("dsl examples: every example stays far below the whole-load limits") {
  // A tenth of each default: densenet201, the largest, builds 708 layers with 26 KB of names.
  const dsl::Limits defaults;
  dsl::Limits tight;
  tight.max_name_bytes = defaults.max_name_bytes / 10;
  tight.max_includes = defaults.max_includes / 10;
  tight.max_include_bytes = defaults.max_include_bytes / 10;
  tight.max_nesting = defaults.max_nesting / 4;
  for (const fs::path& file : example_files()) {
    INFO(file.string());
    const dsl::LoadResult r = dsl::load_file(file, tight);
    CHECK_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  }
}
