// What the netdim sides of the benchmarks share (bench/bench_common.py is the PyTorch
// sides' twin): the splitmix64 streams both sides draw their inputs from, the BLAS
// report, the options, the error exits and the timed loop.
//
// Header-only, and not a benchmark: bench/run pairs NAME.cpp with NAME.py, and
// bench/meson.build builds only the benchmarks it lists.
#pragma once

#include <cblas.h>
#include <dlfcn.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

namespace netdim::bench {

// ---- the same numbers on both sides

// Element i of splitmix64 stream `seed`, as a double in [0, 1): the state after
// i+1 steps is seed + (i+1)*golden, so a stream is also a counter
// (bench_common.uniform draws the same numbers vectorised).
inline double uniform_at(std::uint64_t seed, std::uint64_t i) {
  std::uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

// Weights and biases of a stack of dense layers of these widths (784, 200, 200, 10, say).
inline std::size_t mlp_parameter_count(std::span<const std::size_t> widths) {
  std::size_t n = 0;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) n += widths[l + 1] * widths[l] + widths[l + 1];
  return n;
}

// PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias,
// drawn from stream `seed` in PyTorch layout (per layer weight [out, in], then bias) into
// theta[0, mlp_parameter_count(widths)) (bench_common.mlp_parameters draws the same).
inline void draw_mlp_parameters(std::span<const std::size_t> widths, std::uint64_t seed, double* theta) {
  std::size_t at = 0;
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    const double bound = 1.0 / std::sqrt(double(widths[l]));
    const std::size_t n = widths[l + 1] * widths[l] + widths[l + 1];
    for (std::size_t i = 0; i < n; ++i, ++at) theta[at] = (2 * uniform_at(seed, at) - 1) * bound;
  }
}

// ---- exits and options; `program` is the benchmark's binary, "bench_NAME"

// A failure: "PROGRAM: MSG" on stderr, exit code 1.
[[noreturn]] inline void fail(const char* program, const std::string& msg) {
  std::fprintf(stderr, "%s: %s\n", program, msg.c_str());
  std::exit(1);
}

// Bad usage: "PROGRAM: MSG" on stderr, exit code 2.
[[noreturn]] inline void usage_error(const char* program, const std::string& msg) {
  std::fprintf(stderr, "%s: %s\n", program, msg.c_str());
  std::exit(2);
}

// The value of `flag` (the last one given), else `fallback`, for a benchmark whose only
// option is `flag VALUE`: anything else prints "usage: PROGRAM [FLAG METAVAR]" and exits 2.
inline const char* option_value(const char* program, int argc, char** argv, const char* flag, const char* metavar,
                                const char* fallback) {
  const char* value = fallback;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], flag) == 0 && i + 1 < argc) value = argv[++i];
    else {
      std::fprintf(stderr, "usage: %s [%s %s]\n", program, flag, metavar);
      std::exit(2);
    }
  }
  return value;
}

// --seconds S: the timed loop's budget (default 2.5, or $BENCH_SECONDS); must be positive.
inline double seconds_option(const char* program, int argc, char** argv) {
  const char* env = std::getenv("BENCH_SECONDS");
  const double s = std::atof(option_value(program, argc, argv, "--seconds", "S", env ? env : "2.5"));
  if (!(s > 0)) usage_error(program, "--seconds must be positive");
  return s;
}

// ---- the BLAS actually loaded

inline std::string blas_description() {
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

// The lines blas=... and blas_threads=N.
inline void print_blas() {
  std::printf("blas=%s\n", blas_description().c_str());
  std::printf("blas_threads=%d\n", openblas_get_num_threads());
}

// ---- timing

// Minor page faults so far: fresh memory the kernel had to map and zero (allocator churn).
inline long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}

// The median of some times (seconds).
inline double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  const std::size_t n = times.size();
  return n % 2 ? times[n / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
}

// What time_steps measured.
struct Timing {
  std::size_t warmup = 0;     // warm-up steps, not timed one by one
  std::vector<double> times;  // seconds per timed step, sorted
  long faults = 0;            // minor page faults during the timed steps

  double min() const { return times.front(); }
  double max() const { return times.back(); }
  double median() const { return bench::median(times); }
  double faults_per_step() const { return double(faults) / double(times.size()); }
};

// Warm-up (at least `min_warmup` steps and 0.3 s), which also estimates the step time; then
// as many single timed steps as fill `budget` seconds (`min_steps` to 1,000,000). A value
// `step` returns is destroyed after the clock is read: freeing it is not part of the step.
// Steps of seconds (one spectral sample, say) lower the minimums so a run stays short.
template <class Step>
Timing time_steps(double budget, Step&& step, std::size_t min_warmup = 3, std::size_t min_steps = 10) {
  using clock = std::chrono::steady_clock;
  const auto since = [](clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); };
  Timing t;
  const auto w0 = clock::now();
  double warm_s = 0;
  while (t.warmup < min_warmup || warm_s < 0.3) {
    step();
    ++t.warmup;
    warm_s = since(w0);
  }
  const std::size_t iters =
      std::clamp<std::size_t>(static_cast<std::size_t>(budget / (warm_s / double(t.warmup))), min_steps, 1000000);

  t.times.resize(iters);
  const long faults0 = minor_faults();
  for (double& s : t.times) {
    const auto t0 = clock::now();
    if constexpr (std::is_void_v<std::invoke_result_t<Step&>>) {
      step();
      s = since(t0);
    } else {
      [[maybe_unused]] const auto kept = step();
      s = since(t0);
    }
  }
  t.faults = minor_faults() - faults0;
  std::sort(t.times.begin(), t.times.end());
  return t;
}

// The process's peak resident memory so far, in MB (getrusage's ru_maxrss, KiB on Linux).
inline double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_maxrss) / 1024.0;
}

// The line iterations=N (after W warm-up), min A ms, max B ms.
inline void print_iterations(const Timing& t) {
  std::printf("iterations=%zu (after %zu warm-up), min %.3f ms, max %.3f ms\n", t.times.size(), t.warmup,
              t.min() * 1e3, t.max() * 1e3);
}

}  // namespace netdim::bench
