// Benchmark conv2d, netdim side (PyTorch twin: bench/conv2d.py; run both with `bench/run conv2d`).
//
// Forward and backward (cotangents of input AND weight) of the two convolutions
// of a small MNIST-sized CNN, batch 64, float64, no bias:
//   conv1: [64, 1, 28, 28] * [32, 1, 3, 3], padding 1
//   conv2: [64, 32, 14, 14] * [64, 32, 3, 3], padding 1
// One step records each convolution on a cleared tape and runs the reverse
// sweep for x and w with a fixed output cotangent (PyTorch: torch.autograd.grad
// with grad_outputs). The time is the median step.
//
// Both sides draw the same numbers (splitmix64 streams, seeds below) and print
// check_* fingerprints of every output and gradient, which bench/run compares.
//
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "netdim/autodiff/autodiff.hpp"
#include "bench/bench_common.hpp"

using netdim::Conv2dGeometry;
using netdim::Shape;
using netdim::Tape;
using netdim::Var;
using T = double;
using Tensor = netdim::Tensor<T>;
namespace bench = netdim::bench;

namespace {

constexpr const char* kProgram = "bench_conv2d";

struct Layer {
  const char* name;
  Shape x, w;
  Conv2dGeometry geometry;
  std::uint64_t seed;  // streams seed (x), seed + 1 (w), seed + 2 (output cotangent)
};

const std::array<Layer, 2> kLayers{{
    {"conv1", {64, 1, 28, 28}, {32, 1, 3, 3}, {1, 1, 1, 1, 1, 1, 1}, 10},
    {"conv2", {64, 32, 14, 14}, {64, 32, 3, 3}, {1, 1, 1, 1, 1, 1, 1}, 20},
}};

// U(-bound, bound) from stream `seed`.
Tensor draw(const Shape& shape, std::uint64_t seed, T bound) {
  Tensor t = Tensor::from_shape(shape);
  for (std::size_t i = 0; i < t.size(); ++i) t.data()[i] = (2 * bench::uniform_at(seed, i) - 1) * bound;
  return t;
}

struct Problem {
  Tensor x, w, gy;
};

Problem make_problem(const Layer& l) {
  // The weight as torch.nn.Conv2d initialises it: U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
  const T fan_in = T(l.w[1] * l.w[2] * l.w[3]);
  Problem p{draw(l.x, l.seed, 1), draw(l.w, l.seed + 1, 1 / std::sqrt(fan_in)), Tensor()};
  Tape<T> tape;
  p.gy = draw(netdim::conv2d(tape.constant(p.x), tape.constant(p.w), l.geometry).shape(), l.seed + 2, 1);
  return p;
}

struct Result {
  Tensor y, dx, dw;
};

// One step for one layer: forward on the cleared tape, then the reverse sweep
// for x and w. The output is copied out only when asked (not in timed steps).
Result step(Tape<T>& tape, const Layer& l, const Problem& p, bool keep_output) {
  tape.clear();
  const Var<T> x = tape.variable(p.x), w = tape.variable(p.w);
  const Var<T> y = netdim::conv2d(x, w, l.geometry);
  const std::array<Var<T>, 2> wrt{x, w};
  std::vector<Tensor> g = netdim::backward(y, p.gy, std::span<const Var<T>>(wrt));
  return {keep_output ? y.value() : Tensor(), std::move(g[0]), std::move(g[1])};
}

T dot(const Tensor& a, const Tensor& b) {
  T s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a.data()[i] * b.data()[i];
  return s;
}

// A fingerprint that also sees permutations: sum of t[i] * (i mod 7 + 1).
T probe(const Tensor& t) {
  T s = 0;
  for (std::size_t i = 0; i < t.size(); ++i) s += t.data()[i] * T(i % 7 + 1);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);

  std::vector<Problem> problems;
  for (const Layer& l : kLayers) problems.push_back(make_problem(l));

  std::printf("problem=conv2d forward + backward (input and weight), float64, batch 64: "
              "1->32 3x3 pad 1 on 28x28, 32->64 3x3 pad 1 on 14x14\n");
  bench::print_blas();

  // Correctness, once, before timing: conv2d is bilinear, so
  // <gy, y> = <x, dx> = <w, dw> up to rounding; then the fingerprints for bench/run.
  Tape<T> tape;
  for (std::size_t k = 0; k < kLayers.size(); ++k) {
    const Layer& l = kLayers[k];
    const Result r = step(tape, l, problems[k], true);
    const T a = dot(problems[k].gy, r.y), b = dot(problems[k].x, r.dx), c = dot(problems[k].w, r.dw);
    if (!(std::abs(a - b) <= 1e-10 * std::abs(a) && std::abs(a - c) <= 1e-10 * std::abs(a)))
      bench::fail(kProgram, std::string(l.name) + ": <gy, y> = " + std::to_string(a) +
                                ", <x, dx> = " + std::to_string(b) + ", <w, dw> = " + std::to_string(c) +
                                " differ -- refusing to time wrong code");
    std::printf("check_%s_y=%.15e\n", l.name, probe(r.y));
    std::printf("check_%s_dx=%.15e\n", l.name, probe(r.dx));
    std::printf("check_%s_dw=%.15e\n", l.name, probe(r.dw));
  }

  auto all_layers = [&] {
    for (std::size_t k = 0; k < kLayers.size(); ++k) {
      const Result r = step(tape, kLayers[k], problems[k], false);
      if (r.dw.size() != problems[k].w.size()) bench::fail(kProgram, "weight gradient has the wrong size");
    }
  };

  // Warm-up, then single timed steps filling the budget.
  const bench::Timing timing = bench::time_steps(budget, all_layers);
  bench::print_iterations(timing);
  std::printf("netdim_seconds=%.6e\n", timing.median());
  return 0;
}
