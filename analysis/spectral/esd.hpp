// The expected spanning dimension (seed 003, section 3.4, Algorithm 1): for each of
// lambda samples, draw the parameters and n inputs, form the per-example Jacobian J
// (n x m), and take its effective rank, the spanning dimension (SD); the ESD is the
// mean SD. The paper publishes no sampling protocol, so every choice is a field of
// EsdProtocol with a stated default.
//
// How one sample is computed (the cheapest route to the same singular values):
//   - n rows <= m columns: the structured Gram J J^T from per-layer factors, never
//     J itself (analysis/jacobian/structured_gram.hpp), then its eigenvalues;
//   - n rows > m columns: J from one batched sweep, then its SVD;
//   - `columns` K > 0: J, then K of its m columns at random (section 6's memory
//     saving), then the Gram or the SVD of that n x K matrix, whichever is smaller.
//
// The Gram route cannot resolve singular values below about sqrt(n eps) s_max
// (their squares drown in the Gram's rounding; effective_rank.hpp): on tanh and
// sigmoid networks, whose spectra run down to 1e-10 s_max, it gives SDs about 1e-6
// (relative) below the SVD of J. Float32 (`precision`) moves that floor to
// sqrt(n 1.2e-7) s_max: SDs about 1e-2 (relative) below float64 on such networks.
//
// Sample k draws everything from its own stream, seeded with (seed, k), so a
// sample's value does not depend on which thread computed it or on the samples
// before it. Samples run side by side on `threads` threads, each with
// single-threaded BLAS: the result is bitwise the same at any thread count.
// A single sample (the spectrum) gives its threads to BLAS instead. Under mpirun
// the samples are also split over the ranks, in rounds, and gathered on rank 0
// (parallel/ranks.hpp), whose result is then one process's; the other ranks get an
// empty sd.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/jacobian/reference_jacobian.hpp"
#include "netdim/analysis/spectral/sample_summary.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::analysis {

// Where the n inputs of a sample come from.
enum class InputDistribution {
  Uniform,  // every entry uniform on [-1, 1] (the default)
  Sign,     // every entry -1 or 1 with equal probability: seed 003, section 3.3
  Normal,   // every entry standard normal
  Data,     // n distinct rows drawn without replacement from given data (real inputs)
};
std::string input_distribution_name(InputDistribution d);

// One Jacobian per sample (`single`), or, with `mean_over_outputs`, one per output
// (per_output(c) for each of the k outputs) with their SDs averaged (section 3.2).
struct SpanningReduction {
  OutputReduction single = OutputReduction::first();
  bool mean_over_outputs = false;
  static SpanningReduction mean() { return {OutputReduction::first(), true}; }
  std::string name() const;  // "first", "sum_squares", "stack", "output:2", "mean"
};

enum class Precision { Float64, Float32 };

inline constexpr std::size_t kDefaultPointCap = 500;
inline constexpr std::size_t kMinSamplesForStderr = 5;

struct EsdProtocol {
  std::size_t samples = 100;               // lambda; with until_stderr, the most samples to take
  std::size_t points = 0;                  // n; 0: min(m, kDefaultPointCap)
  std::optional<nn::Initializer> init;     // replaces every dense/conv initialiser; none: the network's own
                                           // (PyTorch's defaults unless the .net sets one); batch norm keeps its own
  InputDistribution inputs = InputDistribution::Uniform;
  std::optional<Tensor<double>> data;      // Data: [N, input...], N >= n
  // Given ([m], a trained model's): every sample at these parameters, only its inputs drawn.
  // None: each sample draws its parameters from the initialisers (the ESD of seed 003).
  std::optional<Tensor<double>> parameters;
  std::string parameters_source;           // where the given parameters came from (a path), for reports
  std::string data_source;                 // where the data came from (a path), for reports
  SpanningReduction reduce;
  std::size_t columns = 0;                 // K > 0: a random K of J's m columns per sample
  Precision precision = Precision::Float64;
  std::uint64_t seed = 0;
  std::size_t threads = 1;                 // samples computed side by side
  double until_stderr = 0;                 // > 0: stop at the first count >= kMinSamplesForStderr whose
                                           // standard error is at most this (or at `samples`)
  bool single_process = false;             // under mpirun, compute every sample here instead of splitting
                                           // them over the ranks (a sweep already splits its networks)
};

// n for this protocol and a network of m parameters.
std::size_t points_for(const EsdProtocol& protocol, std::size_t parameters);

// Throws std::invalid_argument (or ShapeError for data of the wrong shape) with a
// one-line cause for a protocol the network cannot run: no parameters, zero samples
// or points, more columns than parameters, data missing, too short or of the wrong
// shape, a per_output index past the outputs, a non-finite or negative until_stderr.
void validate_protocol(const nn::Architecture& architecture, const EsdProtocol& protocol);

struct SpanningSample {
  double sd = 0;                        // the effective rank (the mean over outputs for `mean`)
  std::vector<double> singular_values;  // descending; for `mean`, the first output's
  std::size_t rows = 0, columns = 0;    // of the matrix whose singular values these are
};

// The parameters and inputs sample `index` draws (float64), for checking a sample
// against an independent computation. Validates first.
struct SamplePoint {
  Tensor<double> theta, inputs;
};
SamplePoint sample_point(const nn::Architecture& architecture, const EsdProtocol& protocol, std::size_t index);

// Sample `index` of the protocol (its own stream), BLAS on `threads` threads (with
// threads = 1, bitwise the sample expected_spanning_dimension computes). Validates first.
SpanningSample spanning_sample(const nn::Architecture& architecture, const EsdProtocol& protocol, std::size_t index);

struct EsdResult {
  std::vector<double> sd;      // per sample, in sample order (a prefix 0..k-1 of the samples)
  SampleSummary summary;       // of sd
  std::size_t parameters = 0, points = 0;
  bool interrupted = false;    // stopped by the caller's stop request; sd holds the samples finished
  bool reached_stderr = false; // until_stderr > 0 and the standard error got to it
};

struct EsdCallbacks {
  // Polled between samples; true stops after the samples already running finish.
  std::function<bool()> stop_requested;
  // Called on the calling thread each time the finished prefix grows: its values so far.
  std::function<void(const std::vector<double>& sd)> progress;
};

// Algorithm 1. Validates first. Throws what a sample throws (the first one, after the
// running samples end). Zero finished samples (stopped at once) leaves summary empty
// (count 0).
EsdResult expected_spanning_dimension(const nn::Architecture& architecture, const EsdProtocol& protocol,
                                      const EsdCallbacks& callbacks = {});

}  // namespace netdim::analysis
