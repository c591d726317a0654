// The command-line rules every netdim program follows, in one place:
//   - bad usage (an unknown option, a value out of range, nan where a number is
//     needed) is found while parsing, before any work: ONE line
//     "PROGRAM: error: CAUSE (see PROGRAM --help)" on stderr and exit code 2;
//   - --help and --version print and exit 0;
//   - every output path is checked writable before any work (require_writable),
//     so a long run never ends in "cannot write".
// Numbers are validated as TEXT, before CLI11 converts them: CLI11 turns "-1"
// into 2^64 - 1 for an unsigned option, and strtod accepts "nan".
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace netdim::cli {

// Parses with netdim's exit convention. nullopt: go on. Otherwise the exit code:
// 0 after --help/--version, 2 on bad usage, after printing ONE line
// "PROGRAM: error: CAUSE (see PROGRAM --help)" to stderr.
std::optional<int> parse(CLI::App& app, int argc, char** argv);

// Which ends of an interval belong to it.
enum class Ends { Closed, OpenLow, OpenHigh, Open };

// CLI11 validators whose error message names the accepted range.
// A finite decimal number in [lo, hi] (or with open ends); rejects nan, inf, out of range.
CLI::Validator finite_in(double lo, double hi);
CLI::Validator finite_in(double lo, double hi, Ends ends);
// Decimal digits only, as text, in [lo, hi]: rejects "-1", "+1", "3.5", "1e3", " 7", and
// anything above hi, including values that do not fit in 64 bits. "010" is ten: the validator
// strips leading zeros, so attach it with ->transform(...) (->check would discard the change
// and CLI11 would read "010" as octal).
CLI::Validator integer_in(std::uint64_t lo, std::uint64_t hi);

// Checks an output path can be written, before any work (support::check_writable),
// rethrowing as std::runtime_error "OPTION: PATH: cause".
void require_writable(const std::filesystem::path& p, const std::string& option);

}  // namespace netdim::cli
