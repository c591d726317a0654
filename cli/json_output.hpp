// The one rule for machine-readable output, which every command that has --json follows
// (docs/cli.md, "JSON output"):
//   --json           JSON on standard output, in place of the text report;
//   --json FILE      JSON written to FILE (atomically, checked writable before any work), the
//                    text report on standard output as without --json; `-` is standard output;
//   --json=FILE      the same.
// The word after --json is its FILE unless it is an option (it starts with `-`) or a network
// file (it ends in `.net` or `.onnx`), which a command reads and never writes: `netdim esd
// --json net.net` reads net.net and prints JSON, `netdim sweep --json rows.json` writes
// rows.json. parse() attaches the values before CLI11 sees them, so each command declares
// --json once, with add_json_option.
#pragma once

#include <CLI/CLI.hpp>

#include "netdim/support/atomic_write.hpp"

#include <functional>
#include <string>
#include <vector>

namespace netdim::cli {

struct JsonOutput {
  std::string value;  // "" not asked for, "-" standard output, else the file
  bool asked() const { return !value.empty(); }
  bool to_stdout() const { return value == "-"; }
  // The file to write, or "" when there is none (standard output or no --json).
  std::string file() const { return to_stdout() ? std::string() : value; }
};

// Declares --json on `app`; `keys` names the JSON's top-level keys for --help.
CLI::Option* add_json_option(CLI::App& app, JsonOutput& out, const std::string& keys);

// argv without the program name, each `--json` given its value as `--json=VALUE`: the next
// word by the rule above, else `-`. Words after a lone `--` are left alone.
std::vector<std::string> attach_json_values(std::vector<std::string> args);

// Writes a command's result by the rule above: `json()` on standard output, or to the file
// with `text()` on standard output, or `text()` alone. Each is computed only if written. The
// JSON file joins `files` (the command's other outputs), which are committed together, all or
// none (support::OutputBatch), before anything is printed.
void write_report(const JsonOutput& json, const std::function<std::string()>& json_text,
                  const std::function<std::string()>& text, support::OutputBatch& files);
void write_report(const JsonOutput& json, const std::function<std::string()>& json_text,
                  const std::function<std::string()>& text);

}  // namespace netdim::cli
