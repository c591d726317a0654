// Benchmark esd_cnn, netdim side (PyTorch twin: bench/esd_cnn.py; run both with `bench/run esd_cnn`).
//
// One spanning-dimension (SD) sample of seed 003's Algorithm 1 for the small residual
// CNN of seed 003 section 5.3 (loaded from examples/esd2020/sec53_resnet.net): a 3x3 conv stem of
// 16 channels, three residual blocks of two 3x3 convs (16, 32, 64 channels) whose
// shortcuts sample the previous block's output (every s-th pixel plus zero channels),
// max pooling between blocks, global average pooling and a dense layer of 10: 74,762
// parameters, 1x28x28 inputs. float64, n = 256 points uniform in [-1, 1], sum_squares:
// draw the weights (PyTorch's default initialisation, U(-1/sqrt(fan_in), 1/sqrt(fan_in))),
// draw the inputs, form J J^T, eigenvalues, effective rank. netdim never forms J: the
// structured Gram adds one layer's per-example gradient block G_l G_l^T at a time
// (dense layers take the factored (A A^T + 1) o (D D^T)).
//
// Both sides draw the same numbers (splitmix64 streams); check_gram_trace and check_sd
// let bench/run verify that they compute the same thing. Before timing, the structured
// Gram of the first 8 points is checked against J J^T of the per-example reference.
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "bench/sd_benchmark.hpp"

using netdim::Shape;
using Tensor = netdim::Tensor<double>;
namespace bench = netdim::bench;
namespace analysis = netdim::analysis;
namespace nn = netdim::nn;

namespace {

constexpr const char* kProgram = "bench_esd_cnn";
constexpr std::size_t kPoints = 256;
constexpr std::uint64_t kSeedTheta = 1, kSeedInput = 2;
const Shape kImage{1, 28, 28};
constexpr std::size_t kParameters = 74762;  // what esd_cnn.py builds

// U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for every block (a bias takes its layer's fan-in),
// entry i of the flat vector from element i of stream kSeedTheta (esd_cnn.py draws the same).
Tensor draw_theta(const nn::Model<double>& model) {
  Tensor theta = Tensor::from_shape({model.parameter_count()});
  for (const nn::ParameterBlock& b : model.blocks()) {
    const double bound = 1.0 / std::sqrt(double(b.fans.fan_in));
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i)
      theta(i) = (2 * bench::uniform_at(kSeedTheta, i) - 1) * bound;
  }
  return theta;
}

Tensor draw_inputs(std::size_t n) {
  Tensor x = Tensor::from_shape({n, kImage[0], kImage[1], kImage[2]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = 2 * bench::uniform_at(kSeedInput, i) - 1;
  return x;
}

bench::SdSample sample(nn::Model<double>& model) {
  model.set_parameters(draw_theta(model));
  return bench::sd_sample(model, draw_inputs(kPoints));
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  nn::Model<double> model(bench::example_network(kProgram, "examples/esd2020/sec53_resnet.net"));
  if (model.parameter_count() != kParameters || model.architecture().input_shape() != kImage)
    bench::fail(kProgram, "sec53_resnet.net is not the network esd_cnn.py builds (" +
                              std::to_string(model.parameter_count()) + " parameters)");
  for (const nn::ParameterBlock& b : model.blocks())
    if (b.fans.fan_in * b.shape[0] != b.size() && !b.is_bias)
      bench::fail(kProgram, "unexpected fan-in for block " + b.name);
  std::printf("problem=one SD sample: seed 003 section 5.3 residual CNN (1x28x28, 16/32/64 channels), %zu points, "
              "sum_squares, float64, %zu parameters\n",
              kPoints, model.parameter_count());
  bench::print_blas();

  // The structured Gram of the first 8 points against J J^T, at the drawn parameters.
  const bench::SdSample first = sample(model);
  bench::check_structured_gram(kProgram, model, draw_inputs(8));
  return bench::report_sd_benchmark(budget, first, [&] { return sample(model); });
}
