// Reading a numeric .npy file a subcommand was given (--inputs, --params): the
// array as float64, every entry finite, or one line naming the option and the file.
#pragma once

#include <string>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::cli {

// Throws data::DataError for a bad file, std::invalid_argument for a NaN or infinite entry.
Tensor<double> read_finite_npy(const std::string& path, const std::string& option);

}  // namespace netdim::cli
