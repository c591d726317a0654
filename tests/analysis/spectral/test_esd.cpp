// The ESD sampler (Algorithm 1): each sample against an independent computation at
// the same draw (the per-example reference Jacobian and its SVD), every route to the
// singular values against the others, the statistics against hand values, the
// result identical at 1 and 2 threads, stopping rules, and bad protocols.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/analysis/spectral/sample_summary.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/model.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::analysis;

namespace {

nn::Architecture small_mlp(nn::Activation a = nn::Activation::Tanh, std::size_t outputs = 2) {
  return nn::mlp(3, {4, 3}, outputs, {a, nn::Shortcuts::None, nn::Adapt::Identity, true});
}

// The SD at a sample's draw computed independently: J by one reverse sweep per row,
// then its SVD (`svd`) or the eigenvalues of J J^T formed explicitly.
double reference_sd(const nn::Architecture& a, const EsdProtocol& p, std::size_t index, OutputReduction reduce,
                    bool svd = false) {
  const SamplePoint point = sample_point(a, p, index);
  const nn::Model<double> model(a);
  const Tensor<double> j = reference_jacobian(model, point.theta, point.inputs, reduce);
  return effective_rank(svd ? singular_values(j) : gram_singular_values(gram(j)));
}

}  // namespace

TEST_CASE("sample summary: mean, standard error and bootstrap interval against hand values") {
  const std::vector<double> v{1, 2, 3, 4};
  const SampleSummary s = summarize_samples(v, 7);
  CHECK(s.count == 4);
  CHECK(s.mean == doctest::Approx(2.5));
  CHECK(s.stderr_of_mean == doctest::Approx(std::sqrt(5.0 / 3.0) / 2.0));  // s = sqrt(5/3), / sqrt(4)
  CHECK(s.min == 1);
  CHECK(s.max == 4);
  CHECK(s.ci95_low < s.mean);
  CHECK(s.ci95_high > s.mean);
  CHECK(s.ci95_low >= 1);
  CHECK(s.ci95_high <= 4);
  // The percentile interval of the mean is about mean +- 1.96 sigma/sqrt(n) (sigma the population sd).
  CHECK(s.ci95_low == doctest::Approx(2.5 - 1.96 * std::sqrt(1.25 / 4)).epsilon(0.15));
  const SampleSummary again = summarize_samples(v, 7);
  CHECK(again.ci95_low == s.ci95_low);
  CHECK(again.ci95_high == s.ci95_high);

  const SampleSummary one = summarize_samples(std::vector<double>{3.5});
  CHECK(std::isnan(one.stderr_of_mean));
  CHECK(one.ci95_low == 3.5);
  CHECK(one.ci95_high == 3.5);
  CHECK_THROWS_AS(summarize_samples(std::vector<double>{}), std::invalid_argument);
  CHECK_THROWS_AS(summarize_samples(std::vector<double>{1, NAN}), std::invalid_argument);
}

TEST_CASE("esd sample: the structured-Gram SD equals the SVD of the reference Jacobian at the same draw") {
  for (nn::Activation act : {nn::Activation::Tanh, nn::Activation::Relu, nn::Activation::Sigmoid}) {
    const nn::Architecture a = small_mlp(act);
    EsdProtocol p;
    p.seed = 11;
    for (const auto& [reduce, single] :
         std::vector<std::pair<SpanningReduction, OutputReduction>>{
             {{OutputReduction::first(), false}, OutputReduction::first()},
             {{OutputReduction::sum_squares(), false}, OutputReduction::sum_squares()},
             {{OutputReduction::per_output(1), false}, OutputReduction::per_output(1)}}) {
      p.reduce = reduce;
      for (std::size_t k : {0, 3}) {
        const SpanningSample s = spanning_sample(a, p, k);
        CHECK(s.rows == a.parameter_count());  // n = min(m, 500) = m
        // The two Grams differ by rounding, and singular values near the cut-off with them: 2e-9 seen.
        CHECK(s.sd == doctest::Approx(reference_sd(a, p, k, single)).epsilon(1e-8));
        // The SVD resolves singular values the Gram's squares cannot (esd.hpp): close, not equal.
        CHECK(s.sd == doctest::Approx(reference_sd(a, p, k, single, true)).epsilon(1e-5));
        CHECK(s.sd >= 1.0);
      }
    }
  }
}

TEST_CASE("esd sample: n > m takes the SVD of J, columns K a subset, stack k rows per input; all against the reference") {
  const nn::Architecture a = small_mlp();
  const std::size_t m = a.parameter_count();
  EsdProtocol p;
  p.points = m + 7;  // more rows than columns: the SVD route
  SpanningSample s = spanning_sample(a, p, 2);
  CHECK(s.rows == m + 7);
  CHECK(s.singular_values.size() == m);
  CHECK(s.sd == doctest::Approx(reference_sd(a, p, 2, OutputReduction::first(), true)).epsilon(1e-9));

  p.points = 10;
  p.reduce = {OutputReduction::stack(), false};
  s = spanning_sample(a, p, 1);
  CHECK(s.rows == 20);
  CHECK(s.sd == doctest::Approx(reference_sd(a, p, 1, OutputReduction::stack())).epsilon(1e-9));

  // All m columns in canonical order: the J route must give the Gram route's value.
  p.reduce = {};
  const double all = spanning_sample(a, p, 4).sd;
  p.columns = m;
  CHECK(spanning_sample(a, p, 4).sd == doctest::Approx(all).epsilon(1e-9));
  // Fewer columns than rows, and more: an SD of a K-column matrix is at most K.
  p.columns = 5;
  s = spanning_sample(a, p, 4);
  CHECK(s.columns == 5);
  CHECK(s.singular_values.size() == 5);
  CHECK(s.sd <= 5.0 + 1e-12);
  p.columns = 15;
  CHECK(spanning_sample(a, p, 4).singular_values.size() == 10);
}

TEST_CASE("esd sample: mean averages the per-output SDs, float32 agrees with float64") {
  const nn::Architecture a = small_mlp(nn::Activation::Sigmoid, 3);
  EsdProtocol p;
  p.seed = 5;
  p.reduce = SpanningReduction::mean();
  const double mean = spanning_sample(a, p, 0).sd;
  double expected = 0;
  for (std::size_t c = 0; c < 3; ++c) expected += reference_sd(a, p, 0, OutputReduction::per_output(c));
  CHECK(mean == doctest::Approx(expected / 3).epsilon(1e-9));

  p.reduce = {};
  const double f64 = spanning_sample(a, p, 0).sd;
  p.precision = Precision::Float32;
  CHECK(spanning_sample(a, p, 0).sd == doctest::Approx(f64).epsilon(2e-2));
}

TEST_CASE("esd sample: the input distributions and --init draw what they say") {
  const nn::Architecture a = small_mlp();
  EsdProtocol p;
  p.inputs = InputDistribution::Sign;
  SamplePoint pt = sample_point(a, p, 0);
  for (double v : pt.inputs) CHECK(std::abs(v) == 1.0);
  p.inputs = InputDistribution::Uniform;
  pt = sample_point(a, p, 0);
  for (double v : pt.inputs) CHECK(std::abs(v) <= 1.0);
  // PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)); the first layer has fan_in 3.
  for (std::size_t i = 0; i < 12; ++i) CHECK(std::abs(pt.theta(i)) <= 1 / std::sqrt(3.0));

  p.init = nn::Initializer::normal(5.0);
  p.points = 400;
  pt = sample_point(a, p, 0);
  double ss = 0;
  for (double v : pt.theta) ss += v * v;
  CHECK(std::sqrt(ss / static_cast<double>(pt.theta.size())) == doctest::Approx(5.0).epsilon(0.3));

  // Real data: n distinct rows of it, as given.
  p = {};
  p.inputs = InputDistribution::Data;
  Tensor<double> data = Tensor<double>::from_shape({40, 3});
  for (std::size_t i = 0; i < data.size(); ++i) data.data()[i] = static_cast<double>(i);
  p.data = data;
  p.points = 40;
  pt = sample_point(a, p, 3);
  std::vector<int> seen(40, 0);
  for (std::size_t i = 0; i < 40; ++i) {
    const auto row = static_cast<std::size_t>(pt.inputs(i, 0)) / 3;
    CHECK(pt.inputs(i, 1) == pt.inputs(i, 0) + 1);
    ++seen[row];
  }
  for (int c : seen) CHECK(c == 1);
}

TEST_CASE("esd: the same seed gives bitwise the same samples at 1 and 2 threads; seeds differ") {
  const nn::Architecture a = small_mlp(nn::Activation::Relu);
  EsdProtocol p;
  p.samples = 9;
  p.seed = 3;
  p.threads = 1;
  const EsdResult one = expected_spanning_dimension(a, p);
  p.threads = 2;
  const EsdResult two = expected_spanning_dimension(a, p);
  REQUIRE(one.sd.size() == 9);
  CHECK(one.sd == two.sd);
  CHECK(one.summary.mean == two.summary.mean);
  CHECK(one.summary.ci95_low == two.summary.ci95_low);
  p.threads = 1;
  for (std::size_t k = 0; k < 9; ++k) CHECK(one.sd[k] == spanning_sample(a, p, k).sd);
  double mean = 0;
  for (double v : one.sd) mean += v / 9;
  CHECK(one.summary.mean == doctest::Approx(mean));
  p.seed = 4;
  CHECK(expected_spanning_dimension(a, p).sd != one.sd);
}

TEST_CASE("esd: --until-stderr stops at the same prefix at any thread count; a stop request keeps the finished samples") {
  const nn::Architecture a = small_mlp(nn::Activation::Relu);
  EsdProtocol p;
  p.samples = 200;
  p.until_stderr = 0.2;
  p.threads = 1;
  const EsdResult one = expected_spanning_dimension(a, p);
  p.threads = 2;
  const EsdResult two = expected_spanning_dimension(a, p);
  CHECK(one.reached_stderr);
  CHECK(one.sd == two.sd);
  CHECK(one.sd.size() >= kMinSamplesForStderr);
  CHECK(one.summary.stderr_of_mean <= 0.2);
  std::vector<double> shorter(one.sd.begin(), one.sd.end() - 1);
  CHECK((shorter.size() < kMinSamplesForStderr || standard_error(shorter) > 0.2));

  // Samples of a wider network, and many: two threads cannot finish them all before the
  // calling thread sees the third one and stops the loop, even on a loaded machine.
  const nn::Architecture wide = nn::mlp(3, {24, 24}, 2, {nn::Activation::Relu, nn::Shortcuts::None, nn::Adapt::Identity, true});
  for (std::size_t threads : {1, 2}) {
    p = {};
    p.samples = 3000;
    p.threads = threads;
    std::size_t calls = 0;
    EsdCallbacks cb;
    cb.progress = [&](const std::vector<double>&) { ++calls; };
    cb.stop_requested = [&] { return calls >= 3; };
    const EsdResult stopped = expected_spanning_dimension(wide, p, cb);
    p.threads = 1;
    CHECK(stopped.interrupted);
    CHECK(stopped.sd.size() >= 3);
    CHECK(stopped.sd.size() < 3000);
    for (std::size_t k = 0; k < stopped.sd.size(); ++k) CHECK(stopped.sd[k] == spanning_sample(wide, p, k).sd);
  }
}

TEST_CASE("esd: bad protocols are refused with one line each") {
  const nn::Architecture a = small_mlp();
  auto refuses = [&](EsdProtocol p, const std::string& part) {
    try {
      expected_spanning_dimension(a, p);
      FAIL("accepted a bad protocol: " << part);
    } catch (const std::invalid_argument& e) {
      CHECK_MESSAGE(std::string(e.what()).find(part) != std::string::npos, e.what());
      CHECK(std::string(e.what()).find('\n') == std::string::npos);
    }
  };
  EsdProtocol p;
  p.samples = 0;
  refuses(p, "samples must be at least 1");
  p = {};
  p.columns = 1000;
  refuses(p, "more than the network's");
  p = {};
  p.reduce = {OutputReduction::per_output(2), false};
  refuses(p, "past the network's 2 outputs");
  p = {};
  p.inputs = InputDistribution::Data;
  refuses(p, "none were given");
  p.data = Tensor<double>::from_shape({10, 4});
  refuses(p, "expected [N, 3]");
  p.data = Tensor<double>::from_shape({10, 3});
  refuses(p, "fewer than the");
  p = {};
  p.until_stderr = -1;
  refuses(p, "finite number >= 0");
  nn::Architecture empty;
  const auto in = empty.input(Shape{3});
  empty.activation(in, nn::Activation::Tanh);
  EsdProtocol q;
  CHECK_THROWS_WITH_AS(expected_spanning_dimension(empty, q), doctest::Contains("no parameters"), std::invalid_argument);
}

TEST_CASE("ESD at given parameters: every sample at them, only the inputs drawn; each SD the reference's") {
  const nn::Architecture a = small_mlp();
  EsdProtocol p;
  p.samples = 4;
  p.points = 5;
  p.seed = 9;
  const nn::Model<double> trained(a, 77);
  p.parameters = trained.parameters();
  p.parameters_source = "trained.npy";
  validate_protocol(a, p);
  const SamplePoint s0 = sample_point(a, p, 0), s1 = sample_point(a, p, 1);
  CHECK(testing::max_abs_diff(s0.theta, trained.parameters()) == 0);
  CHECK(testing::max_abs_diff(s1.theta, trained.parameters()) == 0);
  CHECK(testing::max_abs_diff_quiet(s0.inputs, s1.inputs) > 0);
  const EsdResult r = expected_spanning_dimension(a, p);
  REQUIRE(r.sd.size() == 4);
  for (std::size_t k = 0; k < 4; ++k) CHECK(r.sd[k] == doctest::Approx(reference_sd(a, p, k, p.reduce.single)).epsilon(1e-10));
  // Drawn parameters give other SDs.
  EsdProtocol drawn = p;
  drawn.parameters.reset();
  CHECK(expected_spanning_dimension(a, drawn).sd != r.sd);
  // Refused: the wrong length, or an initialiser besides.
  EsdProtocol wrong = p;
  wrong.parameters = Tensor<double>::from_shape({3});
  CHECK_THROWS_WITH_AS(validate_protocol(a, wrong), doctest::Contains("the given parameters have shape [3]"), std::invalid_argument);
  EsdProtocol both = p;
  both.init = nn::Initializer::he();
  CHECK_THROWS_AS(validate_protocol(a, both), std::invalid_argument);
}
