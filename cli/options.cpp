#include "netdim/cli/options.hpp"

#include "netdim/cli/json_output.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <stdexcept>
#include <system_error>

#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/quote.hpp"

namespace netdim::cli {
namespace {

// Shortest text that reads back as v: 1000 not 1000.000000, 1e-08 not 0.000000.
std::string number_text(double v) {
  char buffer[32];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);
  return ec == std::errc() ? std::string(buffer, end) : std::to_string(v);
}

std::string interval_text(double lo, double hi, Ends ends) {
  const bool open_lo = ends == Ends::OpenLow || ends == Ends::Open;
  const bool open_hi = ends == Ends::OpenHigh || ends == Ends::Open;
  return std::string(open_lo ? "(" : "[") + number_text(lo) + ", " + number_text(hi) + (open_hi ? ")" : "]");
}

// The offending text, escaped and cut (support::printable_excerpt): error messages stay one line.
std::string shown(const std::string& text) { return support::printable_excerpt(text, 40); }

}  // namespace

std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    if (app.get_name().empty() && argc > 0) app.name(argv[0]);  // as CLI11's parse(argc, argv) names it
    // --json's value is attached first (cli/json_output.hpp): a lone --json never takes the network file.
    std::vector<std::string> args = attach_json_values(std::vector<std::string>(argv + std::min(argc, 1), argv + argc));
    std::reverse(args.begin(), args.end());  // CLI11 takes a vector last argument first
    app.parse(std::move(args));
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {  // --help, --help-all, --version
      app.exit(e);
      return 0;
    }
    const std::string program = std::filesystem::path(app.get_name()).filename().string();
    std::string cause = e.what();
    for (char& c : cause)
      if (c == '\n' || c == '\r') c = ' ';
    while (!cause.empty() && cause.back() == ' ') cause.pop_back();
    // The value parse() attached to a lone --json is not what the user typed: name the option as typed.
    for (std::size_t at = 0; (at = cause.find("--json=-", at)) != std::string::npos;) {
      const bool whole = at + 8 == cause.size() || std::string(" ,:;'\"").find(cause[at + 8]) != std::string::npos;
      if (whole) cause.replace(at, 8, "--json");
      at += whole ? 6 : 8;
    }
    std::cerr << program << ": error: " << cause << " (see " << program << " --help)\n";
    return 2;
  }
}

CLI::Validator finite_in(double lo, double hi) { return finite_in(lo, hi, Ends::Closed); }

CLI::Validator finite_in(double lo, double hi, Ends ends) {
  const std::string range = interval_text(lo, hi, ends);
  const bool open_lo = ends == Ends::OpenLow || ends == Ends::Open;
  const bool open_hi = ends == Ends::OpenHigh || ends == Ends::Open;
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double v = 0;
        const char* end = text.data() + text.size();
        const auto [stop, ec] = std::from_chars(text.data(), end, v);
        const std::string need = "must be a finite number in " + range + ", got '" + shown(text) + "'";
        if (text.empty() || ec != std::errc() || stop != end || !std::isfinite(v)) return need;
        if ((open_lo ? v <= lo : v < lo) || (open_hi ? v >= hi : v > hi)) return need;
        return {};
      },
      "in " + range, "finite_in");
}

CLI::Validator integer_in(std::uint64_t lo, std::uint64_t hi) {
  const std::string range = "[" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        const std::string need = "must be an integer in " + range + ", got '" + shown(text) + "'";
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return need;
        // Decimal always: CLI11 converts with base 0, which reads "010" as octal 8 and refuses
        // "09". Only digits are left here, so without leading zeros no base prefix remains.
        text.erase(0, std::min(text.find_first_not_of('0'), text.size() - 1));
        std::uint64_t v = 0;
        const char* end = text.data() + text.size();
        const auto [stop, ec] = std::from_chars(text.data(), end, v);
        if (ec != std::errc() || stop != end || v < lo || v > hi) return need;  // out of range: too large for 64 bits
        return {};
      },
      "in " + range, "integer_in");
}

void require_writable(const std::filesystem::path& p, const std::string& option) {
  try {
    support::check_writable(p);
  } catch (const data::DataError& e) {
    throw std::runtime_error(option + ": " + p.string() + ": " + e.cause());
  }
}

}  // namespace netdim::cli
