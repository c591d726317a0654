// The arithmetic mean of a set of values, summed in order (so the same values give the
// same bits), and NaN for no values at all: the ESD of a network is the mean of its
// spanning-dimension samples (seed 003, Algorithm 1).
#pragma once

#include <span>

namespace netdim::analysis {

double mean_of(std::span<const double> values);

}  // namespace netdim::analysis
