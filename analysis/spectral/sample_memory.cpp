#include "netdim/analysis/spectral/sample_memory.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace netdim::analysis {

namespace {

// The sweep keeps, per point, every layer's output on the tape, its cotangent, and
// the per-layer factors (inputs and cotangents) of the parametrised layers: about
// four copies of the activations; five leaves a margin. Measured peaks (GNU time's
// maximum RSS of `netdim esd --samples 1 --threads 1`) against this estimate:
// resnet18 at 224x224, float64, 2 points: 0.79 GB (estimate 0.73 with four copies);
// with --points 4 --columns 100000: 0.95 GB (0.92); sec51_mlp, 500 points: 0.14 GB (0.13).
constexpr double kActivationCopies = 5;

std::string gib(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f GiB", bytes / double(std::size_t{1} << 30));
  return buf;
}

}  // namespace

std::size_t sample_bytes(const nn::Architecture& a, const EsdProtocol& p) {
  const double scalar = p.precision == Precision::Float32 ? 4 : 8;
  const double m = double(a.parameter_count());
  const double points = double(points_for(p, a.parameter_count()));
  const double per_point = p.reduce.mean_over_outputs ? 1 : double(p.reduce.single.rows_per_example(shape_size(a.output_shape())));
  const double rows = points * per_point;
  double activations = 0;  // per point
  for (const nn::Layer& layer : a.layers()) activations += double(shape_size(layer.shape));
  // The model's parameters and the sample's draw of them; the inputs.
  double bytes = 2 * m * scalar + points * double(shape_size(a.input_shape())) * scalar;
  if (p.columns > 0) {
    // One chunk of J's rows and that chunk's sweep, then the n x K matrix and its Gram.
    const double chunk_points =
        std::clamp(std::floor(double(kJacobianChunkBytes) / (per_point * m * scalar)), 1.0, points);
    bytes += chunk_points * (per_point * m * scalar + kActivationCopies * activations * scalar);
    const double k = double(p.columns);
    bytes += rows * k * (scalar + 8) + (rows <= k ? 3 * rows * rows * 8 : 2 * rows * k * 8 + 3 * k * k * 8);
  } else if (rows <= m) {
    // Every point's sweep at once; the Gram and its factorisation in double.
    bytes += points * kActivationCopies * activations * scalar + 4 * rows * rows * 8;
  } else {
    // J (rows x m) whole, in T and as double for the SVD, and the sweep.
    bytes += rows * m * (scalar + 16) + points * kActivationCopies * activations * scalar;
  }
  return static_cast<std::size_t>(bytes);
}

void check_sample_memory(const nn::Architecture& a, const EsdProtocol& p, std::optional<std::size_t> available) {
  if (!available) return;
  const std::size_t side_by_side = std::max<std::size_t>(1, std::min(p.threads, p.samples));
  const double need = (double(sample_bytes(a, p)) + double(kSampleThreadBytes)) * double(side_by_side);
  if (need <= 0.9 * double(*available)) return;
  throw std::invalid_argument("a sample needs about " + gib(need / double(side_by_side)) + " (" +
                              std::to_string(side_by_side) + " side by side: " + gib(need) + ") and " +
                              gib(double(*available)) +
                              " is available: lower --points, --threads or --columns, or use --dtype float32");
}

}  // namespace netdim::analysis
