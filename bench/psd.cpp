// Benchmark psd, netdim side (SymPy twin: bench/psd.py; run both with `bench/run psd`).
//
// The exact polynomial spanning dimension of one parameter draw, for two x^2 networks:
//   (a) height1_depth8: the height-1 network of 8 hidden layers of x^2 that `netdim
//       theorem21` builds for depth 8 (18 parameters, degree 256 in x, 257 inputs), and
//   (b) mlp_1_4_4_1: a 1-4-4-1 network with x^2 after both hidden layers (33 parameters,
//       33 inputs).
// Timed: analysis::psd at a fixed point (one draw): forming Jn[i, j] = dN(x_i)/dtheta_j
// exactly over Q and its exact rank (FLINT). The point is theta uniform on [-1000, 1000]
// \ {0} (psd's default bound, random_integer_point) and distinct nonzero integer inputs,
// both from fixed seeds, passed as PsdOptions::parameters and ::inputs so that the other
// side can be handed the same point.
//
// The reference side needs the identical matrix: after timing, this side forms Jn once
// more (reference_jacobian, what psd ranks), checks that its exact rank is psd's answer,
// and writes theta, the inputs and Jn as exact integers/fractions to
// $BENCH_TMPDIR/psd_matrices.json (bench/run sets BENCH_TMPDIR to its scratch directory).
// check_rank_* and check_jn_mod_p_* (a weighted sum of Jn's entries mod 2^31 - 1) let
// bench/run verify that both sides ranked the same matrix. An extra line times the same draw
// with PsdOptions::modular (not part of the ratio).
// Options: --seconds S   time budget per network for the timed loop (default 2.5, or $BENCH_SECONDS)
#include <gmp.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/analysis/exact/psd.hpp"
#include "netdim/analysis/exact/theorem21.hpp"
#include "bench/bench_common.hpp"

using netdim::Rational;
using netdim::Shape;
namespace bench = netdim::bench;
namespace analysis = netdim::analysis;
namespace nn = netdim::nn;

namespace {

constexpr const char* kProgram = "bench_psd";
constexpr std::uint64_t kSeedTheta = 13, kSeedInput = 14;
using clock = std::chrono::steady_clock;
double since(clock::time_point t0) { return std::chrono::duration<double>(clock::now() - t0).count(); }

constexpr std::uint64_t kFingerprintPrime = 2147483647;  // 2^31 - 1: the fingerprint is exact in a double

struct Network {
  std::string name;  // the suffix of its check_ keys and its key in the JSON file
  std::string description;
  nn::Architecture architecture;
};

// (b): input -> dense(4) -> x^2 -> dense(4) -> x^2 -> dense(1), built as theorem21 builds (a).
nn::Architecture square_mlp_1_4_4_1() {
  nn::Architecture a;
  auto h = a.input(Shape{1});
  h = a.activation(a.dense(h, 4), nn::Activation::Square);
  h = a.activation(a.dense(h, 4), nn::Activation::Square);
  a.dense(h, 1);
  return a;
}

// n distinct nonzero integers in [-b, b], b = max(10, n) (at least 2n candidates), from
// splitmix64 stream `seed` with rejection of repeats: one input per row, shape [n, 1].
netdim::Tensor<Rational> distinct_integer_inputs(std::size_t n, std::uint64_t seed) {
  const auto b = static_cast<std::int64_t>(std::max<std::size_t>(10, n));
  netdim::Tensor<Rational> x = netdim::Tensor<Rational>::from_shape({n, 1});
  std::set<std::int64_t> seen;
  for (std::uint64_t draw = 0, i = 0; i < n; ++draw) {
    const auto k = static_cast<std::int64_t>(bench::uniform_at(seed, draw) * double(2 * b));  // 0 .. 2b-1
    const std::int64_t v = k < b ? k - b : k - b + 1;                                       // skips 0
    if (seen.insert(v).second) x.data()[i++] = Rational(static_cast<long>(v));
  }
  return x;
}

// sum over entries of (i*cols + j + 1) * J[i, j] mod p, a/b read as a * b^-1 mod p.
std::uint64_t fingerprint(const netdim::Tensor<Rational>& j) {
  mpz_t num, den, p;
  mpz_inits(num, den, p, nullptr);
  mpz_set_ui(p, kFingerprintPrime);
  std::uint64_t sum = 0;
  for (std::size_t k = 0; k < j.size(); ++k) {
    mpz_mod(num, mpq_numref(j.data()[k].get_mpq()), p);
    mpz_set(den, mpq_denref(j.data()[k].get_mpq()));
    if (mpz_invert(den, den, p) == 0) bench::fail(kProgram, "a denominator of Jn is divisible by 2^31 - 1");
    const std::uint64_t value = mpz_get_ui(num) * mpz_get_ui(den) % kFingerprintPrime;
    const std::uint64_t weight = (k + 1) % kFingerprintPrime;  // row-major: i * cols + j + 1
    sum = (sum + weight * value % kFingerprintPrime) % kFingerprintPrime;
  }
  mpz_clears(num, den, p, nullptr);
  return sum;
}

void write_json_list(std::ofstream& out, const Rational* values, std::size_t n) {
  out << '[';
  for (std::size_t k = 0; k < n; ++k) out << (k ? "," : "") << '"' << values[k].str() << '"';
  out << ']';
}

// One network's point and Jn as {"theta": [...], "inputs": [...], "jn": [[...], ...]}, entries "p" or "p/q".
void write_problem(std::ofstream& out, const netdim::Tensor<Rational>& theta, const netdim::Tensor<Rational>& x,
                   const netdim::Tensor<Rational>& jn) {
  out << "{\"theta\": ";
  write_json_list(out, theta.data(), theta.size());
  out << ",\n \"inputs\": ";
  write_json_list(out, x.data(), x.size());
  out << ",\n \"jn\": [";
  const std::size_t rows = jn.shape()[0], cols = jn.shape()[1];
  for (std::size_t i = 0; i < rows; ++i) {
    out << (i ? ",\n  " : "\n  ");
    write_json_list(out, jn.data() + i * cols, cols);
  }
  out << "]}";
}

}  // namespace

int main(int argc, char** argv) try {
  const double budget = bench::seconds_option(kProgram, argc, argv);
  const char* tmpdir = std::getenv("BENCH_TMPDIR");
  if (!tmpdir || !*tmpdir)
    bench::usage_error(kProgram, "BENCH_TMPDIR is not set: run `bench/run psd`, or set BENCH_TMPDIR=DIR for both sides");
  const std::string path = std::string(tmpdir) + "/psd_matrices.json";
  std::ofstream out(path);
  if (!out) bench::fail(kProgram, "cannot write " + path);

  const std::vector<Network> networks{
      {"height1_depth8", "height-1 x^2 network, 8 hidden layers (theorem21 depth 8)", analysis::height_one_network(8, 2)},
      {"mlp_1_4_4_1", "1-4-4-1 x^2 network", square_mlp_1_4_4_1()}};
  std::printf("problem=netdim psd, one draw at a fixed point (Jn over Q + exact rank), of: %s; %s\n",
              networks[0].description.c_str(), networks[1].description.c_str());

  double median_sum = 0, min_sum = 0;
  out << "{";
  for (std::size_t k = 0; k < networks.size(); ++k) {
    const Network& net = networks[k];
    const std::size_t m = net.architecture.parameter_count();
    // As theorem21: n = max(m, deg_x + 1) inputs, so Jn has the coefficient Jacobian's rank.
    const std::size_t n = std::max(m, analysis::network_degree(net.architecture).x + 1);
    analysis::PsdOptions options;
    options.parameters = analysis::random_integer_point(m, options.parameter_bound, kSeedTheta);
    options.inputs = distinct_integer_inputs(n, kSeedInput);

    const analysis::PsdResult first = analysis::psd(net.architecture, options);
    const bench::Timing t = bench::time_steps(budget, [&] { return analysis::psd(net.architecture, options); }, 1, 3);

    // The matrix psd ranked, for the other side: formed again and checked against psd's rank.
    // Where psd's time goes, from this one untimed-loop pass: forming Jn, then its rank.
    const auto start = clock::now();
    const nn::Model<Rational> model(net.architecture);
    const netdim::Tensor<Rational> jn =
        analysis::reference_jacobian(model, *options.parameters, *options.inputs, analysis::OutputReduction::first());
    const double form_s = since(start);
    const auto rank_start = clock::now();
    const std::size_t rank = analysis::exact_rank(jn);
    const double rank_s = since(rank_start);
    if (rank != first.psd)
      bench::fail(kProgram, net.name + ": exact_rank of Jn is " + std::to_string(rank) + " but psd reported " +
                                std::to_string(first.psd));
    out << (k ? ",\n" : "\n") << '"' << net.name << "\": ";
    write_problem(out, *options.parameters, *options.inputs, jn);

    std::printf("[%s] parameters=%zu points=%zu rank=%zu median %.3f ms, ", net.name.c_str(), m, n, first.psd,
                t.median() * 1e3);
    bench::print_iterations(t);
    std::printf("[%s] of which forming Jn %.3f ms, exact_rank %.3f ms (one pass each)\n", net.name.c_str(),
                form_s * 1e3, rank_s * 1e3);
    // Extra, not in the ratio: the same draw with --modular (rank mod a 61-bit prime, a certified lower bound).
    analysis::PsdOptions modular = options;
    modular.modular = true;
    const bench::Timing tm = bench::time_steps(budget / 4, [&] { return analysis::psd(net.architecture, modular); }, 1, 3);
    std::printf("[%s] extra, not in the ratio: psd --modular median %.3f ms, rank %zu\n", net.name.c_str(),
                tm.median() * 1e3, analysis::psd(net.architecture, modular).psd);
    std::printf("check_rank_%s=%zu\n", net.name.c_str(), first.psd);
    std::printf("check_jn_mod_p_%s=%llu\n", net.name.c_str(), static_cast<unsigned long long>(fingerprint(jn)));
    std::printf("netdim_seconds_%s=%.6e\n", net.name.c_str(), t.median());
    median_sum += t.median();
    min_sum += t.min();
  }
  out << "\n}\n";
  out.close();
  if (!out) bench::fail(kProgram, "writing " + path + " failed");
  std::printf("matrices=%s\n", path.c_str());
  std::printf("peak_rss_mb=%.1f\n", bench::peak_rss_mb());
  // The ratio's numerator: both networks' psd, one draw each.
  std::printf("netdim_min_seconds=%.6e\n", min_sum);
  std::printf("netdim_seconds=%.6e\n", median_sum);
  return 0;
} catch (const std::exception& e) {
  bench::fail(kProgram, e.what());
}
