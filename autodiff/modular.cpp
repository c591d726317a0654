#include "netdim/autodiff/modular.hpp"

#include <ostream>
#include <stdexcept>

namespace netdim {

Modular::Modular(long long v) {
  // In 128 bits, so |INT64_MIN| is no special case.
  const ModularSignedWide r = static_cast<ModularSignedWide>(v) % static_cast<ModularSignedWide>(kPrime);
  value_ = static_cast<std::uint64_t>(r < 0 ? r + kPrime : r);
}

Modular::Modular(const Rational& r) {
  mpz_srcptr num = mpq_numref(r.get_mpq()), den = mpq_denref(r.get_mpq());
  // mpz_fdiv_ui: the remainder of floor division, in [0, p) for negative numerators too.
  const std::uint64_t b = mpz_fdiv_ui(den, kPrime);
  if (b == 0) throw std::domain_error("Modular: the denominator of " + r.str() + " is divisible by p = 2^61 - 1");
  *this = from_reduced(mpz_fdiv_ui(num, kPrime)) / from_reduced(b);
}

Modular Modular::from_residue(std::uint64_t v) { return from_reduced(v % kPrime); }

Modular Modular::inverse() const {
  if (value_ == 0) throw std::domain_error("Modular: division by zero");
  Modular result = 1, base = *this;
  for (std::uint64_t e = kPrime - 2; e > 0; e >>= 1) {
    if (e & 1) result *= base;
    base *= base;
  }
  return result;
}

Modular& Modular::operator/=(const Modular& o) { return *this *= o.inverse(); }

std::string Modular::str() const { return std::to_string(value_); }

std::ostream& operator<<(std::ostream& os, const Modular& m) { return os << m.str(); }

}  // namespace netdim
