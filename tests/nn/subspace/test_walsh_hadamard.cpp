// The fast Walsh-Hadamard transform against the matrix H[i][j] = (-1)^popcount(i & j),
// at sizes below, at and above the cache tile (2048), in double and float.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <vector>

#include "netdim/nn/subspace/walsh_hadamard.hpp"
#include "tests/helpers.hpp"

using namespace netdim;

namespace {

template <class T>
double worst_error(std::size_t n, std::uint64_t seed) {
  const Tensor<T> x = testing::uniform<T>({n}, -1, 1, seed);
  std::vector<T> v(x.begin(), x.end());
  nn::subspace::walsh_hadamard(std::span<T>(v));
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double s = 0;
    for (std::size_t j = 0; j < n; ++j) s += (std::popcount(i & j) % 2 ? -1.0 : 1.0) * static_cast<double>(x(j));
    worst = std::max(worst, std::abs(s - static_cast<double>(v[i])) / std::sqrt(double(n)));
  }
  return worst;
}

}  // namespace

TEST_CASE("walsh-hadamard transform equals the Hadamard matrix product") {
  for (std::size_t n : {1, 2, 4, 8, 16, 64, 1024, 2048, 4096, 8192}) {
    INFO("n = " << n);
    CHECK(worst_error<double>(n, n) < 1e-13);
    CHECK(worst_error<float>(n, n + 1) < 1e-5);
  }
}

TEST_CASE("walsh-hadamard transform twice is n times the identity") {
  const std::size_t n = 1 << 15;
  const Tensor<double> x = testing::uniform<double>({n}, -1, 1, 3);
  std::vector<double> v(x.begin(), x.end());
  nn::subspace::walsh_hadamard(std::span<double>(v));
  nn::subspace::walsh_hadamard(std::span<double>(v));
  double worst = 0;
  for (std::size_t i = 0; i < n; ++i) worst = std::max(worst, std::abs(v[i] / double(n) - x(i)));
  CHECK(worst < 1e-12);
}

TEST_CASE("walsh-hadamard transform refuses a length that is not a power of two") {
  std::vector<double> v(12), empty;
  CHECK_THROWS_AS(nn::subspace::walsh_hadamard(std::span<double>(v)), std::invalid_argument);
  CHECK_THROWS_AS(nn::subspace::walsh_hadamard(std::span<double>(empty)), std::invalid_argument);
}
