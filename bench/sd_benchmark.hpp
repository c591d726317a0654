// What the netdim sides of the ESD benchmarks (esd_mlp.cpp, esd_cnn.cpp) share: one
// SD sample from a structured Gram, the check of that Gram against J J^T of the
// per-example reference before anything is timed, and the lines bench/run reads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/jacobian/structured_gram.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "bench/bench_common.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/model.hpp"

namespace netdim::bench {

// A network of the source tree this benchmark was built from (examples/...), or fail.
inline nn::Architecture example_network(const char* program, const char* relative_path) {
  const std::filesystem::path file = std::filesystem::path(NETDIM_SOURCE_ROOT) / relative_path;
  const dsl::LoadResult loaded = dsl::load_file(file);
  if (!loaded.ok()) fail(program, "cannot load " + file.string() + ":\n" + dsl::render(loaded.diagnostics));
  return *loaded.architecture;
}

struct SdSample {
  double sd = 0, trace = 0;  // the effective rank, and trace(J J^T) (both sides must agree on it)
};

// The sum_squares Gram of `model` at `inputs`, its trace and its effective rank.
inline SdSample sd_sample(const nn::Model<double>& model, const Tensor<double>& inputs) {
  const Tensor<double> g = analysis::structured_gram(model, inputs, analysis::OutputReduction::sum_squares());
  SdSample s;
  for (std::size_t i = 0; i < g.shape()[0]; ++i) s.trace += g(i, i);
  s.sd = analysis::effective_rank(analysis::gram_singular_values(g));
  return s;
}

// Refuses to time wrong code: the structured Gram of a few points against J J^T.
inline void check_structured_gram(const char* program, const nn::Model<double>& model, const Tensor<double>& few) {
  const auto reduce = analysis::OutputReduction::sum_squares();
  const Tensor<double> expected = analysis::gram(analysis::reference_jacobian(model, few, reduce));
  const Tensor<double> got = analysis::structured_gram(model, few, reduce);
  double err = 0, scale = 0;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    err = std::max(err, std::abs(got.data()[i] - expected.data()[i]));
    scale = std::max(scale, std::abs(expected.data()[i]));
  }
  std::printf("gramcheck %zu points: max |structured - J J^T| = %.3e (max entry %.3e)\n", few.shape()[0], err, scale);
  if (!(err <= 1e-10 * scale)) fail(program, "structured Gram differs from J J^T -- refusing to time wrong code");
}

// Prints the checks of the first sample, then times `sample` (a callable returning an
// SdSample) and prints the timing lines.
template <class Sample>
int report_sd_benchmark(double budget, const SdSample& s, Sample&& sample) {
  std::printf("sd=%.12f\n", s.sd);
  std::printf("check_gram_trace=%.15e\n", s.trace);
  std::printf("check_sd=%.15e\n", s.sd);
  const Timing timing = time_steps(budget, [&] { return sample().sd; }, 1, 3);
  print_iterations(timing);
  std::printf("peak_rss_mb=%.1f\n", peak_rss_mb());
  std::printf("netdim_min_seconds=%.6e\n", timing.min());
  std::printf("netdim_seconds=%.6e\n", timing.median());
  return 0;
}

}  // namespace netdim::bench
