// support::LineReader: lines as they are, every line bounded, NUL bytes refused, the last line
// without a newline still read (and reported as such).
#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "netdim/support/line_reader.hpp"

namespace fs = std::filesystem;
using netdim::support::InputError;
using netdim::support::LineReader;

namespace {
fs::path scratch_file(const std::string& name, const std::string& bytes) {
  const fs::path p = fs::temp_directory_path() / ("netdim-lines-" + std::to_string(::getpid()) + "-" + name);
  std::ofstream(p, std::ios::binary) << bytes;
  return p;
}
}  // namespace

TEST_CASE("support line_reader: lines, line numbers, empty lines, CR kept, last line unterminated") {
  const fs::path p = scratch_file("a", "one\n\nthree\r\nfour");
  LineReader in(p, 1000, 100);
  std::string line;
  REQUIRE(in.next(line));
  CHECK(line == "one");
  CHECK(in.line_number() == 1);
  REQUIRE(in.next(line));
  CHECK(line.empty());
  REQUIRE(in.next(line));
  CHECK(line == "three\r");
  CHECK_FALSE(in.last_line_unterminated());
  REQUIRE(in.next(line));
  CHECK(line == "four");
  CHECK(in.line_number() == 4);
  CHECK(in.last_line_unterminated());
  CHECK_FALSE(in.next(line));
  fs::remove(p);
}

TEST_CASE("support line_reader: a line longer than the bound is refused with its number, at any buffer position") {
  // The 300-byte line starts at several offsets, across the reader's 64 KiB buffer boundary.
  for (const std::size_t before : {0, 10, 65530, 65536}) {
    const std::string filler = before ? std::string(before - 1, 'a') + "\n" : std::string();
    const fs::path p = scratch_file("long", filler + std::string(300, 'b') + "\nok\n");
    LineReader in(p, 1u << 20, 299 + before);  // the filler line fits; so does 300 when before > 0
    std::string line;
    if (before) {
      REQUIRE(in.next(line));
      CHECK(line.size() == before - 1);
      REQUIRE(in.next(line));
      CHECK(line.size() == 300);
      REQUIRE(in.next(line));
      CHECK(line == "ok");
    } else {
      CHECK_THROWS_WITH_AS(in.next(line), doctest::Contains(":1: a line longer than 299 bytes"), InputError);
    }
    fs::remove(p);
  }
  // A long line after short ones, with a small bound: its own number.
  const fs::path p = scratch_file("second", "short\n" + std::string(100000, 'x') + "\n");
  LineReader in(p, 1u << 20, 1000);
  std::string line;
  REQUIRE(in.next(line));
  CHECK_THROWS_WITH_AS(in.next(line), doctest::Contains(":2: a line longer than 1000 bytes"), InputError);
  fs::remove(p);
}

TEST_CASE("support line_reader: /dev/zero and NUL bytes are not text") {
  CHECK_THROWS_WITH_AS(LineReader("/dev/zero", 1 << 20, 100), doctest::Contains("a character device"), InputError);
  const fs::path p = scratch_file("nul", std::string("a,b\n") + std::string(5000, '\0'));
  LineReader in(p, 1 << 20, 100);
  std::string line;
  REQUIRE(in.next(line));
  CHECK_THROWS_WITH_AS(in.next(line), doctest::Contains(":2: a NUL byte"), InputError);
  fs::remove(p);
}

TEST_CASE("support line_reader: split_fields keeps empty fields") {
  using netdim::support::split_fields;
  CHECK(split_fields("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(split_fields("", ',') == std::vector<std::string>{""});
  CHECK(split_fields("a,", ',') == std::vector<std::string>{"a", ""});
}
