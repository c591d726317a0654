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

#include "bench/sd_benchmark.hpp"
#include "netdim/nn/mlp.hpp"

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

Tensor draw_inputs(std::size_t n) {
  Tensor x = Tensor::from_shape({n, kWidths[0]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = 2 * bench::uniform_at(kSeedInput, i) - 1;
  return x;
}

// One SD sample: draw, structured Gram, eigenvalues, effective rank.
bench::SdSample sample(nn::Model<double>& model) {
  Tensor theta = Tensor::from_shape({model.parameter_count()});
  bench::draw_mlp_parameters(kWidths, kSeedTheta, theta.data());
  model.set_parameters(std::move(theta));
  return bench::sd_sample(model, draw_inputs(kPoints));
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  nn::Model<double> model(nn::mlp(kWidths[0], {kWidths[1], kWidths[2]}, kWidths[3],
                                  {nn::Activation::Tanh, nn::Shortcuts::None, nn::Adapt::Identity, true}));
  std::printf("problem=one SD sample: 784-200-200-10 tanh MLP, %zu points, sum_squares, float64, %zu parameters\n",
              kPoints, model.parameter_count());
  bench::print_blas();

  // The structured Gram of the first 16 points against J J^T, at the drawn parameters.
  const bench::SdSample first = sample(model);
  bench::check_structured_gram(kProgram, model, draw_inputs(16));
  return bench::report_sd_benchmark(budget, first, [&] { return sample(model); });
}
