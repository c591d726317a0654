// Rational: an exact rational number as a plain value type.
//
// GMP's mpq_class uses expression templates that do not compose with xtensor's
// reducers, so this wraps the C type mpq_t behind ordinary value semantics.
// Every result is canonical (reduced, positive denominator).
#pragma once

#include <gmp.h>

#include <cstdint>
#include <iosfwd>
#include <string>

namespace netdim {

class Rational {
 public:
  Rational();
  Rational(int v);                   // NOLINT: implicit, so 3 * x reads naturally
  Rational(long v);                  // NOLINT
  Rational(long long v);             // NOLINT
  Rational(std::int64_t num, std::int64_t den);
  explicit Rational(double v);       // exact binary value of the double
  explicit Rational(const std::string& text);  // "p/q" or "p"
  Rational(const Rational& other);
  Rational(Rational&& other) noexcept;
  Rational& operator=(const Rational& other);
  Rational& operator=(Rational&& other) noexcept;
  ~Rational();

  Rational& operator+=(const Rational& o);
  Rational& operator-=(const Rational& o);
  Rational& operator*=(const Rational& o);
  Rational& operator/=(const Rational& o);  // throws std::domain_error on division by zero

  friend Rational operator+(Rational a, const Rational& b) { return a += b; }
  friend Rational operator-(Rational a, const Rational& b) { return a -= b; }
  friend Rational operator*(Rational a, const Rational& b) { return a *= b; }
  friend Rational operator/(Rational a, const Rational& b) { return a /= b; }
  friend Rational operator-(const Rational& a);
  friend Rational operator+(const Rational& a) { return a; }

  friend bool operator==(const Rational& a, const Rational& b);
  friend bool operator!=(const Rational& a, const Rational& b) { return !(a == b); }
  friend bool operator<(const Rational& a, const Rational& b);
  friend bool operator>(const Rational& a, const Rational& b) { return b < a; }
  friend bool operator<=(const Rational& a, const Rational& b) { return !(b < a); }
  friend bool operator>=(const Rational& a, const Rational& b) { return !(a < b); }

  int sign() const;
  bool is_integer() const;
  double to_double() const;
  explicit operator double() const { return to_double(); }
  std::string str() const;           // "p/q", or "p" for integers
  std::string numerator_str() const;
  std::string denominator_str() const;

  // Direct access for code that talks to GMP or FLINT.
  mpq_srcptr get_mpq() const { return value_; }
  mpq_ptr get_mpq() { return value_; }

 private:
  mpq_t value_;
};

std::ostream& operator<<(std::ostream& os, const Rational& r);
Rational abs(const Rational& r);

}  // namespace netdim
