// Benchmark esd_resnet18, netdim side (PyTorch twin: bench/esd_resnet18.py; run both with
// `bench/run esd_resnet18`).
//
// One spanning-dimension sample of seed 003's section 6 for torchvision's ResNet-18
// (examples/zoo/resnet18.net, 11,689,512 parameters, 3x224x224 inputs): float64,
// n = 8 points with pixels in {-1, 1}, pick_first (g = f_0, the first logit): draw the
// weights, form J J^T (8 x 8), eigenvalues, effective rank. Convolution and dense
// weights and the dense bias are U(-1/sqrt(fan_in), 1/sqrt(fan_in)); batch norm has
// scale 1 and shift 0 (torchvision's initialisation) in its inference form with
// running mean 0 and variance 1. netdim never forms J (structured Gram, per layer).
//
// Both sides draw the same numbers (splitmix64 streams) in torchvision's parameter
// order, which is the .net file's canonical order; check_gram_trace and check_sd let
// bench/run verify that they compute the same thing.
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "netdim/analysis/jacobian/structured_gram.hpp"
#include "bench/sd_benchmark.hpp"

using netdim::Shape;
using Tensor = netdim::Tensor<double>;
namespace bench = netdim::bench;
namespace analysis = netdim::analysis;
namespace nn = netdim::nn;

namespace {

constexpr const char* kProgram = "bench_esd_resnet18";
constexpr std::size_t kPoints = 8;
constexpr std::uint64_t kSeedTheta = 1, kSeedInput = 2;
const Shape kImage{3, 224, 224};
constexpr std::size_t kParameters = 11689512;  // torchvision.models.resnet18()

// Entry i of the flat vector from element i of stream kSeedTheta (esd_resnet18.py draws the same).
Tensor draw_theta(const nn::Model<double>& model) {
  Tensor theta = Tensor::from_shape({model.parameter_count()});
  for (const nn::ParameterBlock& b : model.blocks()) {
    const bool batch_norm = model.architecture().layer(b.layer).kind == nn::LayerKind::BatchNorm;
    const double bound = 1.0 / std::sqrt(double(b.fans.fan_in));
    for (std::size_t i = b.offset; i < b.offset + b.size(); ++i)
      theta(i) = batch_norm ? (b.is_bias ? 0.0 : 1.0) : (2 * bench::uniform_at(kSeedTheta, i) - 1) * bound;
  }
  return theta;
}

Tensor draw_inputs() {
  Tensor x = Tensor::from_shape({kPoints, kImage[0], kImage[1], kImage[2]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = bench::uniform_at(kSeedInput, i) < 0.5 ? -1.0 : 1.0;
  return x;
}

bench::SdSample sample(nn::Model<double>& model) {
  model.set_parameters(draw_theta(model));
  const Tensor g = analysis::structured_gram(model, draw_inputs(), analysis::OutputReduction::first());
  bench::SdSample s;
  for (std::size_t i = 0; i < g.shape()[0]; ++i) s.trace += g(i, i);
  s.sd = analysis::effective_rank(analysis::gram_singular_values(g));
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  nn::Model<double> model(bench::example_network(kProgram, "examples/zoo/resnet18.net"));
  if (model.parameter_count() != kParameters || model.architecture().input_shape() != kImage)
    bench::fail(kProgram, "resnet18.net is not torchvision's resnet18 (" + std::to_string(model.parameter_count()) +
                              " parameters)");
  std::printf("problem=one SD sample: torchvision resnet18 (3x224x224), %zu points in {-1, 1}, pick_first, float64, "
              "%zu parameters\n",
              kPoints, model.parameter_count());
  bench::print_blas();
  const bench::SdSample first = sample(model);
  return bench::report_sd_benchmark(budget, first, [&] { return sample(model); });
}
