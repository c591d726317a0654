// The --reduce option of the Jacobian commands: how a network with several
// outputs gives one function g per input (seed 003, section 3.2).
//   first        g = f_0 (the default: the cheapest)
//   sum_squares  g = sum_k f_k^2
//   stack        every output a row of its own (k rows per input)
//   output:K     g = f_K (0-based)
//   mean         one Jacobian per output, their spanning dimensions averaged (esd only)
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "netdim/analysis/spectral/esd.hpp"

namespace netdim::cli {

// Accepts the names above; `mean` only when allow_mean.
CLI::Validator reduction_validator(bool allow_mean);

// The reduction a validated name stands for.
analysis::SpanningReduction reduction_named(const std::string& name);

}  // namespace netdim::cli
