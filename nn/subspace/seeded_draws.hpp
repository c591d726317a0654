// The random draws every projection is built from, taken from the raw 64-bit
// output of mt19937_64 (whose output the standard fixes) rather than from the
// standard distributions (whose algorithms it does not): the same (seed, D, d)
// gives the same projection with any standard library (the Gaussians up to the
// last bits of the C library's log, sin and cos).
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace netdim::nn::subspace {

class SeededDraws {
 public:
  explicit SeededDraws(std::uint64_t seed) : rng_(seed) {}
  // Uniform in [0, 1) from the top 53 bits.
  double unit() { return double(rng_() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe under a logarithm.
  double positive_unit() { return 1.0 - unit(); }
  // Standard normal by Box-Muller, both values of each pair used.
  double gaussian() {
    if (spare_) {
      spare_ = false;
      return spare_value_;
    }
    const double r = std::sqrt(-2.0 * std::log(positive_unit())), angle = 2 * std::numbers::pi * unit();
    spare_value_ = r * std::sin(angle);
    spare_ = true;
    return r * std::cos(angle);
  }
  // +1 or -1 with equal probability.
  double sign() { return (rng_() >> 63) ? 1.0 : -1.0; }
  // Uniform in [0, bound) without modulo bias: reject the 2^64 mod bound lowest outputs.
  std::uint64_t below(std::uint64_t bound) {
    const std::uint64_t threshold = (0 - bound) % bound;
    for (;;) {
      const std::uint64_t x = rng_();
      if (x >= threshold) return x % bound;
    }
  }

 private:
  std::mt19937_64 rng_;
  bool spare_ = false;
  double spare_value_ = 0;
};

}  // namespace netdim::nn::subspace
