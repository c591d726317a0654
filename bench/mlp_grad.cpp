// Benchmark mlp_grad, netdim side (PyTorch twin: bench/mlp_grad.py; run both with `bench/run mlp_grad`).
//
// The gradient of the mean cross-entropy loss of a 784-200-200-10 tanh MLP on a
// batch of 256, float64, with respect to all 199,210 weights and biases held in
// ONE flat parameter vector (PyTorch layout: per layer weight [out, in], then bias).
// One tape is reused across iterations with clear(), as a training loop would.
//
// Both sides draw the same numbers (splitmix64 streams, seeds below), so they
// solve the very same problem: each prints check_loss and check_grad_norm, and
// bench/run refuses to quote a ratio when they disagree.
//
// Output: the BLAS actually loaded, the gradient check, check_* fingerprints, the
// fastest and median step (netdim_min_seconds, netdim_seconds) and the minor page
// faults per step (fresh memory the kernel had to map and zero: allocator churn).
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "netdim/autodiff/autodiff.hpp"
#include "bench/bench_common.hpp"

using netdim::Shape;
using netdim::Tape;
using netdim::Var;
using T = double;
using Tensor = netdim::Tensor<T>;
namespace bench = netdim::bench;

namespace {

constexpr const char* kProgram = "bench_mlp_grad";

constexpr std::size_t kBatch = 256;
constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::size_t kClasses = kWidths.back();
constexpr std::uint64_t kSeedTheta = 1, kSeedInput = 2, kSeedLabel = 3, kSeedCheck = 4;

// PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
Tensor initial_theta() {
  Tensor theta = Tensor::from_shape({bench::mlp_parameter_count(kWidths)});
  bench::draw_mlp_parameters(kWidths, kSeedTheta, theta.data());
  return theta;
}

// The loss on `tape` (which the caller has cleared); `theta_var` receives the parameter Var.
// variable() and constant() take their values by copy: theta and x are copied onto the
// tape at every step (3.2 MB), part of what a training loop pays today.
Var<T> build_loss(Tape<T>& tape, const Tensor& theta, const Tensor& x, const Tensor& onehot, Var<T>* theta_var) {
  const Var<T> th = tape.variable(theta);
  if (theta_var) *theta_var = th;
  Var<T> h = tape.constant(x);
  const Var<T> mask = tape.constant(onehot);
  std::size_t off = 0;
  for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) {
    const std::size_t in = kWidths[l], out = kWidths[l + 1];
    const Var<T> w = netdim::segment(th, off, Shape{out, in});
    off += out * in;
    const Var<T> b = netdim::segment(th, off, Shape{out});
    off += out;
    const Var<T> z = netdim::linear(h, w, b);  // x W^T + b, one GEMM onto the bias (as dense layers do)
    h = l + 2 < kWidths.size() ? netdim::tanh(z) : z;
  }
  return netdim::sum(mask * netdim::log_softmax(h, -1)) * (T(-1) / T(kBatch));
}

T loss_at(Tape<T>& tape, const Tensor& theta, const Tensor& x, const Tensor& onehot) {
  tape.clear();
  return build_loss(tape, theta, x, onehot, nullptr).value()();
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);

  const Tensor theta0 = initial_theta();
  Tensor x = Tensor::from_shape({kBatch, kWidths[0]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = bench::uniform_at(kSeedInput, i);
  Tensor onehot = Tensor(Shape{kBatch, kClasses}, T(0));
  for (std::size_t n = 0; n < kBatch; ++n)
    onehot(n, static_cast<std::size_t>(bench::uniform_at(kSeedLabel, n) * T(kClasses))) = T(1);

  std::printf("problem=784-200-200-10 tanh MLP, batch %zu, float64, %zu parameters in one flat vector\n", kBatch,
              theta0.size());
  bench::print_blas();

  Tape<T> tape;
  // One timed step: record the forward pass on the reused tape, then the reverse sweep.
  auto step = [&](T* loss_out) {
    tape.clear();
    Var<T> th;
    const Var<T> loss = build_loss(tape, theta0, x, onehot, &th);
    Tensor g = netdim::grad(loss, th);
    if (loss_out) *loss_out = loss.value()();
    return g;
  };

  // Correctness, once, before timing: central differences on 3 random coordinates,
  // one in each layer, and the problem fingerprint bench/run compares with PyTorch's.
  T loss = 0;
  const Tensor g = step(&loss);
  {
    std::size_t begin = 0;
    for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) {
      const std::size_t n = kWidths[l + 1] * kWidths[l] + kWidths[l + 1];
      const std::size_t i = begin + static_cast<std::size_t>(bench::uniform_at(kSeedCheck, l) * T(n));
      begin += n;
      const T h = 1e-5;
      Tensor t = theta0;
      t(i) = theta0(i) + h;
      const T up = loss_at(tape, t, x, onehot);
      t(i) = theta0(i) - h;
      const T down = loss_at(tape, t, x, onehot);
      const T fd = (up - down) / (2 * h);
      const T err = std::abs(fd - g(i));
      std::printf("gradcheck layer %zu coordinate %zu: autodiff %.12e central difference %.12e\n", l + 1, i, g(i), fd);
      // Central differences of a loss near 2.3 carry a rounding error near 1e-11 at this step.
      if (!(err <= 1e-6 * std::abs(fd) + 1e-9)) {
        char msg[256];
        std::snprintf(msg, sizeof msg, "gradient check failed at coordinate %zu: autodiff %.12e vs central difference %.12e",
                      i, g(i), fd);
        bench::fail(kProgram, std::string(msg) + " -- refusing to time wrong code");
      }
    }
  }
  T norm2 = 0;
  for (const T v : g) norm2 += v * v;
  std::printf("check_loss=%.15e\n", loss);
  std::printf("check_grad_norm=%.15e\n", std::sqrt(norm2));

  // Warm-up, then single timed steps filling the budget (the returned gradient is freed untimed).
  const bench::Timing timing = bench::time_steps(budget, [&] {
    Tensor gk = step(nullptr);
    if (gk.size() != theta0.size()) bench::fail(kProgram, "gradient has the wrong size");
    return gk;
  });
  bench::print_iterations(timing);
  std::printf("tape_nodes=%zu page_faults_per_iteration=%.0f\n", tape.size(), timing.faults_per_step());
  std::printf("netdim_min_seconds=%.6e\n", timing.min());
  std::printf("netdim_seconds=%.6e\n", timing.median());
  return 0;
}
