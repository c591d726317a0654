// Modular: an element of Z/p for the fixed Mersenne prime p = 2^61 - 1, as a plain
// value type the tape can carry.
//
// A polynomial network evaluated at integer points has integer values and
// derivatives, so reducing every operation mod p gives the Jacobian mod p directly,
// in one machine word per entry instead of a GMP rational whose limbs grow with
// depth. Only the ring operations and division exist: Z/p has no order compatible
// with + and *, so there is no comparison, and relu, abs or max pooling (which
// compare) are not admitted for Modular (autodiff/scalar.hpp).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "netdim/autodiff/rational.hpp"

namespace netdim {

// GCC's 128-bit integers, for the products of two residues (__extension__: not ISO C++).
__extension__ typedef unsigned __int128 ModularWide;
__extension__ typedef __int128 ModularSignedWide;

class Modular {
 public:
  static constexpr std::uint64_t kPrime = 2305843009213693951ULL;  // 2^61 - 1

  constexpr Modular() = default;
  Modular(int v) : Modular(static_cast<long long>(v)) {}   // NOLINT: implicit, so 3 * x reads naturally
  Modular(long v) : Modular(static_cast<long long>(v)) {}  // NOLINT
  Modular(long long v);                                    // NOLINT: negative v maps to p - |v| mod p
  explicit Modular(const Rational& r);  // a * b^-1 mod p; throws std::domain_error when p divides b

  // The element whose representative is v mod p (v may be any uint64).
  static Modular from_residue(std::uint64_t v);

  Modular& operator+=(const Modular& o) {
    value_ += o.value_;  // both < 2^61, so no overflow
    if (value_ >= kPrime) value_ -= kPrime;
    return *this;
  }
  Modular& operator-=(const Modular& o) {
    value_ = value_ >= o.value_ ? value_ - o.value_ : value_ + kPrime - o.value_;
    return *this;
  }
  Modular& operator*=(const Modular& o) {
    value_ = reduce(static_cast<ModularWide>(value_) * o.value_);
    return *this;
  }
  Modular& operator/=(const Modular& o);  // throws std::domain_error on division by zero

  friend Modular operator+(Modular a, const Modular& b) { return a += b; }
  friend Modular operator-(Modular a, const Modular& b) { return a -= b; }
  friend Modular operator*(Modular a, const Modular& b) { return a *= b; }
  friend Modular operator/(Modular a, const Modular& b) { return a /= b; }
  friend Modular operator-(const Modular& a) { return from_reduced(a.value_ == 0 ? 0 : kPrime - a.value_); }
  friend Modular operator+(const Modular& a) { return a; }

  friend bool operator==(const Modular& a, const Modular& b) { return a.value_ == b.value_; }
  friend bool operator!=(const Modular& a, const Modular& b) { return a.value_ != b.value_; }

  // The multiplicative inverse (Fermat: a^(p-2)); throws std::domain_error for zero.
  Modular inverse() const;
  // The representative in [0, p).
  std::uint64_t residue() const { return value_; }
  std::string str() const;  // the representative, in decimal

 private:
  static Modular from_reduced(std::uint64_t v) {
    Modular m;
    m.value_ = v;
    return m;
  }
  // x mod p for x < 2^122 (a product of two residues): 2^61 = 1 mod p, so the high
  // bits fold onto the low ones.
  static std::uint64_t reduce(ModularWide x) {
    std::uint64_t r = static_cast<std::uint64_t>(x & kPrime) + static_cast<std::uint64_t>(x >> 61);
    r = (r & kPrime) + (r >> 61);
    return r >= kPrime ? r - kPrime : r;
  }

  std::uint64_t value_ = 0;
};

std::ostream& operator<<(std::ostream& os, const Modular& m);

}  // namespace netdim
