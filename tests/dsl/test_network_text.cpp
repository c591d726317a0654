// dsl::write_network: every example network, written back as text, loads to the same layers under
// the same names (describe() and the fingerprint), so `netdim import` writes files that mean the model.
#include <doctest/doctest.h>

#include <filesystem>

#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/architecture.hpp"

using namespace netdim;

TEST_CASE("every example network written as text loads back to the same architecture") {
  std::size_t checked = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(NETDIM_EXAMPLES_DIR)) {
    if (e.path().extension() != ".net") continue;
    const dsl::LoadResult original = dsl::load_file(e.path());
    if (!original.ok()) continue;  // the examples of errors, and of types a program registers
    CAPTURE(e.path().string());
    const nn::Architecture& a = *original.architecture;
    std::string text;
    try {
      text = dsl::write_network(a, "written back\nby the test");
    } catch (const std::invalid_argument& err) {
      FAIL_CHECK(err.what());
      continue;
    }
    const dsl::LoadResult back = dsl::load_source(text, "back.net");
    REQUIRE_MESSAGE(back.ok(), dsl::render(back.diagnostics) << text);
    CHECK(back.architecture->describe() == a.describe());
    ++checked;
  }
  CHECK(checked >= 40);
}

TEST_CASE("write_network refuses what the language cannot say") {
  nn::Architecture rank2;
  rank2.input({4, 5});
  CHECK_THROWS_WITH_AS(dsl::write_network(rank2), doctest::Contains("the language's inputs are [n] or [c, h, w]"),
                       std::invalid_argument);
  nn::Architecture odd;
  odd.activation(odd.input({3}), nn::Activation::Relu, 0.01, "onnx::Relu_1");
  CHECK_THROWS_WITH_AS(dsl::write_network(odd), doctest::Contains("a name the language cannot write"), std::invalid_argument);
}
