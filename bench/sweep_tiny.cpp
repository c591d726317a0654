// Benchmark sweep_tiny, netdim side (PyTorch twin: bench/sweep_tiny.py; run both with `bench/run sweep_tiny`).
//
// The expected spanning dimension (seed 003, Algorithm 1; 20 samples each) of 40 tiny
// 1-i-j-1 MLPs: the grid i in {1, 2, 4, 8, 12, 16, 24, 40} x j in {2, 5, 10, 20, 40},
// activations cycling relu, tanh, sigmoid. One timed step is the whole sweep. The
// protocol is analysis::expected_spanning_dimension's default: PyTorch's default
// initialisation, n = min(m, 500) inputs uniform in [-1, 1], the first (only) output,
// float64, the structured Gram's eigenvalues (dsyevd) with eigenvalues at or below
// n eps lambda_max clamped to zero, effective rank. Tiny networks are where per-node
// overhead of the tapes shows, next to the eigenvalue solve both sides share.
//
// The two sides draw their parameters and inputs from different generators, so they
// compute different samples of the same distribution: the check_* fingerprints are
// the problem's size (networks, parameters, points, samples), which must agree
// exactly; the mean ESD per activation (esd_relu=...) agrees only statistically.
// Before timing, one sample of each activation is checked against the effective
// rank of the per-example reference Jacobian at the same draw.
// Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "bench/bench_common.hpp"
#include "netdim/nn/mlp.hpp"
#include "netdim/nn/model.hpp"

namespace bench = netdim::bench;
namespace analysis = netdim::analysis;
namespace nn = netdim::nn;

namespace {

constexpr const char* kProgram = "bench_sweep_tiny";
constexpr std::size_t kSamples = 20;
constexpr std::array<std::size_t, 8> kFirstWidths{1, 2, 4, 8, 12, 16, 24, 40};
constexpr std::array<std::size_t, 5> kSecondWidths{2, 5, 10, 20, 40};
constexpr std::array<nn::Activation, 3> kActivations{nn::Activation::Relu, nn::Activation::Tanh,
                                                     nn::Activation::Sigmoid};
constexpr std::array<const char*, 3> kActivationNames{"relu", "tanh", "sigmoid"};

struct Network {
  std::size_t first = 0, second = 0, activation = 0;  // widths i, j; index into kActivations
  nn::Architecture architecture;
};

// Network k of the grid, in row-major order (i outer), activation k mod 3.
std::vector<Network> networks() {
  std::vector<Network> nets;
  for (std::size_t i : kFirstWidths)
    for (std::size_t j : kSecondWidths) {
      const std::size_t a = nets.size() % kActivations.size();
      nets.push_back({i, j, a, nn::mlp(1, {i, j}, 1, {kActivations[a], nn::Shortcuts::None, nn::Adapt::Identity, true})});
    }
  return nets;
}

std::size_t threads_from_environment() {
  const char* env = std::getenv("BENCH_THREADS");
  const long t = env ? std::atol(env) : 1;
  if (t < 1) bench::usage_error(kProgram, "BENCH_THREADS must be a positive integer");
  return static_cast<std::size_t>(t);
}

analysis::EsdProtocol protocol_for(std::size_t network, std::size_t threads) {
  analysis::EsdProtocol p;
  p.samples = kSamples;
  p.seed = network;  // each network its own streams
  p.threads = threads;
  return p;
}

// What one sweep computed.
struct Sweep {
  std::size_t networks = 0, parameters = 0, points = 0, samples = 0;
  std::array<double, 3> esd_sum{};  // per activation, the sum of the networks' ESDs
  std::array<std::size_t, 3> esd_count{};
};

Sweep sweep(const std::vector<Network>& nets, std::size_t threads) {
  Sweep s;
  for (std::size_t k = 0; k < nets.size(); ++k) {
    const analysis::EsdResult r = analysis::expected_spanning_dimension(nets[k].architecture, protocol_for(k, threads));
    ++s.networks;
    s.parameters += r.parameters;
    s.points += r.points;
    s.samples += r.sd.size();
    s.esd_sum[nets[k].activation] += r.summary.mean;
    ++s.esd_count[nets[k].activation];
  }
  return s;
}

// Refuses to time wrong code: sample 0 of the first network of each activation against
// the effective rank of J (the per-example reference, by SVD) at the same draw.
void check_samples(const std::vector<Network>& nets, std::size_t threads) {
  for (std::size_t k = 0; k < kActivations.size(); ++k) {
    const analysis::EsdProtocol p = protocol_for(k, threads);
    const double got = analysis::spanning_sample(nets[k].architecture, p, 0).sd;
    const analysis::SamplePoint point = analysis::sample_point(nets[k].architecture, p, 0);
    const nn::Model<double> model(nets[k].architecture);
    const double expected = analysis::effective_rank(analysis::singular_values(
        analysis::reference_jacobian(model, point.theta, point.inputs, analysis::OutputReduction::first())));
    std::printf("sdcheck 1-%zu-%zu-1 %s: sd %.12f, reference %.12f\n", nets[k].first, nets[k].second,
                kActivationNames[nets[k].activation], got, expected);
    // The Gram route drops singular values below ~sqrt(n eps) s_max (esd.hpp): ~1e-6 relative.
    if (!(std::abs(got - expected) <= 1e-4 * expected))
      bench::fail(kProgram, "a spanning-dimension sample differs from the reference -- refusing to time wrong code");
  }
}

}  // namespace

int main(int argc, char** argv) {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  const std::size_t threads = threads_from_environment();
  const std::vector<Network> nets = networks();
  std::printf("problem=ESD (%zu samples) of 40 MLPs 1-i-j-1, i in {1..40}, j in {2..40}, relu/tanh/sigmoid, "
              "n = min(m, 500), first output, float64, threads=%zu\n",
              kSamples, threads);
  bench::print_blas();
  check_samples(nets, threads);

  const Sweep first = sweep(nets, threads);
  std::printf("check_networks=%zu\n", first.networks);
  std::printf("check_parameters=%zu\n", first.parameters);
  std::printf("check_points=%zu\n", first.points);
  std::printf("check_samples=%zu\n", first.samples);
  // Different random draws on the two sides: these agree only statistically.
  for (std::size_t a = 0; a < kActivations.size(); ++a)
    std::printf("esd_%s=%.4f (mean over %zu networks)\n", kActivationNames[a],
                first.esd_sum[a] / double(first.esd_count[a]), first.esd_count[a]);

  const bench::Timing timing = bench::time_steps(budget, [&] { return sweep(nets, threads).samples; }, 1, 3);
  bench::print_iterations(timing);
  std::printf("peak_rss_mb=%.1f\n", bench::peak_rss_mb());
  std::printf("netdim_min_seconds=%.6e\n", timing.min());
  std::printf("netdim_seconds=%.6e\n", timing.median());
  return 0;
}
