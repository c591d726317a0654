// Hostile inputs to the language reader (issue 22): totals over the whole load
// (includes, included bytes, layer names), terminal escapes in paths, files that are
// not netdim sources, symlink loops, the nesting limit, and messages that quote the
// offending value.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "tests/dsl/dsl_helpers.hpp"

using namespace netdim;
using netdim::testing::errors;
using netdim::testing::TempDir;
namespace fs = std::filesystem;

namespace {

bool has(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

// Loads a file and times it: the totals must end a hostile load at once, also under ASan.
struct Timed {
  dsl::LoadResult result;
  std::string rendered;
  double seconds = 0;
};

Timed timed_load(const fs::path& file, const dsl::Limits& limits = {}) {
  const auto start = std::chrono::steady_clock::now();
  Timed t;
  t.result = dsl::load_file(file, limits);
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  t.rendered = dsl::render(t.result.diagnostics);
  return t;
}

constexpr double kFast = 2.0;  // seconds: generous for sanitizer builds; each takes milliseconds in release

}  // namespace

TEST_CASE("dsl hardening: 19,000 layers under 5,000-byte names end at the name total, at once") {
  const TempDir dir("netdim_dsl_names");
  // Pieces of 249 bytes (a name is at most 256), glued with dots: a 4,999-byte name.
  std::string name = std::string(249, 'a');
  for (int i = 1; i < 20; ++i) name += "." + std::string(249, 'a');
  const std::string body = "netdim 1\nblock b(x) {\n  return relu(x) as " + name +
                           "\n}\nx = input(2)\nh = x\nfor i in 1..19000 {\n  h = b(h)\n}\n";
  const fs::path file = dir.write("names.net", body);
  CHECK(body.size() < 6000);
  const Timed t = timed_load(file);
  CHECK_FALSE(t.result.ok());
  CHECK(has(t.rendered, file.string() + ":3:21: error: layer names add up to more than 1048576 bytes (this name is 5004 bytes"));
  CHECK(has(t.rendered, "hint: shorten the names given with `as`"));
  CHECK(has(t.rendered, "dsl::Limits::max_name_bytes"));
  CHECK(t.result.diagnostics.size() == 1);
  CHECK(t.seconds < kFast);
  // The issue's file, one 5,000-byte word: refused by the lexer before anything runs.
  const fs::path word = dir.write(
      "word.net", "netdim 1\nblock b(x) {\n  return relu(x) as " + std::string(5000, 'a') +
                      "\n}\nx = input(2)\nh = x\nfor i in 1..19000 {\n  h = b(h)\n}\n");
  const Timed w = timed_load(word);
  CHECK(has(w.rendered, word.string() + ":3:21: error: name is longer than 256 bytes"));
  CHECK(w.seconds < kFast);
  // Block instance prefixes count too: a block that makes no layer, called under a long name.
  std::string calls = "netdim 1\nblock k() {\n  return 1\n}\nx = input(2)\nfor i in 1..100000 {\n  n = k() as " + name + "{i}\n}\n";
  const Timed k = timed_load(dir.write("prefixes.net", calls));
  CHECK(has(k.rendered, "layer names add up to more than 1048576 bytes"));
  CHECK(k.seconds < kFast);
}

TEST_CASE("dsl hardening: the name total, exactly at the limit and one byte past it") {
  // input (5 bytes) + relu1 (5 bytes) = 10 bytes of names.
  const std::string text = "netdim 1\nx = input(2)\ny = relu(x)\n";
  dsl::Limits limits;
  limits.max_name_bytes = 10;
  CHECK(dsl::load_source(text, "t.net", limits).ok());
  limits.max_name_bytes = 9;
  const std::string e = dsl::render(dsl::load_source(text, "t.net", limits).diagnostics);
  CHECK(has(e, "t.net:3:5: error: layer names add up to more than 9 bytes (this name is 5 bytes, after 5)"));
}

TEST_CASE("dsl hardening: 31 files each including the next twice stop at the include total, at once") {
  const TempDir dir("netdim_dsl_includes");
  for (int i = 0; i < 30; ++i)
    dir.write("inc" + std::to_string(i) + ".net", "netdim 1\ninclude \"inc" + std::to_string(i + 1) +
                                                      ".net\"\ninclude \"inc" + std::to_string(i + 1) + ".net\"\n");
  dir.write("inc30.net", "netdim 1\n# the leaf\n");
  const Timed t = timed_load(dir / "inc0.net");
  CHECK_FALSE(t.result.ok());
  CHECK(has(t.rendered, (dir / "inc29.net").string() + ":2:9: error: more than 1000 includes in all\n"));
  CHECK(has(t.rendered, "dsl::Limits::max_includes"));
  CHECK(has(t.rendered, (dir / "inc0.net").string() + ":2:9: note: included from here"));
  CHECK(t.result.diagnostics.size() == 1);  // the load ends there, in every including file
  CHECK(t.seconds < kFast);
  // A diamond (top includes a and b, both include c) is 4 includes: within 4, not within 3.
  dir.write("c.net", "netdim 1\n");
  dir.write("a.net", "netdim 1\ninclude \"c.net\"\n");
  dir.write("b.net", "netdim 1\ninclude \"c.net\"\n");
  const fs::path top = dir.write("top.net", "netdim 1\ninclude \"a.net\"\ninclude \"b.net\"\nx = input(2)\n");
  dsl::Limits limits;
  limits.max_includes = 4;
  CHECK(dsl::load_file(top, limits).ok());
  limits.max_includes = 3;
  CHECK(has(dsl::render(dsl::load_file(top, limits).diagnostics),
            (dir / "b.net").string() + ":2:9: error: more than 3 includes in all"));
}

TEST_CASE("dsl hardening: one file including a 1 MB comment file 20,000 times stops at the included bytes") {
  const TempDir dir("netdim_dsl_include_bytes");
  std::string comments = "netdim 1\n";
  while (comments.size() < 1000000) comments += "#" + std::string(999, 'c') + "\n";
  dir.write("comment.net", comments);
  std::string many = "netdim 1\n";
  for (int i = 0; i < 20000; ++i) many += "include \"comment.net\"\n";
  many += "x = input(2)\n";
  const fs::path file = dir.write("many.net", many);
  const Timed t = timed_load(file);
  CHECK_FALSE(t.result.ok());
  // 8 MiB / 1,000,009 bytes: the ninth include (line 10) crosses it.
  CHECK(has(t.rendered, file.string() + ":10:9: error: included files add up to more than 8388608 bytes (`comment.net` is " +
                            std::to_string(comments.size()) + " bytes, after " + std::to_string(8 * comments.size()) + ")"));
  CHECK(has(t.rendered, "dsl::Limits::max_include_bytes"));
  CHECK(t.result.diagnostics.size() == 1);
  CHECK(t.seconds < kFast);
  // Exactly at the limit is accepted.
  dsl::Limits limits;
  limits.max_include_bytes = 2 * comments.size();
  const fs::path two = dir.write("two.net", "netdim 1\ninclude \"comment.net\"\ninclude \"comment.net\"\nx = input(2)\n");
  CHECK(dsl::load_file(two, limits).ok());
  limits.max_include_bytes -= 1;
  CHECK(has(dsl::render(dsl::load_file(two, limits).diagnostics), two.string() + ":3:9: error: included files add up"));
}

TEST_CASE("dsl hardening: control bytes of an include path are escaped in every message") {
  const TempDir dir("netdim_dsl_escapes");
  const std::string evil = "a\x1b[2J\x07\xe2\x80\xae" "b";  // ESC [2J (clear screen), BEL, RIGHT-TO-LEFT OVERRIDE
  const fs::path main = dir / "main.net";
  const std::string text = "netdim 1\ninclude \"" + evil + ".net\"\nx = input(2)\n";
  const std::string missing = dsl::render(dsl::load_source(text, main.string()).diagnostics);
  CHECK(has(missing, "cannot read " + dir.path().string() + "/a\\x1b[2J\\x07\\xe2\\x80\\xaeb.net: No such file or directory"));
  // The source line shows them as '?', one per character, the caret still under the path.
  CHECK(has(missing, "  include \"a?[2J??b.net\"\n          ^~~~~~~~~~~~~~\n"));
  for (const std::string raw : {"\x1b", "\x07", "\xe2\x80\xae"}) CHECK_FALSE(has(missing, raw));
  // An included file of that name, with an error of its own: its name leads the message.
  dir.write(evil + ".net", "netdim 1\ny = relu(q)\n");
  const std::string inner = dsl::render(dsl::load_source(text, main.string()).diagnostics);
  CHECK(has(inner, dir.path().string() + "/a\\x1b[2J\\x07\\xe2\\x80\\xaeb.net:2:10: error: unknown name `q`"));
  for (const std::string raw : {"\x1b", "\x07", "\xe2\x80\xae"}) CHECK_FALSE(has(inner, raw));
  // An include cycle through it: the chain in the hint is escaped as well.
  dir.write(evil + ".net", "netdim 1\ninclude \"main.net\"\n");
  dir.write("main.net", text);
  const std::string cycle = dsl::render(dsl::load_file(main).diagnostics);
  CHECK(has(cycle, "include cycle"));
  CHECK(has(cycle, "main.net -> a\\x1b[2J\\x07\\xe2\\x80\\xaeb.net -> main.net"));
  for (const std::string raw : {"\x1b", "\x07", "\xe2\x80\xae"}) CHECK_FALSE(has(cycle, raw));
  // The top file's own name, and valid UTF-8 that is no control (kept as it is).
  const std::string top = dsl::render(dsl::load_file(dir / ("caf\xc3\xa9" + evil)).diagnostics);
  CHECK(has(top, "caf\xc3\xa9" "a\\x1b[2J\\x07\\xe2\\x80\\xaeb: error: cannot read "));
  for (const std::string raw : {"\x1b", "\x07", "\xe2\x80\xae"}) CHECK_FALSE(has(top, raw));
  // A bidirectional override inside a source line (Trojan Source) is shown as '?'.
  const std::string trojan = errors("netdim 1\nx = input(2)\ny = relu(x) \xe2\x80\xae# }\xe2\x81\xa6\nz = relu(q)\n");
  CHECK_FALSE(has(trojan, "\xe2\x80\xae"));
  const std::string line = errors("netdim 1\nx = input(2) \xe2\x80\xae\n");
  CHECK(has(line, "test.net:2:14: error: unexpected byte 0xe2\n  x = input(2) ?\n               ^\n"));
}

TEST_CASE("dsl hardening: lines of a file that is not a netdim source are never shown") {
  const TempDir dir("netdim_dsl_secret");
  const std::string secret = "root:hunter2-SECRET:19000:0:99999:7:::";
  const fs::path shadow = dir.write("shadow", secret + "\ndaemon:*:19000:0:99999:7:::\n");
  // Included by absolute path.
  const std::string included =
      dsl::render(dsl::load_source("netdim 1\ninclude \"" + shadow.string() + "\"\nx = input(2)\n", (dir / "m.net").string())
                      .diagnostics);
  CHECK(has(included, shadow.string() + ":1:1: error: missing version line\n  hint: a .net file starts with `netdim 1`"));
  CHECK(has(included, "errors in the included file"));
  CHECK_FALSE(has(included, "hunter2"));
  CHECK_FALSE(has(included, "daemon"));
  // Given as the network itself, or to the formatter.
  const std::string direct = dsl::render(dsl::load_file(shadow).diagnostics);
  CHECK(direct == shadow.string() + ":1:1: error: missing version line\n"
                                    "  hint: a .net file starts with `netdim 1` (lines of other files are not shown)\n");
  const std::string formatted = dsl::render(dsl::format_file(shadow).diagnostics);
  CHECK_FALSE(has(formatted, "hunter2"));
  // Comments before the first line do not make a file a netdim source, nor does a word after.
  for (const std::string& text : {"# a comment\n" + secret + "\n", "\n\n  " + secret + "\nnetdim 1\n",
                                  "netdim " + secret + "\n", "netdim\n" + secret + "\n"}) {
    const std::string e = dsl::render(dsl::load_file(dir.write("f.net", text)).diagnostics);
    CHECK_MESSAGE(!has(e, "hunter2"), e);
    CHECK_MESSAGE(!has(e, "99999"), e);
  }
  // A netdim source shows its lines, comments and blank lines before the version line allowed.
  CHECK(has(errors("# header\n\nnetdim 1\nx = input(2)\ny = relu(q)\n"), "  y = relu(q)\n"));
  CHECK(has(errors("netdim 2\n"), "test.net:1:8: error: unsupported language version 2\n  netdim 2\n"));
}

TEST_CASE("dsl hardening: a symlink loop is too many levels of symbolic links, not a missing file") {
  const TempDir dir("netdim_dsl_loop");
  fs::create_symlink("b.net", dir / "a.net");
  fs::create_symlink("a.net", dir / "b.net");
  fs::create_symlink("self.net", dir / "self.net");
  const std::string eloop = std::strerror(ELOOP);  // "Too many levels of symbolic links"
  CHECK(dsl::render(dsl::load_file(dir / "a.net").diagnostics) ==
        (dir / "a.net").string() + ": error: cannot read " + (dir / "a.net").string() + ": " + eloop + "\n");
  CHECK(has(dsl::render(dsl::load_file(dir / "self.net").diagnostics), eloop));
  CHECK(has(dsl::render(dsl::format_file(dir / "self.net").diagnostics), eloop));
  const fs::path main = dir.write("main.net", "netdim 1\ninclude \"a.net\"\nx = input(2)\n");
  const std::string included = dsl::render(dsl::load_file(main).diagnostics);
  CHECK(has(included, main.string() + ":2:9: error: cannot read " + (dir / "a.net").string() + ": " + eloop));
  CHECK_FALSE(has(included, "No such file"));
  // A dangling symlink is still a missing file, and a FIFO is refused without blocking.
  fs::create_symlink("nowhere.net", dir / "dangling.net");
  CHECK(has(dsl::render(dsl::load_file(dir / "dangling.net").diagnostics), std::strerror(ENOENT)));
  REQUIRE(::mkfifo((dir / "fifo.net").c_str(), 0600) == 0);
  const Timed fifo = timed_load(dir.write("reads_fifo.net", "netdim 1\ninclude \"fifo.net\"\nx = input(2)\n"));
  CHECK(has(fifo.rendered, "fifo.net: not a regular file"));
  CHECK(fifo.seconds < kFast);
}

TEST_CASE("dsl hardening: the nesting limit counts each parenthesis once, as the docs say") {
  const auto parens = [](int n) { return std::string(static_cast<std::size_t>(n), '(') + "1" + std::string(static_cast<std::size_t>(n), ')'); };
  const auto net = [](const std::string& expr) { return "netdim 1\nn = " + expr + "\nx = input(n)\n"; };
  CHECK(netdim::testing::load(net(parens(32))).ok());
  CHECK(netdim::testing::load(net(parens(64))).ok());
  const std::string e65 = errors(net(parens(65)));
  CHECK(has(e65, "test.net:2:69: error: parentheses, calls and braces are nested deeper than 64 levels\n"));
  CHECK(has(e65, "each `(` and `{` counts one level (dsl::Limits::max_nesting)"));
  // Calls count their parenthesis once too: 64 nested calls, and a tuple inside 63 parentheses.
  std::string calls = "x";
  for (int i = 0; i < 64; ++i) calls = "relu(" + calls + ")";
  CHECK(netdim::testing::load("netdim 1\nx = input(2)\ny = " + calls + "\n").ok());
  CHECK(has(errors("netdim 1\nx = input(2)\ny = relu(" + calls + ")\n"), "nested deeper than 64 levels"));
  CHECK(netdim::testing::load("netdim 1\nx = input(3, 8, 8)\nk = " + std::string(63, '(') + "(1, 1)" +
                              std::string(63, ')') + "\ny = conv2d(x, 2, kernel=k)\n")
            .ok());
  // Unary minus and `^` are not nesting: 200 of them in a row are one statement's terms.
  CHECK(netdim::testing::load(net("2 - " + std::string(200, '-') + "1")).ok());
  CHECK(netdim::testing::load(net("1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1^1+1")).ok());
  CHECK(has(netdim::testing::describe(net("-2^2 + 10")), "[6]"));      // -(2^2) + 10
  CHECK(has(netdim::testing::describe(net("2^3^2 - 500")), "[12]"));   // 2^(3^2) - 500
  CHECK(has(netdim::testing::describe(net("2^--1 + 1")), "[3]"));       // 2^(-(-1)) + 1
  CHECK(has(errors(net("2^-1^2")), "negative exponent -1"));         // 2^(-(1^2))
  // Block calls nest at run time: 64 of them inside each other, not 65.
  std::string blocks = "netdim 1\nblock b0(x) {\n  return relu(x)\n}\n";
  for (int i = 1; i <= 64; ++i)
    blocks += "block b" + std::to_string(i) + "(x) {\n  return b" + std::to_string(i - 1) + "(x)\n}\n";
  CHECK(netdim::testing::load(blocks + "x = input(2)\ny = b63(x)\n").ok());
  CHECK(has(errors(blocks + "x = input(2)\ny = b64(x)\n"), "block calls and loops are nested deeper than 64 levels"));
}

TEST_CASE("dsl hardening: initialiser and attribute messages quote the offending value") {
  const std::string dense = "netdim 1\nx = input(5)\n";
  CHECK(has(errors(dense + "y = dense(x, 2, weight_init=normal(-1))\n"),
            "test.net:3:36: error: `normal` needs a positive scale, found -1\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, weight_init=normal(-0.5))\n"), "`normal` needs a positive scale, found -0.5\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, weight_init=uniform(0))\n"), "`uniform` needs a positive scale, found 0\n"));
  CHECK(has(errors(dense + "s = -3\ny = dense(x, 2, weight_init=normal(s))\n"), "positive scale, found `s` = -3\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, weight_init=normal(relu))\n"), "`normal` takes a number, found the word `relu`"));
  CHECK(has(errors(dense + "y = dense(x, 2, weight_init=3)\n"), "`weight_init` of dense must be an initializer, found 3\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, bias_init=(1, 2))\n"), "must be an initializer, found (1, 2)\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, bias=1)\n"), "`bias` of dense must be true or false, found 1\n"));
  CHECK(has(errors(dense + "y = dense(x, 2, activation=4)\n"), "must be an activation, found 4\n"));
  CHECK(has(errors(dense + "y = leaky_relu(x, slope=x)\n"), "`slope` of leaky_relu must be a number, found a layer (`x`)\n"));
  CHECK(has(errors(dense + "y = shortcut(x, x, adapt=2)\n"), "`adapt` of shortcut must be identity, projection or sample, found 2\n"));
  CHECK(has(errors("netdim 1\nshortcuts add_inputs adapt=proj\nx = input(2)\n"),
            "adapt must be identity, projection or sample, found the word `proj`"));
  const std::string img = "netdim 1\nx = input(3, 8, 8)\n";
  CHECK(has(errors(img + "y = dropout(x, p=1.5)\n"), "`p` of dropout must be between 0 and 1, found 1.5\n"));
  CHECK(has(errors(img + "y = dropout(x, p=-2)\n"), "`p` of dropout must be between 0 and 1, found -2\n"));
  CHECK(has(errors(img + "y = conv2d(x, 2, kernel=(1, 2, 3))\n"), "a pair `(height, width)`, found (1, 2, 3)\n"));
  CHECK(has(errors(img + "y = max_pool2d(x, 2, ceil_mode=1)\n"), "must be true or false, found 1\n"));
  CHECK(has(errors(img + "k = 0\ny = conv2d(x, 2, kernel=k)\n"), "`kernel` of conv2d must be at least 1, found `k` = 0\n"));
}
