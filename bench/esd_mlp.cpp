// Benchmark esd_mlp, netdim side (PyTorch twin: bench/esd_mlp.py; run both with `bench/run esd_mlp`).
//
// One spanning-dimension (SD) sample of seed 003's Algorithm 1 for the 784-200-200-10
// tanh MLP, float64: draw the weights (PyTorch's default Linear initialisation), draw
// n = 500 inputs uniform in [-1, 1], form the Gram matrix J J^T of the sum_squares
// Jacobian (500 x 199,210), take its eigenvalues and the effective rank of the
// singular values. netdim never forms J: the structured Gram builds J J^T from each
// dense layer's inputs A and output cotangents D as (A A^T + 1) o (D D^T), from one
// batched forward and one reverse sweep (analysis/jacobian/structured_gram.hpp).
//
// Both sides draw the same numbers (splitmix64 streams), so they compute the same SD;
// check_gram_trace (the squared Frobenius norm of J) and check_sd let bench/run
// verify that. Before timing, the structured Gram of the first 16 points is checked
// against J J^T of the per-example reference Jacobian. peak_rss_mb is this
// process's peak memory (J alone would be 800 MB).
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "analysis/jacobian/gram.hpp"
#include "analysis/jacobian/structured_gram.hpp"
#include "analysis/spectral/effective_rank.hpp"
#include "bench/bench_common.hpp"
#include "nn/mlp.hpp"

using netdim::Shape;
using Tensor = netdim::Tensor<double>;
namespace bench = netdim::bench;
namespace analysis = netdim::analysis;
namespace nn = netdim::nn;

namespace {

constexpr const char* kProgram = "bench_esd_mlp";
constexpr std::size_t kPoints = 500;
constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::uint64_t kSeedTheta = 1, kSeedInput = 2;

struct Sample {
  double sd = 0, trace = 0;
};

Tensor draw_inputs(std::size_t n) {
  Tensor x = Tensor::from_shape({n, kWidths[0]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = 2 * bench::uniform_at(kSeedInput, i) - 1;
  return x;
}

// One SD sample: draw, structured Gram, eigenvalues, effective rank.
Sample sample(nn::Model<double>& model) {
  Tensor theta = Tensor::from_shape({model.parameter_count()});
  bench::draw_mlp_parameters(kWidths, kSeedTheta, theta.data());
  model.set_parameters(std::move(theta));
  const Tensor x = draw_inputs(kPoints);
  const Tensor g = analysis::structured_gram(model, x, analysis::OutputReduction::sum_squares());
  Sample s;
  for (std::size_t i = 0; i < kPoints; ++i) s.trace += g(i, i);
  s.sd = analysis::effective_rank(analysis::gram_singular_values(g));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  nn::Model<double> model(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3],
                                  {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}));
  std::printf("problem=one SD sample: 784-200-200-10 tanh MLP, %zu points, sum_squares, float64, %zu parameters\n",
              kPoints, model.parameter_count());
  bench::print_blas();

  const Sample s = sample(model);
  {  // the structured Gram of a few points against J J^T of the per-example reference
    const std::size_t few = 16;
    const Tensor x = draw_inputs(few);
    const Tensor expected =
        analysis::gram(analysis::reference_jacobian(model, x, analysis::OutputReduction::sum_squares()));
    const Tensor got = analysis::structured_gram(model, x, analysis::OutputReduction::sum_squares());
    double err = 0, scale = 0;
    for (std::size_t i = 0; i < expected.size(); ++i) {
      err = std::max(err, std::abs(got.data()[i] - expected.data()[i]));
      scale = std::max(scale, std::abs(expected.data()[i]));
    }
    std::printf("gramcheck %zu points: max |structured - J J^T| = %.3e (max entry %.3e)\n", few, err, scale);
    if (!(err <= 1e-10 * scale)) bench::fail(kProgram, "structured Gram differs from J J^T -- refusing to time wrong code");
  }
  std::printf("sd=%.12f\n", s.sd);
  std::printf("check_gram_trace=%.15e\n", s.trace);
  std::printf("check_sd=%.15e\n", s.sd);

  const bench::Timing timing = bench::time_steps(budget, [&] { return sample(model).sd; }, 1, 3);
  bench::print_iterations(timing);
  std::printf("peak_rss_mb=%.1f\n", bench::peak_rss_mb());
  std::printf("netdim_min_seconds=%.6e\n", timing.min());
  std::printf("netdim_seconds=%.6e\n", timing.median());
  return 0;
}
