// The shared command-line rules (cli/options.hpp, issue 11 section 4): range
// validators that read the text before CLI11 converts it, parse()'s exit codes
// and one-line errors, and output paths checked before any work.
#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

#include "netdim/cli/options.hpp"

using namespace netdim;

namespace {

constexpr std::uint64_t kMax64 = std::numeric_limits<std::uint64_t>::max();

// Runs cli::parse on "prog ARGS...", capturing what it prints.
struct ParseRun {
  std::optional<int> code;
  std::string out, err;
};

ParseRun run(CLI::App& app, std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/prog");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  ParseRun r;
  r.code = cli::parse(app, static_cast<int>(argv.size()), argv.data());
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// The validator's verdict on one text: empty when accepted.
std::string verdict(CLI::Validator v, std::string text) { return v(text); }

// An app like train_fashion's.
struct Options {
  CLI::App app{"test program"};
  std::size_t batch = 64;
  std::uint64_t seed = 0;
  double lr = 0.05, momentum = 0.9;
  Options() {
    app.add_option("--batch", batch)->check(cli::integer_in(1, 60000));
    app.add_option("--seed", seed)->check(cli::integer_in(0, kMax64));
    app.add_option("--lr", lr)->check(cli::finite_in(0, 1e3, cli::Ends::OpenLow));
    app.add_option("--momentum", momentum)->check(cli::finite_in(0, 1, cli::Ends::OpenHigh));
  }
};

}  // namespace

TEST_SUITE_BEGIN("cli");

TEST_CASE("integer_in reads the text: no sign, no fraction, no exponent, nothing above the bound") {
  const CLI::Validator batch = cli::integer_in(1, 60000);
  for (const char* good : {"1", "64", "60000", "007"}) CHECK_MESSAGE(verdict(batch, good).empty(), good);
  for (const char* bad : {"0", "60001", "-1", "+1", "3.5", "1e3", "", " 7", "7 ", "0x10", "18446744073709551615",
                          "18446744073709551616", "99999999999999999999999", "nan"}) {
    CAPTURE(bad);
    CHECK(verdict(batch, bad).find("must be an integer in [1, 60000]") != std::string::npos);
  }
  const CLI::Validator seed = cli::integer_in(0, kMax64);
  CHECK(verdict(seed, "0").empty());
  CHECK(verdict(seed, "18446744073709551615").empty());
  CHECK(verdict(seed, "18446744073709551616").find("[0, 18446744073709551615]") != std::string::npos);
  CHECK_FALSE(verdict(seed, "-1").empty());
}

TEST_CASE("finite_in rejects nan, infinities, text and values outside the interval, naming it") {
  const CLI::Validator lr = cli::finite_in(0, 1e3, cli::Ends::OpenLow);
  for (const char* good : {"0.05", "1e3", "1000", "1e-300", "5"}) CHECK_MESSAGE(verdict(lr, good).empty(), good);
  for (const char* bad : {"0", "-0.1", "1000.5", "1e4", "nan", "NaN", "inf", "-inf", "infinity", "", "abc", "1,5",
                          "0.1x", " 1"}) {
    CAPTURE(bad);
    CHECK(verdict(lr, bad).find("must be a finite number in (0, 1000]") != std::string::npos);
  }
  const CLI::Validator momentum = cli::finite_in(0, 1, cli::Ends::OpenHigh);
  CHECK(verdict(momentum, "0").empty());
  CHECK(verdict(momentum, "0.99").empty());
  CHECK(verdict(momentum, "1").find("[0, 1)") != std::string::npos);
  CHECK_FALSE(verdict(momentum, "nan").empty());
  const CLI::Validator closed = cli::finite_in(-1, 1);
  CHECK(verdict(closed, "-1").empty());
  CHECK(verdict(closed, "1").empty());
  CHECK(verdict(closed, "1.0000001").find("[-1, 1]") != std::string::npos);
  CHECK(cli::finite_in(0, 1, cli::Ends::Open)("0").find("(0, 1)") != std::string::npos);
  // A hostile value is shown escaped and cut, so the message stays one line.
  const std::string shown = verdict(lr, "1\n\x1b[31m" + std::string(200, '9'));
  CHECK(shown.find('\n') == std::string::npos);
  CHECK(shown.size() < 150);
}

TEST_CASE("parse: good arguments go on with the values set") {
  Options o;
  const ParseRun r = run(o.app, {"--batch", "128", "--seed", "18446744073709551615", "--lr=1e-3", "--momentum", "0"});
  CHECK_FALSE(r.code);
  CHECK(r.err.empty());
  CHECK(o.batch == 128);
  CHECK(o.seed == kMax64);
  CHECK(o.lr == 1e-3);
  CHECK(o.momentum == 0);
}

TEST_CASE("parse: bad usage is exit 2 and one line naming the option and the range") {
  const auto check = [](std::vector<std::string> args, const std::string& cause) {
    CAPTURE(args.back());
    Options o;
    const ParseRun r = run(o.app, args);
    REQUIRE(r.code);
    CHECK(*r.code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.starts_with("prog: error: "));
    CHECK(r.err.ends_with(" (see prog --help)\n"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
    CHECK(r.err.find(cause) != std::string::npos);
  };
  check({"--batch", "18446744073709551615"}, "--batch: must be an integer in [1, 60000]");
  check({"--batch=-1"}, "--batch: must be an integer in [1, 60000], got '-1'");
  check({"--batch", "0"}, "--batch: must be an integer in [1, 60000]");
  check({"--seed=-1"}, "--seed: must be an integer in [0, 18446744073709551615], got '-1'");
  check({"--lr", "nan"}, "--lr: must be a finite number in (0, 1000], got 'nan'");
  check({"--lr", "inf"}, "--lr: must be a finite number in (0, 1000]");
  check({"--momentum", "nan"}, "--momentum: must be a finite number in [0, 1)");
  check({"--momentum", "1"}, "--momentum: must be a finite number in [0, 1)");
  check({"--no-such-option"}, "--no-such-option");
  check({"--batch"}, "--batch");
}

TEST_CASE("parse: --help prints the help and exits 0") {
  Options o;
  const ParseRun r = run(o.app, {"--help"});
  REQUIRE(r.code);
  CHECK(*r.code == 0);
  CHECK(r.out.find("--batch") != std::string::npos);
  CHECK(r.out.find("[1, 60000]") != std::string::npos);  // the range shows in the help too
  CHECK(r.err.empty());
}

TEST_CASE("require_writable: one line naming the option, the path and the cause") {
  const auto dir = std::filesystem::temp_directory_path() / ("netdim-cli-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  cli::require_writable(dir / "log.csv", "--csv");
  REQUIRE(::mkfifo((dir / "fifo").c_str(), 0600) == 0);
  const std::string fifo_message =
      "--csv: " + (dir / "fifo").string() + ": cannot write: a FIFO, not a regular file: refusing to replace it";
  CHECK_THROWS_WITH_AS(cli::require_writable(dir / "fifo", "--csv"), fifo_message.c_str(), std::runtime_error);
  const std::string missing_message = "--checkpoint: " + (dir / "missing" / "c.ckpt").string() + ": cannot write";
  CHECK_THROWS_WITH_AS(cli::require_writable(dir / "missing" / "c.ckpt", "--checkpoint"),
                       doctest::Contains(missing_message.c_str()), std::runtime_error);
  CHECK_THROWS_WITH_AS(cli::require_writable(dir, "--plot"), doctest::Contains("a directory, not a regular file"),
                       std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST_SUITE_END();
