// support::InputFile: regular files only, never a block on a FIFO, the size known and bounded
// first, causes a user understands (a symlink loop is not "no such file").
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "netdim/support/input_file.hpp"

namespace fs = std::filesystem;
using netdim::support::InputError;
using netdim::support::InputFile;

namespace {
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("netdim-support-test-" + std::to_string(::getpid()));
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  ~Scratch() {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
};

std::string cause_of(const fs::path& p, std::uintmax_t max_bytes = 1 << 20) {
  try {
    InputFile f(p, max_bytes);
  } catch (const InputError& e) {
    CHECK(std::string(e.what()) == p.string() + ": " + e.cause());
    return e.cause();
  }
  return "";
}
}  // namespace

TEST_CASE("support input_file: a regular file opens, with its size and identity") {
  Scratch s;
  const fs::path p = s.dir / "a.txt";
  std::ofstream(p) << "hello\n";
  InputFile f(p, 100);
  CHECK(f.size() == 6);
  CHECK(f.descriptor() >= 0);
  netdim::support::FileIdentity id;
  REQUIRE(netdim::support::identity_of(p, id));
  CHECK(id == f.identity());
  CHECK(netdim::support::read_input(p, 100) == "hello\n");
}

TEST_CASE("support input_file: a FIFO is refused at once, never read") {
  Scratch s;
  const fs::path fifo = s.dir / "pipe.npy";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  const auto start = std::chrono::steady_clock::now();
  CHECK(cause_of(fifo) == "a FIFO, not a regular file");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("support input_file: directories, devices, missing files, symlink loops and sizes") {
  Scratch s;
  CHECK(cause_of(s.dir) == "a directory, not a file");
  CHECK(cause_of("/dev/zero") == "a character device, not a regular file");
  CHECK(cause_of(s.dir / "missing") == "no such file");
  CHECK(cause_of("") == "no file name given");
  fs::create_symlink(s.dir / "loop_b", s.dir / "loop_a");
  fs::create_symlink(s.dir / "loop_a", s.dir / "loop_b");
  CHECK(cause_of(s.dir / "loop_a") == "too many levels of symbolic links");
  fs::create_symlink(s.dir / "nowhere", s.dir / "dangling");
  CHECK(cause_of(s.dir / "dangling") == "no such file");
  // A sparse file of 50 GB is refused by its size, before a byte is read.
  const fs::path big = s.dir / "big.csv";
  { std::ofstream touch(big); }
  fs::resize_file(big, std::uintmax_t(50) << 30);
  const auto start = std::chrono::steady_clock::now();
  CHECK(cause_of(big, 1 << 20).find("larger than the limit of 1048576 bytes") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
  CHECK_THROWS_AS(netdim::support::read_input(big, 1 << 20), InputError);
}

TEST_CASE("support input_file: identity sees through symlinks and spellings") {
  Scratch s;
  const fs::path p = s.dir / "a.net";
  std::ofstream(p) << "x";
  fs::create_symlink(p, s.dir / "link.net");
  netdim::support::FileIdentity a, b, c;
  REQUIRE(netdim::support::identity_of(p, a));
  REQUIRE(netdim::support::identity_of(s.dir / "link.net", b));
  REQUIRE(netdim::support::identity_of(s.dir / "." / "a.net", c));
  CHECK(a == b);
  CHECK(a == c);
  CHECK_FALSE(netdim::support::identity_of(s.dir / "none", a));
}
