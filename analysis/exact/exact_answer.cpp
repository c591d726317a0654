#include "netdim/analysis/exact/exact_answer.hpp"

#include "netdim/analysis/exact/network_degree.hpp"

namespace netdim::analysis {

ExactAnswer exact_answer(const nn::Architecture& a, std::size_t draws, std::uint64_t seed,
                         std::function<bool()> stop_requested) {
  const NetworkDegree degree = network_degree(a);
  const std::size_t m = a.parameter_count();
  if (degree.exactness == Exactness::NotExact)
    return {std::nullopt, degree.culprit + " is not exact at rational points: no exact rank"};
  if (m > kMaxModularParameters)
    return {std::nullopt, std::to_string(m) + " parameters are more than exact rank handles here (" +
                              std::to_string(kMaxModularParameters) + ", mod p)"};
  PsdOptions options;
  options.draws = draws;
  options.seed = seed;
  options.modular = m > kMaxExactParameters;
  options.stop_requested = std::move(stop_requested);
  PsdResult r = psd(a, options);
  if (r.ranks.empty()) return {std::nullopt, "interrupted before the first exact draw finished: no exact rank", true};
  const bool interrupted = r.interrupted;
  return {std::move(r), "", interrupted};
}

}  // namespace netdim::analysis
