// Any byte sequence gives diagnostics, never a crash, a hang or unbounded
// memory: limits on sizes and expansion are reported as errors.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "tests/dsl/dsl_helpers.hpp"

using namespace netdim;
using netdim::testing::errors;
using netdim::testing::load;

namespace {

// Loads and formats `text`; neither may throw, and a failed load must say why.
void survives(const std::string& text) {
  dsl::LoadResult r;
  CHECK_NOTHROW(r = dsl::load_source(text, "fuzz.net"));
  if (!r.ok()) CHECK_FALSE(r.diagnostics.empty());
  CHECK_NOTHROW(dsl::render(r.diagnostics));
  dsl::FormatResult f;
  CHECK_NOTHROW(f = dsl::format_source(text, "fuzz.net"));
  if (f.text) {
    // Whatever formats, formats to itself.
    const dsl::FormatResult again = dsl::format_source(*f.text, "fuzz.net");
    REQUIRE_MESSAGE(again.text, text);
    CHECK_MESSAGE(*again.text == *f.text, text);
  }
}

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

}  // namespace

TEST_CASE("dsl robustness: empty, binary and invalid UTF-8 input") {
  CHECK(has(errors(""), "missing version line"));
  CHECK(has(errors("\n\n  \t\n"), "missing version line"));
  std::string all_bytes;
  for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
  survives(all_bytes);
  survives(std::string("netdim 1\nx = input(2)\0\0\0y = dense(x, 2)\n", 36));
  survives("netdim 1\nx = input(2) # caf\xc3\xa9 \xff\xfe\ny = dense(x, 2)\n");
  const std::string e = errors("netdim 1\nx = \xff\xfe input(2)\n");
  CHECK(has(e, "unexpected byte 0xff"));
  CHECK(has(e, "  x = ?? input(2)\n"));  // the printed line replaces invalid bytes
  std::mt19937_64 rng(12);
  for (int i = 0; i < 50; ++i) {
    std::string noise(static_cast<std::size_t>(rng() % 4000), '\0');
    for (char& c : noise) c = static_cast<char>(rng());
    survives(noise);
    survives("netdim 1\n" + noise);
  }
  // A wall of bad bytes is a bounded list of errors.
  CHECK(load(std::string(100000, '\x01') + "\n" + std::string(100000, '?')).diagnostics.size() <= 50);
  CHECK(load(std::string(10000, ')') + "\n").diagnostics.size() <= 50);
}

TEST_CASE("dsl robustness: tabs and CRLF keep columns and carets right") {
  const std::string e = errors("netdim 1\r\n\tx = input(2)\r\n\ty = dense(xx, 2)\r\n");
  CHECK(has(e, "test.net:3:12: error: unknown name `xx`\n  \ty = dense(xx, 2)\n  \t          ^~\n"));
}

TEST_CASE("dsl robustness: deep nesting is bounded") {
  survives("netdim 1\nn = " + std::string(100000, '(') + "1" + std::string(100000, ')') + "\n");
  CHECK(has(errors("netdim 1\nn = " + std::string(1000, '(') + "1" + std::string(1000, ')') + "\n"), "nested deeper than 64"));
  // Unary minus does not nest (a loop in the parser): a long run of it is a long statement.
  CHECK(has(errors("netdim 1\nn = " + std::string(100000, '-') + "1\n"), "statement is too long"));
  std::string braces = "netdim 1\nx = input(2)\nh = x\n";
  for (int i = 0; i < 5000; ++i) braces += "for i" + std::to_string(i) + " in 1..1 {\n";
  const std::string nested = errors(braces);
  CHECK(has(nested, "deeper than 64 levels"));
  CHECK(load(braces).diagnostics.size() <= 3);
  std::string chain = "netdim 1\nn = 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  CHECK(has(errors(chain + "\n"), "too long"));
  std::string pipes = "netdim 1\nx = input(2)\ny = x";
  for (int i = 0; i < 100000; ++i) pipes += " | relu";
  CHECK(has(errors(pipes + "\n"), "too long"));
  // Nested block calls stop at the nesting limit.
  std::string blocks = "netdim 1\nblock b0(x) {\n  return relu(x)\n}\n";
  for (int i = 1; i < 100; ++i)
    blocks += "block b" + std::to_string(i) + "(x) {\n  return b" + std::to_string(i - 1) + "(x)\n}\n";
  CHECK(has(errors(blocks + "x = input(2)\ny = b99(x)\n"), "nested deeper than 64 levels"));
  // Long operator chains inside nested block calls: the evaluator's depth stays bounded.
  std::string deep = "netdim 1\nblock c0() {\n  return 1\n}\n";
  for (int i = 1; i < 60; ++i) {
    deep += "block c" + std::to_string(i) + "() {\n  return c" + std::to_string(i - 1) + "()";
    for (int k = 0; k < 200; ++k) deep += " + 0";
    deep += "\n}\n";
  }
  CHECK(has(errors(deep + "n = c59()\n"), "nested deeper than 1000 levels"));
}

TEST_CASE("dsl robustness: recursion, huge loops and huge layers end in diagnostics") {
  CHECK(has(errors("netdim 1\nblock f(x) {\n  return f(relu(x))\n}\nx = input(2)\ny = f(x)\n"), "calls itself"));
  CHECK(has(errors("netdim 1\nx = input(2)\nfor i in 1..1000000000 {\n  y = relu(x)\n}\n"),
            "a loop of 1000000000 iterations exceeds the limit of 100000"));
  CHECK(has(errors("netdim 1\nfor i in -9223372036854775807 - 1..9223372036854775807 {\n}\n"),
            "a loop of 18446744073709551616 iterations"));
  // Within the per-loop limit, but 10^10 iterations in all.
  CHECK(has(errors("netdim 1\nfor i in 1..100000 {\n  for j in 1..100000 {\n  }\n}\n"), "more than 10000000 steps"));
  CHECK(has(errors("netdim 1\nx = input(1000)\ny = dense(x, 10^12)\n"), "must be at most 4294967296"));
  CHECK(has(errors("netdim 1\nx = input(1000000)\ny = dense(x, 1000000)\n"), "more than 17179869184 parameters"));
  CHECK(has(errors("netdim 1\nx = input(4096, 4096, 4096)\n"), "has more than 4294967296 entries"));
  CHECK(has(errors("netdim 1\nx = input(3, 8, 8)\ny = conv2d(x, 8, kernel=1, padding=2^31)\n"), "entries"));
  CHECK(has(errors("netdim 1\nx = input(99999999999999999999999999999999999999)\n"), "integer literal is too large"));
  CHECK(has(errors("netdim 1\nx = input(2)\ny = leaky_relu(x, slope=1e999)\n"), "too large"));
  CHECK(has(errors("netdim 1\nx = input(" + std::string(100000, '9') + ")\n"), "integer literal is too large"));
  dsl::Limits small;
  small.max_layers = 50;
  CHECK(has(dsl::render(dsl::load_source("netdim 1\nx = input(2)\nh = x\nfor i in 1..100 {\n  h = relu(h)\n}\n", "t.net", small).diagnostics),
            "more than 50 layers"));
  small.max_source_bytes = 10;
  CHECK(has(dsl::render(dsl::load_source("netdim 1\nx = input(2)\n", "t.net", small).diagnostics), "larger than the limit of 10 bytes"));
}

TEST_CASE("dsl robustness: includes of devices, directories and themselves") {
  CHECK(has(errors("netdim 1\ninclude \"/dev/zero\"\n", "/tmp/t.net"), "cannot read /dev/zero: not a regular file"));
  CHECK(has(errors("netdim 1\ninclude \"/\"\n", "/tmp/t.net"), "Is a directory"));
  namespace fs = std::filesystem;
  const fs::path self = fs::temp_directory_path() / "netdim_dsl_self_include.net";
  std::ofstream(self) << "netdim 1\ninclude \"netdim_dsl_self_include.net\"\n";
  CHECK(has(dsl::render(dsl::load_file(self).diagnostics), "include cycle"));
  fs::remove(self);
}

TEST_CASE("dsl robustness: 2000 seeded mutations of the examples never throw") {
  namespace fs = std::filesystem;
  std::vector<std::string> corpus;
  for (const auto& entry : fs::recursive_directory_iterator(NETDIM_EXAMPLES_DIR))
    if (entry.path().extension() == ".net") {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      corpus.push_back(s.str());
    }
  std::sort(corpus.begin(), corpus.end());
  REQUIRE_FALSE(corpus.empty());
  const std::vector<std::string> pieces{"(", ")", "{", "}", "|", "..", ",", "=", " as x{i}", "1e400", "99999999999999999999",
                                        "\r", "\t", std::string(1, '\0'), "\xff", "block b(x) {", "for i in 1..3 {", "return x",
                                        "include \"x.net\"", "shortcuts add_inputs", "^", "-", "/0", "relu", "h", "x",
                                        "input(3)", "\n", "#", "\"", "2^62", "adapt=sample", "kernel=(3, 5)"};
  std::mt19937_64 rng(2026);
  const auto pick = [&](std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng() % n); };
  for (int i = 0; i < 2000; ++i) {
    std::string text = corpus[pick(corpus.size())];
    const int edits = 1 + static_cast<int>(pick(4));
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = pick(text.size());
      switch (pick(5)) {
        case 0: text.erase(at, 1 + pick(20)); break;
        case 1: text.insert(at, pieces[pick(pieces.size())]); break;
        case 2: text[at] = static_cast<char>(rng()); break;
        case 3: {  // (draws in sequence: argument order would differ between compilers)
          const std::size_t from = pick(text.size()), length = pick(80);
          text.insert(at, text.substr(from, length));
          break;
        }
        default: {
          const std::size_t from = pick(text.size());
          text = text.substr(0, at) + text.substr(from);
        }
      }
    }
    survives(text);
  }
}
