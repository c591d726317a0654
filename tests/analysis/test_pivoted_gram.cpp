// The pivoted-Cholesky route to a Gram's singular values against the dsyevd route
// (gram_singular_values) and the SVD of J: on low-rank, full-rank and tiny-network
// Grams, and on what it must refuse.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "analysis/jacobian/structured_gram.hpp"
#include "analysis/spectral/effective_rank.hpp"
#include "analysis/spectral/esd.hpp"
#include "analysis/spectral/pivoted_gram.hpp"
#include "autodiff/linalg.hpp"
#include "nn/mlp.hpp"
#include "nn/model.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;
using netdim::testing::uniform;

TEST_CASE("pivoted Gram singular values: those of J, at low and at full rank") {
  // J = U V with U n x r, V r x cols: rank r, then the full-rank case r = n.
  for (const auto& [n, r, cols] : std::vector<std::array<std::size_t, 3>>{{60, 8, 40}, {30, 1, 5}, {6, 6, 10}}) {
    INFO("n " << n << ", rank " << r);
    const Tensor<double> j = matmul(uniform({n, r}, -1, 1, n + r), uniform({r, cols}, -1, 1, 7 * r));
    const std::vector<double> from_svd = singular_values(j);
    const std::vector<double> got = pivoted_gram_singular_values(matmul(j, j, false, true));
    REQUIRE(got.size() == n);
    for (std::size_t i = 0; i < r; ++i) CHECK(std::abs(got[i] - from_svd[i]) <= 1e-10 * from_svd[0]);
    for (std::size_t i = r; i < n; ++i) CHECK(got[i] == 0.0);
    for (std::size_t i = 1; i < n; ++i) CHECK(got[i] <= got[i - 1]);
    CHECK(effective_rank(got) == doctest::Approx(effective_rank(from_svd)).epsilon(1e-10));
  }
}

TEST_CASE("pivoted Gram singular values: the effective rank of tiny-network ESD samples as the dsyevd route's") {
  // 1-i-j-1 MLPs: Grams of numerical rank far below n, with singular values down to
  // the clamp, where the two routes may differ within the Gram route's resolution.
  const std::vector<std::array<std::size_t, 2>> sizes{{1, 5}, {4, 10}, {12, 40}, {40, 10}};
  const nn::Activation activations[] = {nn::Activation::Relu, nn::Activation::Tanh, nn::Activation::Sigmoid};
  for (const auto& [i, j] : sizes)
    for (nn::Activation act : activations) {
      const nn::Architecture a = nn::mlp(1, {i, j}, 1, {act});
      const nn::Model<double> model(a);
      EsdProtocol p;
      p.samples = 3;
      for (std::size_t k = 0; k < p.samples; ++k) {
        INFO("1-" << i << "-" << j << "-1, activation " << int(act) << ", sample " << k);
        const SamplePoint point = sample_point(a, p, k);
        const Tensor<double> g = structured_gram(model, point.theta, point.inputs, OutputReduction::first());
        const std::vector<double> dense = gram_singular_values(g);
        const std::vector<double> pivoted = pivoted_gram_singular_values(g);
        REQUIRE(pivoted.size() == dense.size());
        CHECK(std::abs(pivoted[0] - dense[0]) <= 1e-12 * dense[0]);
        CHECK(effective_rank(pivoted) == doctest::Approx(effective_rank(dense)).epsilon(1e-6));
        CHECK(std::count(pivoted.begin(), pivoted.end(), 0.0) > 0);  // low rank: something was dropped
      }
    }
}

TEST_CASE("pivoted Gram singular values: zero and empty matrices, and what it refuses") {
  const std::vector<double> zero = pivoted_gram_singular_values(zeros_of<double>({4, 4}));
  CHECK(zero == std::vector<double>(4, 0.0));
  CHECK(effective_rank(zero) == 0.0);
  CHECK(pivoted_gram_singular_values(zeros_of<double>({0, 0})).empty());
  CHECK_THROWS_WITH_AS(pivoted_gram_singular_values(zeros_of<double>({2, 3})),
                       doctest::Contains("expected a square matrix"), std::invalid_argument);
  Tensor<double> nan = zeros_of<double>({2, 2});
  nan(1, 0) = std::nan("");
  CHECK_THROWS_WITH_AS(pivoted_gram_singular_values(nan), doctest::Contains("non-finite"), std::invalid_argument);
  Tensor<double> asym = zeros_of<double>({2, 2});
  asym(0, 1) = 1;
  CHECK_THROWS_WITH_AS(pivoted_gram_singular_values(asym), doctest::Contains("not symmetric"), std::invalid_argument);
}
