// Integer arithmetic that reports overflow instead of wrapping: the language's
// constants and every size computed from them go through these.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

namespace netdim::dsl {

inline std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::int64_t> checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
// Non-negative exponents only; the caller reports negative ones.
inline std::optional<std::int64_t> checked_pow(std::int64_t base, std::int64_t exponent) {
  std::int64_t r = 1;
  for (std::int64_t i = 0; i < exponent; ++i) {
    if (__builtin_mul_overflow(r, base, &r)) return std::nullopt;
    if (r == 0 || r == 1) break;  // further factors change nothing (base 0 or 1)
    if (r == -1 && base == -1) return (exponent % 2) ? -1 : 1;
  }
  return r;
}
inline std::optional<std::size_t> checked_mul(std::size_t a, std::size_t b) {
  std::size_t r;
  if (__builtin_mul_overflow(a, b, &r)) return std::nullopt;
  return r;
}
inline std::optional<std::size_t> checked_add(std::size_t a, std::size_t b) {
  std::size_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

}  // namespace netdim::dsl
