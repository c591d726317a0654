// The polynomial spanning dimension (seed 003, sections 2.2 and 3.1), exactly.
//
// The PSD of a polynomial network is the generic rank of its coefficient Jacobian
// dP/dtheta, which equals the generic rank of Jn[i, j] = dN(x_i)/dtheta_j at n >= m
// distinct inputs (m parameters; equation 7, Jn = V Jc, V of full column rank when
// n >= deg + 1). psd() evaluates Jn exactly over Q (the Rational tape) at several
// random integer parameter points and takes its exact rank (FLINT). The rank at any
// point is at most the generic rank, so the maximum over draws is a certified lower
// bound of the PSD at these inputs; it is the PSD unless every draw hit a zero of a
// minor, which Schwartz-Zippel bounds:
//
//   If the generic rank exceeded r, some (r+1) x (r+1) minor of Jn would be a nonzero
//   polynomial in theta. Jn's entries have total degree <= D - 1 in theta, D the
//   network's degree in theta (network_degree.hpp: +1 per affine layer, x K per
//   activation of degree K; doubled for the sum_squares reduction), so the minor has
//   degree <= (r+1)(D-1). With theta's m entries independent and uniform on
//   S = [-B, B] \ {0} (|S| = 2B), it vanishes at one draw with probability
//   <= (r+1)(D-1) / 2B, and at all k independent draws with probability
//
//     P(generic rank > psd) <= min(1, ((psd+1)(D-1) / 2B)^k)      (0 when psd = min(rows, m)).
//
// The inputs are drawn once (distinct, integers) and kept for every draw, so the
// statement is about the generic rank at these inputs: the PSD proper for one-input
// polynomial networks with n >= deg_x + 1, the spanning dimension at these points
// otherwise.
//
// Piecewise-linear networks (relu, leaky_relu, relu6, max pooling) are exact at rational
// points too, but no single polynomial: psd() reports the distribution of exact ranks
// over the draws and no probability. Networks with a non-exact activation are
// refused, pointing to `netdim esd`.
//
// modular: the rank of Jn mod the prime p = 2^61 - 1 (nmod_mat_rank) instead of over
// Q. It is a certified lower bound of the rank over Q at that point (a minor nonzero
// mod p is nonzero over Q), so the maximum over draws is still a certified lower
// bound of the PSD; it equals the exact rank unless p divides every maximal nonzero
// minor. For a polynomial network Jn is formed over Z/p directly: the same integer
// inputs and parameters, as Modular scalars (autodiff/modular.hpp), in one batched
// sweep (batched_jacobian); its entries are polynomials with integer coefficients in
// integer arguments, so this is exactly the integer Jn reduced mod p, at one machine
// word per entry instead of a GMP rational. A piecewise-linear network cannot be
// evaluated mod p (relu and max compare, and Z/p has no order), so for it Jn is formed
// over Q and reduced (PsdResult::jacobian_mod_p is false, and the report says so).
// The probability bound then reads over F_p (S maps into F_p injectively, 2B < p) and
// assumes the minor is not identically zero mod p, i.e. p does not divide all of its
// integer coefficients.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/analysis/jacobian/reference_jacobian.hpp"

namespace netdim::analysis {

// Size limits, so a request that would run for minutes or exhaust memory is refused
// up front. Over Q, fmpz_mat_rank's fraction-free elimination on an n x m integer
// matrix costs O(m^3) operations on integers that grow to m times the entry size.
// Measured (2 shared cores): x^2 networks, m = 235: 1 s; m = 433 (rank 153): 5 s
// over Q against 0.07 s mod p; m = 1051 (rank 15): 35 s over Q against 0.3 s mod p.
// Mod p, a polynomial network's Jn is formed over Z/p in one batched sweep (one word
// per entry: 134 MB at m = 4096) and eliminated in O(n m r) word operations, r the
// rank. Measured (2 shared cores, one draw): m = 1051 (rank 15): 0.5 s wall, 0.14 s
// CPU; m = 3901 (rank 15): 5 s, 1.6 s CPU; m = 4049 (rank 3059): 36 s, 17 s CPU, so
// 5 draws near the limit take about 3 minutes. A piecewise-linear network under
// --modular still forms Jn over Q (batched: 3 s wall, 1.3 s CPU per draw for the relu
// 2-30-30-1 network, rank 345; at m = 4096 about 1 GB of GMP limbs).
inline constexpr std::size_t kMaxExactParameters = 256;
inline constexpr std::size_t kMaxModularParameters = 4096;
inline constexpr std::uint64_t kPsdPrime = Modular::kPrime;  // 2^61 - 1, a Mersenne prime

struct PsdOptions {
  std::size_t draws = 5;                  // random parameter points
  std::uint64_t seed = 0;                 // the one stream for inputs, then each draw's theta
  std::int64_t parameter_bound = 1000;    // B: theta uniform on [-B, B] \ {0}
  std::int64_t input_bound = 10;          // inputs' entries in [-Bx, Bx] \ {0}, Bx doubled until there
                                          // are at least 2n distinct candidates
  std::size_t points = 0;                 // n; 0 means m (the parameter count)
  bool modular = false;
  std::uint64_t prime = kPsdPrime;        // another prime forms Jn over Q and reduces it (Modular is mod kPsdPrime)
  OutputReduction reduce = OutputReduction::first();
  std::optional<Tensor<Rational>> parameters;  // a fixed theta: one draw at that point, no probability
  std::optional<Tensor<Rational>> inputs;      // fixed inputs [n, input...]
  // Polled before each draw and between pieces of each Jn (Ctrl-C): true ends the draws, and the
  // result covers those finished (PsdResult::interrupted; no rank at all if the first did not finish).
  std::function<bool()> stop_requested;
};

struct PsdResult {
  std::size_t psd = 0;                   // the maximum rank over the draws
  std::vector<std::size_t> ranks;        // each draw's rank, in draw order
  std::vector<std::size_t> reached;      // indices of the draws whose rank is psd
  std::size_t parameters = 0;            // m
  std::size_t points = 0;                // n
  std::size_t rows = 0;                  // rows of Jn (n, or n * outputs for stack)
  NetworkDegree degree;
  std::size_t minor_degree_per_row = 0;  // D - 1 (D doubled for sum_squares)
  std::size_t set_size = 0;              // |S| = 2B
  // P(generic rank > psd) by Schwartz-Zippel; absent for piecewise networks and fixed parameters.
  std::optional<double> probability_bound;
  bool modular = false;
  std::uint64_t prime = 0;
  bool jacobian_mod_p = false;           // Jn formed over Z/p (modular and polynomial), not over Q
  bool fixed_parameters = false;         // one draw at the parameters given
  bool fixed_inputs = false;             // the inputs given, not drawn
  bool interrupted = false;              // stop_requested ended the draws early: ranks has fewer
                                         // (none, and psd 0, when the first draw did not finish)
};

// Throws std::invalid_argument for a network that is not exact, has no parameters,
// exceeds the size limit, for zero draws, fewer points than parameters, a bound
// below 1, or inputs that are not distinct; ShapeError for parameters or inputs of
// the wrong shape.
PsdResult psd(const nn::Architecture& architecture, const PsdOptions& options = {});

// m integers uniform on [-bound, bound] \ {0} from a stream seeded with `seed`.
Tensor<Rational> random_integer_point(std::size_t m, std::int64_t bound, std::uint64_t seed);

// The Schwartz-Zippel bound above, for callers that report it.
double schwartz_zippel_bound(std::size_t rank, std::size_t rows, std::size_t parameters,
                             std::size_t minor_degree_per_row, std::size_t set_size, std::size_t draws);

}  // namespace netdim::analysis
