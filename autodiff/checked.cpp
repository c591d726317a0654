#include "netdim/autodiff/checked.hpp"

#include <string>

namespace netdim {

void throw_size_overflow(std::string_view what, char op, std::size_t a, std::size_t b) {
  throw ShapeError(std::string(what) + ": " + std::to_string(a) + " " + op + " " + std::to_string(b) +
                   " overflows the size type (the sizes are implausible)");
}

}  // namespace netdim
