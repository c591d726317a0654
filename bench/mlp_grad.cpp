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
#include <cblas.h>
#include <dlfcn.h>
#include <sys/resource.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "autodiff/autodiff.hpp"

using netdim::Shape;
using netdim::Tape;
using netdim::Var;
using T = double;
using Tensor = netdim::Tensor<T>;

namespace {

constexpr std::size_t kBatch = 256;
constexpr std::array<std::size_t, 4> kWidths{784, 200, 200, 10};
constexpr std::size_t kClasses = kWidths.back();
constexpr std::uint64_t kSeedTheta = 1, kSeedInput = 2, kSeedLabel = 3, kSeedCheck = 4;

// Element i of splitmix64 stream `seed`, as a double in [0, 1): the state after
// i+1 steps is seed + (i+1)*golden, so a stream is also a counter (bench/mlp_grad.py
// draws the same numbers vectorised).
double uniform_at(std::uint64_t seed, std::uint64_t i) {
  std::uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

std::size_t parameter_count() {
  std::size_t n = 0;
  for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) n += kWidths[l + 1] * kWidths[l] + kWidths[l + 1];
  return n;
}

// PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
Tensor initial_theta() {
  Tensor theta = Tensor::from_shape({parameter_count()});
  std::size_t at = 0;
  for (std::size_t l = 0; l + 1 < kWidths.size(); ++l) {
    const T bound = T(1) / std::sqrt(T(kWidths[l]));
    const std::size_t n = kWidths[l + 1] * kWidths[l] + kWidths[l + 1];
    for (std::size_t i = 0; i < n; ++i, ++at) theta(at) = (2 * uniform_at(kSeedTheta, at) - 1) * bound;
  }
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
    const Var<T> z = netdim::matmul(h, w, false, true) + b;
    h = l + 2 < kWidths.size() ? netdim::tanh(z) : z;
  }
  return netdim::sum(mask * netdim::log_softmax(h, -1)) * (T(-1) / T(kBatch));
}

T loss_at(Tape<T>& tape, const Tensor& theta, const Tensor& x, const Tensor& onehot) {
  tape.clear();
  return build_loss(tape, theta, x, onehot, nullptr).value()();
}

long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

[[noreturn]] void fail(const std::string& msg) {
  std::fprintf(stderr, "bench_mlp_grad: %s\n", msg.c_str());
  std::exit(1);
}

std::string blas_description() {
  std::string s = openblas_get_config();
  s += " core=";
  s += openblas_get_corename();
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&openblas_get_config), &info) && info.dli_fname) {
    char real[4096];
    s += " lib=";
    s += realpath(info.dli_fname, real) ? real : info.dli_fname;
  }
  return s;
}

double seconds_budget(int argc, char** argv) {
  double s = 2.5;
  if (const char* e = std::getenv("BENCH_SECONDS")) s = std::atof(e);
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) s = std::atof(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_mlp_grad [--seconds S]\n");
      std::exit(2);
    }
  }
  if (!(s > 0)) {
    std::fprintf(stderr, "bench_mlp_grad: --seconds must be positive\n");
    std::exit(2);
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = seconds_budget(argc, argv);
  using clock = std::chrono::steady_clock;

  const Tensor theta0 = initial_theta();
  Tensor x = Tensor::from_shape({kBatch, kWidths[0]});
  for (std::size_t i = 0; i < x.size(); ++i) x.data()[i] = uniform_at(kSeedInput, i);
  Tensor onehot = Tensor(Shape{kBatch, kClasses}, T(0));
  for (std::size_t n = 0; n < kBatch; ++n)
    onehot(n, static_cast<std::size_t>(uniform_at(kSeedLabel, n) * T(kClasses))) = T(1);

  std::printf("problem=784-200-200-10 tanh MLP, batch %zu, float64, %zu parameters in one flat vector\n", kBatch,
              theta0.size());
  std::printf("blas=%s\n", blas_description().c_str());
  std::printf("blas_threads=%d\n", openblas_get_num_threads());

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
      const std::size_t i = begin + static_cast<std::size_t>(uniform_at(kSeedCheck, l) * T(n));
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
        fail(std::string(msg) + " -- refusing to time wrong code");
      }
    }
  }
  T norm2 = 0;
  for (const T v : g) norm2 += v * v;
  std::printf("check_loss=%.15e\n", loss);
  std::printf("check_grad_norm=%.15e\n", std::sqrt(norm2));

  // Warm-up (at least 3 steps and 0.3 s), which also estimates the step time.
  std::size_t warm = 0;
  const auto w0 = clock::now();
  double warm_s = 0;
  while (warm < 3 || warm_s < 0.3) {
    step(nullptr);
    ++warm;
    warm_s = std::chrono::duration<double>(clock::now() - w0).count();
  }
  const std::size_t iters = std::clamp<std::size_t>(static_cast<std::size_t>(budget / (warm_s / warm)), 10, 1000000);

  std::vector<double> times(iters);
  const long faults0 = minor_faults();
  for (std::size_t k = 0; k < iters; ++k) {
    const auto t0 = clock::now();
    const Tensor gk = step(nullptr);
    times[k] = std::chrono::duration<double>(clock::now() - t0).count();
    if (gk.size() != theta0.size()) fail("gradient has the wrong size");
  }
  const long faults = minor_faults() - faults0;
  std::sort(times.begin(), times.end());
  const double median = iters % 2 ? times[iters / 2] : (times[iters / 2 - 1] + times[iters / 2]) / 2;
  std::printf("iterations=%zu (after %zu warm-up), min %.3f ms, max %.3f ms\n", iters, warm, times.front() * 1e3,
              times.back() * 1e3);
  std::printf("tape_nodes=%zu page_faults_per_iteration=%.0f\n", tape.size(), double(faults) / double(iters));
  std::printf("netdim_min_seconds=%.6e\n", times.front());
  std::printf("netdim_seconds=%.6e\n", median);
  return 0;
}
