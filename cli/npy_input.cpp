#include "netdim/cli/npy_input.hpp"

#include <cmath>
#include <stdexcept>

#include "netdim/nn/data/npy.hpp"

namespace netdim::cli {

Tensor<double> read_finite_npy(const std::string& path, const std::string& option) {
  Tensor<double> values = data::read_npy<double>(path);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values.data()[i]))
      throw std::invalid_argument(option + ": " + path + ": entry " + std::to_string(i) + " is not finite");
  return values;
}

}  // namespace netdim::cli
