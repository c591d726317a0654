// The one error type for impossible shapes and sizes (its own header so that
// low-level pieces such as checked.hpp need not pull in xtensor).
#pragma once

#include <stdexcept>

namespace netdim {

// Thrown for every shape error; the message names the operation and the shapes.
class ShapeError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace netdim
