// Size arithmetic that never wraps. Every product or sum of sizes that comes
// from a user, a file or another size goes through these: a result that does
// not fit in std::size_t is a ShapeError naming `what`, never a small wrapped
// number that later reads or writes out of bounds.
#pragma once

#include <cstddef>
#include <string_view>

#include "autodiff/shape_error.hpp"

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

}  // namespace netdim
