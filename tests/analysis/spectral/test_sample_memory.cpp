// The memory estimate of an ESD sample: it grows with the points, the routes are
// priced apart, and the check refuses a run that would not fit with a one-line
// cause naming the flags that lower it.
#include <doctest/doctest.h>

#include "netdim/analysis/spectral/sample_memory.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/mlp.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;

TEST_CASE("sample memory: the estimate grows with points and scalar size; the check refuses what does not fit") {
  const nn::Architecture a = nn::mlp(100, {50, 50}, 10);
  EsdProtocol p;
  p.points = 20;
  const std::size_t base = sample_bytes(a, p);
  const std::size_t m = a.parameter_count();
  CHECK(base >= 2 * m * 8);  // at least the parameters and their draw
  p.points = 40;
  CHECK(sample_bytes(a, p) > base);
  const std::size_t float64_bytes = sample_bytes(a, p);
  p.precision = Precision::Float32;
  CHECK(sample_bytes(a, p) < float64_bytes);
  // More rows than parameters: J itself is priced (rows x m).
  EsdProtocol tall;
  tall.points = 2 * m;
  CHECK(sample_bytes(a, tall) >= tall.points * m * 8);
  // Columns: only a chunk of J at once, so far less than J for many points.
  EsdProtocol cols;
  cols.points = 2 * m;
  cols.columns = 100;
  CHECK(sample_bytes(a, cols) < sample_bytes(a, tall));

  EsdProtocol q;
  q.points = 20;
  q.threads = 2;
  q.samples = 10;
  const std::size_t one = sample_bytes(a, q) + kSampleThreadBytes;
  CHECK_NOTHROW(check_sample_memory(a, q, 3 * one));
  CHECK_THROWS_WITH_AS(check_sample_memory(a, q, one), doctest::Contains("lower --points, --threads or --columns"),
                       std::invalid_argument);
  q.threads = 1;
  CHECK_NOTHROW(check_sample_memory(a, q, 2 * one));
  CHECK_NOTHROW(check_sample_memory(a, q, std::nullopt));
  REQUIRE(support::available_memory().has_value());
  CHECK(*support::available_memory() > 0);
}
