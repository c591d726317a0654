// The exact answer to "how many dimensions?" for one network, as `netdim dims` gives it: the
// PSD over Q (analysis/exact/psd.hpp) where the network is small enough, modular (Z/p) where
// it is larger but within reach, and otherwise no exact answer with the reason why.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "netdim/analysis/exact/psd.hpp"

namespace netdim::analysis {

struct ExactAnswer {
  std::optional<PsdResult> psd;
  std::string reason;  // when there is no psd: a not-exact layer, too many parameters, or a stop
  bool interrupted = false;  // a stop ended the draws (with psd: it covers those finished)
};

// Exact over Q up to kMaxExactParameters, mod p up to kMaxModularParameters, else none.
// `stop_requested` (may be empty) ends the draws early; the answer covers those finished, and is
// none (with the reason) when the first draw did not finish.
ExactAnswer exact_answer(const nn::Architecture& a, std::size_t draws, std::uint64_t seed,
                         std::function<bool()> stop_requested = {});

}  // namespace netdim::analysis
