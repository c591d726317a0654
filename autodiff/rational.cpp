#include "netdim/autodiff/rational.hpp"

#include <cmath>
#include <ostream>
#include <stdexcept>

namespace netdim {

Rational::Rational() { mpq_init(value_); }
Rational::Rational(int v) : Rational(static_cast<long>(v)) {}
Rational::Rational(long v) {
  mpq_init(value_);
  mpq_set_si(value_, v, 1);
}
Rational::Rational(long long v) : Rational(static_cast<long>(v)) {}

Rational::Rational(std::int64_t num, std::int64_t den) {
  if (den == 0) throw std::domain_error("Rational: zero denominator");
  mpq_init(value_);
  // Both parts go to GMP as they are and GMP moves the sign: negating in int64
  // first would be undefined for INT64_MIN (Rational(INT64_MIN, -1) is 2^63).
  mpz_set_si(mpq_numref(value_), num);
  mpz_set_si(mpq_denref(value_), den);
  mpq_canonicalize(value_);  // reduces and makes the denominator positive
}

Rational::Rational(double v) {
  if (!std::isfinite(v)) throw std::domain_error("Rational: cannot represent a non-finite double");
  mpq_init(value_);
  mpq_set_d(value_, v);
}

Rational::Rational(const std::string& text) {
  mpq_init(value_);
  if (text.empty() || mpq_set_str(value_, text.c_str(), 10) != 0) {
    mpq_clear(value_);
    throw std::invalid_argument("Rational: not a rational number: '" + text + "'");
  }
  if (mpz_sgn(mpq_denref(value_)) == 0) {
    mpq_clear(value_);
    throw std::domain_error("Rational: zero denominator in '" + text + "'");
  }
  mpq_canonicalize(value_);
}

Rational::Rational(const Rational& other) {
  mpq_init(value_);
  mpq_set(value_, other.value_);
}

Rational::Rational(Rational&& other) noexcept {
  mpq_init(value_);
  mpq_swap(value_, other.value_);
}

Rational& Rational::operator=(const Rational& other) {
  if (this != &other) mpq_set(value_, other.value_);
  return *this;
}

Rational& Rational::operator=(Rational&& other) noexcept {
  mpq_swap(value_, other.value_);
  return *this;
}

Rational::~Rational() { mpq_clear(value_); }

Rational& Rational::operator+=(const Rational& o) {
  mpq_add(value_, value_, o.value_);
  return *this;
}
Rational& Rational::operator-=(const Rational& o) {
  mpq_sub(value_, value_, o.value_);
  return *this;
}
Rational& Rational::operator*=(const Rational& o) {
  mpq_mul(value_, value_, o.value_);
  return *this;
}
Rational& Rational::operator/=(const Rational& o) {
  if (mpq_sgn(o.value_) == 0) throw std::domain_error("Rational: division by zero");
  mpq_div(value_, value_, o.value_);
  return *this;
}

Rational operator-(const Rational& a) {
  Rational r;
  mpq_neg(r.value_, a.value_);
  return r;
}

bool operator==(const Rational& a, const Rational& b) { return mpq_equal(a.value_, b.value_) != 0; }
bool operator<(const Rational& a, const Rational& b) { return mpq_cmp(a.value_, b.value_) < 0; }

int Rational::sign() const { return mpq_sgn(value_); }
bool Rational::is_integer() const { return mpz_cmp_ui(mpq_denref(value_), 1) == 0; }
double Rational::to_double() const { return mpq_get_d(value_); }

// Takes ownership of a string GMP allocated and frees it with GMP's allocator.
static std::string take_gmp_string(char* s) {
  std::string out(s);
  void (*freefunc)(void*, size_t);
  mp_get_memory_functions(nullptr, nullptr, &freefunc);
  freefunc(s, out.size() + 1);
  return out;
}

std::string Rational::str() const { return take_gmp_string(mpq_get_str(nullptr, 10, value_)); }
static std::string mpz_string(mpz_srcptr z) { return take_gmp_string(mpz_get_str(nullptr, 10, z)); }

std::string Rational::numerator_str() const { return mpz_string(mpq_numref(value_)); }
std::string Rational::denominator_str() const { return mpz_string(mpq_denref(value_)); }

std::ostream& operator<<(std::ostream& os, const Rational& r) { return os << r.str(); }

Rational abs(const Rational& r) { return r.sign() < 0 ? -r : r; }

}  // namespace netdim
