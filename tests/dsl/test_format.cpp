// The canonical form: spacing, parentheses, comments and blank lines.
#include <doctest/doctest.h>

#include "netdim/dsl/dsl.hpp"

using namespace netdim;

namespace {

std::string fmt(const std::string& text) {
  const dsl::FormatResult r = dsl::format_source(text, "f.net");
  return r.text ? *r.text : "ERROR\n" + dsl::render(r.diagnostics);
}

}  // namespace

TEST_CASE("dsl format: spacing, attributes and redundant parentheses") {
  CHECK(fmt("netdim   1\nx=input( 3 ,32,32 )\nc =conv2d(x,16,kernel = (3,3),stride=((2)))|relu\nn=(1+2)*((3)) - (4-5) + 2^(1+1) + -(2)\n") ==
        "netdim 1\nx = input(3, 32, 32)\nc = conv2d(x, 16, kernel=(3, 3), stride=2) | relu\n"
        "n = (1 + 2) * 3 - (4 - 5) + 2^(1 + 1) + -2\n");
}

TEST_CASE("dsl format: blocks, loops, names and includes") {
  const std::string text =
      "netdim 1\ninclude   \"lib/a b.net\"\nshortcuts add_inputs   adapt=projection\n"
      "block  f( x ,c=2 ){\nreturn dense(x,c)   as  fc{c}.out\n}\n"
      "for i in 1 .. 2*3 { h = f(h) as stage{i} }\n";
  CHECK(fmt(text) ==
        "netdim 1\ninclude \"lib/a b.net\"\nshortcuts add_inputs adapt=projection\n"
        "block f(x, c=2) {\n  return dense(x, c) as fc{c}.out\n}\n"
        "for i in 1..2 * 3 {\n  h = f(h) as stage{i}\n}\n");
}

TEST_CASE("dsl format: comments stay, blank lines collapse to one") {
  const std::string text =
      "# header\nnetdim 1   # version\n\n\n\n# about x\n\n# more\nx = input(2)   # trailing\n"
      "y = dense(x,  # inside\n  2)\nblock b(x) {\n  # first\n  return x\n  # last\n}\n\n\n# end\n";
  CHECK(fmt(text) ==
        "# header\nnetdim 1  # version\n\n# about x\n\n# more\nx = input(2)  # trailing\n"
        "# inside\ny = dense(x, 2)\nblock b(x) {\n  # first\n  return x\n  # last\n}\n\n# end\n");
  CHECK(fmt(fmt(text)) == fmt(text));
}

TEST_CASE("dsl format: a file that does not parse gives diagnostics, not text") {
  const dsl::FormatResult r = dsl::format_source("netdim 1\nx = (\n", "f.net");
  CHECK_FALSE(r.text);
  CHECK_FALSE(r.diagnostics.empty());
  CHECK(dsl::render(dsl::format_file("/nonexistent.net").diagnostics) ==
        "/nonexistent.net: error: cannot read /nonexistent.net: No such file or directory\n");
}
