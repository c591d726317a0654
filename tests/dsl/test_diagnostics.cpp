// Golden tests: the exact text of the common diagnostics (file:line:column,
// the source line, a caret under the span, the hint, the notes).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "tests/dsl/dsl_helpers.hpp"

using namespace netdim;

namespace {

std::string errors(const std::string& text) { return netdim::testing::errors(text, "net.net"); }

}  // namespace

TEST_CASE("dsl diagnostics: syntax errors, several in one run") {
  CHECK(errors("netdim 1\nx = input(3, 32, 32)\nc = conv2d(x, 16, kernel=3,, padding=1)\nd = dense(x 10)\ny = (1 + 2\nz = dense(x, 3\nw = 3\n") ==
        "net.net:3:28: error: expected a value, found `,`\n"
        "  c = conv2d(x, 16, kernel=3,, padding=1)\n"
        "                             ^\n"
        "net.net:4:13: error: expected `,` or `)` in the call of `dense`, found `10`\n"
        "  d = dense(x 10)\n"
        "              ^~\n"
        "  hint: separate arguments with commas\n"
        "net.net:5:5: error: unclosed `(` of this parenthesis\n"
        "  y = (1 + 2\n"
        "      ^\n"
        "  hint: expected `)` or `,` before `z` on line 6\n"
        "net.net:6:10: error: unclosed `(` in the call of `dense`\n"
        "  z = dense(x, 3\n"
        "           ^\n"
        "  hint: expected `)` or `,` before `w` on line 7\n");
}

TEST_CASE("dsl diagnostics: unknown name with a near miss") {
  CHECK(errors("netdim 1\nx = input(784)\nhidden = dense(x, 16, activation=relu)\ny = dense(hiden, 10)\n") ==
        "net.net:4:11: error: unknown name `hiden`\n"
        "  y = dense(hiden, 10)\n"
        "            ^~~~~\n"
        "  hint: did you mean `hidden`?\n");
}

TEST_CASE("dsl diagnostics: unknown function with a near miss") {
  CHECK(errors("netdim 1\nx = input(784)\ny = dense(x, 10) | sigmiod\nz = conv(x, 3)\n") ==
        "net.net:3:20: error: unknown function `sigmiod`\n"
        "  y = dense(x, 10) | sigmiod\n"
        "                     ^~~~~~~\n"
        "  hint: did you mean `sigmoid`?\n"
        "net.net:4:5: error: unknown function `conv`\n"
        "  z = conv(x, 3)\n"
        "      ^~~~\n"
        "  hint: did you mean `conv2d`?\n");
}

TEST_CASE("dsl diagnostics: shape mismatch on add, with both shapes and the adaptation") {
  CHECK(errors("netdim 1\nx = input(3, 32, 32)\nc = conv2d(x, 16, kernel=3, stride=2, padding=1)\ny = add(c, x)\n") ==
        "net.net:4:5: error: add needs equal shapes: `c` is [16, 16, 16] but `x` is [3, 32, 32]\n"
        "  y = add(c, x)\n"
        "      ^~~~~~~~~\n"
        "  hint: adapt the shortcut explicitly: `shortcut(x, c, adapt=projection)` (a learned 1x1 convolution with stride 2) or `adapt=sample` (sampling with stride 2 plus zero channels, no parameters)\n"
        "net.net:3:5: note: `c` is [16, 16, 16], made here\n"
        "  c = conv2d(x, 16, kernel=3, stride=2, padding=1)\n"
        "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
        "net.net:2:5: note: `x` is [3, 32, 32], made here\n"
        "  x = input(3, 32, 32)\n"
        "      ^~~~~~~~~~~~~~~~\n");
}

TEST_CASE("dsl diagnostics: identity shortcut between vectors of different widths") {
  CHECK(errors("netdim 1\nx = input(8)\nh = dense(x, 4, activation=relu)\ny = shortcut(x, h)\n") ==
        "net.net:4:5: error: shortcut needs equal shapes for adapt=identity: `x` is [8] but `h` is [4]\n"
        "  y = shortcut(x, h)\n"
        "      ^~~~~~~~~~~~~~\n"
        "  hint: adapt the shortcut explicitly: `shortcut(x, h, adapt=projection)` (a learned dense map without bias) or `adapt=sample` (strided features or zero padding, no parameters)\n"
        "net.net:2:5: note: `x` is [8], made here\n"
        "  x = input(8)\n"
        "      ^~~~~~~~\n"
        "net.net:3:5: note: `h` is [4], made here\n"
        "  h = dense(x, 4, activation=relu)\n"
        "      ^~~~~~~~~~~~~~~~~~~~~~~~~~~~\n");
}

TEST_CASE("dsl diagnostics: dense on an image") {
  CHECK(errors("netdim 1\nx = input(1, 28, 28)\ny = dense(x, 10)\n") ==
        "net.net:3:5: error: dense needs a vector [features], but `x` is [1, 28, 28]\n"
        "  y = dense(x, 10)\n"
        "      ^~~~~~~~~~~~\n"
        "  hint: flatten it first: `x | flatten | dense(...)`, or pool it: `| global_avg_pool`\n");
}

TEST_CASE("dsl diagnostics: redefinition") {
  CHECK(errors("netdim 1\nx = input(4)\nh = dense(x, 4)\nh = relu(h)\n") ==
        "net.net:4:1: error: `h` is already defined\n"
        "  h = relu(h)\n"
        "  ^\n"
        "  hint: names are assigned once; use a new name, such as `h2`\n"
        "net.net:3:1: note: `h` was defined here\n"
        "  h = dense(x, 4)\n"
        "  ^\n");
}

TEST_CASE("dsl diagnostics: bad attributes") {
  CHECK(errors("netdim 1\nx = input(3, 8, 8)\nc = conv2d(x, 8, kernel=3, strid=2)\nd = conv2d(x, 8, kernel=3, bias=1)\ne = conv2d(x, 8, kernel=3, activation=rleu)\n") ==
        "net.net:3:28: error: `conv2d` has no attribute `strid`\n"
        "  c = conv2d(x, 8, kernel=3, strid=2)\n"
        "                             ^~~~~\n"
        "  hint: did you mean `stride`?\n"
        "net.net:4:33: error: `bias` of conv2d must be true or false, found 1\n"
        "  d = conv2d(x, 8, kernel=3, bias=1)\n"
        "                                  ^\n"
        "net.net:5:39: error: unknown activation `rleu`\n"
        "  e = conv2d(x, 8, kernel=3, activation=rleu)\n"
        "                                        ^~~~\n"
        "  hint: did you mean `relu`?\n");
}

TEST_CASE("dsl diagnostics: limit exceeded") {
  CHECK(errors("netdim 1\nx = input(8)\nh = x\nfor i in 1..1000000000 {\n  h = relu(h)\n}\n") ==
        "net.net:4:10: error: a loop of 1000000000 iterations exceeds the limit of 100000\n"
        "  for i in 1..1000000000 {\n"
        "           ^~~~~~~~~~~~~\n"
        "  hint: this limit keeps every file finite (dsl::Limits::max_loop_iterations)\n");
}

TEST_CASE("dsl diagnostics: a layer of 10^12 units") {
  CHECK(errors("netdim 1\nx = input(8)\ny = dense(x, 10^12)\n") ==
        "net.net:3:14: error: `units` of dense must be at most 4294967296, found 1000000000000\n"
        "  y = dense(x, 10^12)\n"
        "               ^~~~~\n"
        "  hint: sizes are bounded so that every file stays finite\n");
}

TEST_CASE("dsl diagnostics: recursive block") {
  CHECK(errors("netdim 1\nblock down(x) {\n  return down(relu(x))\n}\nx = input(2)\ny = down(x)\n") ==
        "net.net:3:10: error: block `down` calls itself\n"
        "    return down(relu(x))\n"
        "           ^~~~\n"
        "  hint: blocks cannot be recursive; use a loop (`for i in 1..n { ... }`)\n");
}

TEST_CASE("dsl diagnostics: include cycle") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "netdim_dsl_golden";
  fs::create_directories(dir);
  std::ofstream(dir / "a.net") << "netdim 1\ninclude \"b.net\"\n";
  std::ofstream(dir / "b.net") << "netdim 1\ninclude \"a.net\"\n";
  const std::string a = (dir / "a.net").string(), b = (dir / "b.net").string();
  CHECK(dsl::render(dsl::load_file(dir / "a.net").diagnostics) ==
        b + ":2:9: error: include cycle: `a.net` is already being read\n"
            "  include \"a.net\"\n"
            "          ^~~~~~~\n"
            "  hint: the chain is a.net -> b.net -> a.net\n" +
            a + ":2:9: note: included from here\n"
                "  include \"b.net\"\n"
                "          ^~~~~~~\n");
  fs::remove_all(dir);
}

TEST_CASE("dsl diagnostics: a missing file") {
  CHECK(dsl::render(dsl::load_file("missing.net").diagnostics) ==
        "missing.net: error: cannot read missing.net: No such file or directory\n");
}

TEST_CASE("dsl diagnostics: channel_shuffle, chunk and dropout arguments, at the argument") {
  CHECK(errors("netdim 1\nx = input(6, 8, 8)\ny = channel_shuffle(x, groups=4)\nz = chunk(x, 3, 3)\n"
               "w = dropout(x, p=1.5)\nv = chunk(x, 4, 0)\n") ==
        "net.net:3:31: error: `groups` of channel_shuffle is 4, which does not divide the 6 channels: `x` is [6, 8, 8]\n"
        "  y = channel_shuffle(x, groups=4)\n"
        "                                ^\n"
        "  hint: channel_shuffle views the channels as (groups, channels / groups)\n"
        "net.net:4:17: error: `index` of chunk is 3, but there are only 3 chunks\n"
        "  z = chunk(x, 3, 3)\n"
        "                  ^\n"
        "  hint: the index counts from 0: 0 to 2\n"
        "net.net:5:18: error: `p` of dropout must be between 0 and 1, found 1.5\n"
        "  w = dropout(x, p=1.5)\n"
        "                   ^~~\n"
        "  hint: for example `p=0.5`\n"
        "net.net:6:14: error: `chunks` of chunk is 4, which does not divide the 6 channels: `x` is [6, 8, 8]\n"
        "  v = chunk(x, 4, 0)\n"
        "               ^\n"
        "  hint: chunk takes equal parts along the first (channel) axis\n");
}
