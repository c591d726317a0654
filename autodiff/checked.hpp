// Integer arithmetic that never wraps, in two forms:
//  - checked_mul / checked_add(a, b, what): sizes (std::size_t). Every product or sum of sizes
//    that comes from a user, a file or another size goes through these: a result that does not
//    fit is a ShapeError naming `what`, never a small wrapped number that later reads or writes
//    out of bounds;
//  - try_add / try_sub / try_mul / try_pow(a, b): any integer type; std::nullopt on overflow, for
//    callers that report it their own way (the language's constants, with a source location).
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string_view>

#include "netdim/autodiff/shape_error.hpp"

namespace netdim {

// Throws ShapeError "WHAT: A OP B overflows the size type".
[[noreturn]] void throw_size_overflow(std::string_view what, char op, std::size_t a, std::size_t b);

inline std::size_t checked_mul(std::size_t a, std::size_t b, std::string_view what) {
  std::size_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw_size_overflow(what, '*', a, b);
  return r;
}

inline std::size_t checked_add(std::size_t a, std::size_t b, std::string_view what) {
  std::size_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw_size_overflow(what, '+', a, b);
  return r;
}

template <std::integral I>
std::optional<I> try_add(I a, I b) {
  I r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
template <std::integral I>
std::optional<I> try_sub(I a, I b) {
  I r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
template <std::integral I>
std::optional<I> try_mul(I a, I b) {
  I r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
// base^exponent for exponent >= 0 (the caller reports negative ones), in at most 64 steps
// for any base other than 0, 1 and -1, which end at once.
template <std::integral I>
std::optional<I> try_pow(I base, I exponent) {
  I r = 1;
  for (I i = 0; i < exponent; ++i) {
    if (__builtin_mul_overflow(r, base, &r)) return std::nullopt;
    if (r == 0 || r == 1) break;  // further factors change nothing (base 0 or 1)
    if (r == -1 && base == -1) return (exponent % 2) ? I(-1) : I(1);
  }
  return r;
}

}  // namespace netdim
