// The zoo's errors table: rows by name, comments and CRLF, and one-line refusals of what is not
// a plain percentage (hex, spaces, nan: std::stod took them all), of repeats and of bad files.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "netdim/analysis/experiments/published_errors.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/input_file.hpp"

using netdim::analysis::read_published_errors;
namespace fs = std::filesystem;

namespace {
fs::path table(const std::string& text) {
  const fs::path p = fs::temp_directory_path() / ("netdim-errors-" + std::to_string(::getpid()) + ".csv");
  std::ofstream(p, std::ios::binary) << text;
  return p;
}
}  // namespace

TEST_CASE("published errors: rows by name, comment lines, CRLF line ends") {
  const fs::path p = table("# source\r\nname,parameters,top1_error,top5_error\r\nalexnet,61100840,43.45,20.91\r\n");
  const auto t = read_published_errors(p);
  REQUIRE(t.size() == 1);
  CHECK(t.at("alexnet").top1 == 43.45);
  CHECK(t.at("alexnet").top5 == 20.91);
  fs::remove(p);
}

TEST_CASE("published errors: what is not a plain percentage in [0, 100] is refused with FILE:LINE") {
  for (const char* bad : {"0x1p3", " 5", "nan", "inf", "101", "-1", "5%", ""}) {
    const fs::path p = table(std::string("name,top1_error,top5_error\nnet,") + bad + ",3\n");
    CAPTURE(bad);
    CHECK_THROWS_WITH_AS(read_published_errors(p), doctest::Contains(":2: top1_error '"), std::invalid_argument);
    fs::remove(p);
  }
  const fs::path twice = table("name,top1_error,top5_error\nnet,1,2\nnet,1,2\n");
  CHECK_THROWS_WITH_AS(read_published_errors(twice), doctest::Contains(":3: 'net' appears twice"), std::invalid_argument);
  fs::remove(twice);
  const fs::path empty = table("# nothing\n");
  CHECK_THROWS_AS(read_published_errors(empty), netdim::data::DataError);
  fs::remove(empty);
  CHECK_THROWS_WITH_AS(read_published_errors("/dev/zero"), doctest::Contains("a character device"),
                       netdim::support::InputError);
}
