#include "netdim/cli/json_output.hpp"

#include <iostream>

#include "netdim/support/atomic_write.hpp"

namespace netdim::cli {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The word after --json is its FILE unless it is an option or a network, which is read, never written.
bool takes_value(const std::string& word) {
  if (word == "-") return true;
  if (word.empty() || word[0] == '-') return false;
  return !ends_with(word, ".net") && !ends_with(word, ".onnx");
}

}  // namespace

CLI::Option* add_json_option(CLI::App& app, JsonOutput& out, const std::string& keys) {
  return app.add_option("--json", out.value,
                        "JSON: " + keys + "; alone on stdout in place of the text, or to FILE beside the text (FILE is "
                        "the next word unless it is an option or a .net file)")
      ->type_name("[FILE]");
}

std::vector<std::string> attach_json_values(std::vector<std::string> args) {
  std::vector<std::string> out;
  out.reserve(args.size());
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") {  // the rest are arguments, never options
      out.insert(out.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (args[i] != "--json") {
      out.push_back(args[i]);
      continue;
    }
    const bool has_value = i + 1 < args.size() && takes_value(args[i + 1]);
    out.push_back("--json=" + (has_value ? args[++i] : std::string("-")));
  }
  return out;
}

void write_report(const JsonOutput& json, const std::function<std::string()>& json_text,
                  const std::function<std::string()>& text, support::OutputBatch& files) {
  if (json.to_stdout()) {
    const std::string shown = json_text();
    files.commit();
    std::cout << shown;
    return;
  }
  if (json.asked()) files.add(json.file(), json_text());
  files.commit();
  std::cout << text();
}

void write_report(const JsonOutput& json, const std::function<std::string()>& json_text,
                  const std::function<std::string()>& text) {
  support::OutputBatch none;
  write_report(json, json_text, text, none);
}

}  // namespace netdim::cli
