#include "netdim/cli/reduce_option.hpp"

namespace netdim::cli {

CLI::Validator reduction_validator(bool allow_mean) {
  const std::string names = allow_mean ? "first|sum_squares|stack|mean|output:K" : "first|sum_squares|stack|output:K";
  return CLI::Validator(
      [allow_mean, names](const std::string& s) -> std::string {
        if (s == "first" || s == "sum_squares" || s == "stack" || (allow_mean && s == "mean")) return "";
        if (s.rfind("output:", 0) == 0 && s.size() > 7 && s.size() <= 16 &&
            s.find_first_not_of("0123456789", 7) == std::string::npos)
          return "";
        return "must be one of " + names + ", got '" + s + "'";
      },
      names);
}

analysis::SpanningReduction reduction_named(const std::string& name) {
  using analysis::OutputReduction;
  if (name == "mean") return analysis::SpanningReduction::mean();
  if (name == "sum_squares") return {OutputReduction::sum_squares(), false};
  if (name == "stack") return {OutputReduction::stack(), false};
  if (name.rfind("output:", 0) == 0) return {OutputReduction::per_output(std::stoull(name.substr(7))), false};
  return {OutputReduction::first(), false};
}

}  // namespace netdim::cli
