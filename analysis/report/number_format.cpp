#include "netdim/analysis/report/number_format.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>

namespace netdim::analysis::report {
namespace {

// printf of one double with one precision, as long as it needs to be.
std::string printed(const char* format, int precision, double v) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, format, precision, v);
  if (n < 0) return {};
  if (static_cast<std::size_t>(n) < sizeof buf) return std::string(buf, static_cast<std::size_t>(n));
  std::string out(static_cast<std::size_t>(n), '\0');
  std::snprintf(out.data(), out.size() + 1, format, precision, v);
  return out;
}

}  // namespace

std::string round_trip(double v) { return printed("%.*g", 17, v); }

std::string round_trip_or_empty(double v) { return std::isnan(v) ? std::string() : round_trip(v); }

std::string round_trip_or_nan(double v) { return std::isnan(v) ? std::string("nan") : round_trip(v); }

std::string fixed(double v, int digits) { return printed("%.*f", digits, v); }

std::string significant(double v, int digits) { return printed("%.*g", digits, v); }

nlohmann::ordered_json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; }

}  // namespace netdim::analysis::report
