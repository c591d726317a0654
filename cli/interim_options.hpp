// INTERIM: the two helpers that the `files` branch provides in cli/options.hpp
// (same names and signatures). When that branch is merged, include
// "cli/options.hpp" instead of this file and delete it.
#pragma once

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string>

namespace netdim::cli {

// Throws std::runtime_error (one line) unless `p` can be written: an existing regular
// file we may write, or a new name in an existing directory we may write into.
// Creates nothing, so a later failure leaves no trace.
inline void require_writable(const std::filesystem::path& p, const std::string& option) {
  namespace fs = std::filesystem;
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error(option + ": cannot write '" + p.string() + "': " + why);
  };
  if (p.empty()) fail("empty path");
  std::error_code ec;
  const fs::file_status status = fs::status(p, ec);
  if (fs::exists(status)) {
    if (fs::is_directory(status)) fail("it is a directory");
    if (!fs::is_regular_file(status)) fail("not a regular file");
    if (::access(p.c_str(), W_OK) != 0) fail("permission denied");
    return;
  }
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  if (!fs::is_directory(dir, ec)) fail("no directory '" + dir.string() + "'");
  if (::access(dir.c_str(), W_OK | X_OK) != 0) fail("permission denied in '" + dir.string() + "'");
}

// Parses the command line. nullopt: go on; otherwise the exit code, after printing
// the help or version (0) or one line naming the problem (2).
inline std::optional<int> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
    return std::nullopt;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) {
      app.exit(e);  // --help (of the chosen subcommand) or --version
      return 0;
    }
    std::string message = e.what(), help = app.get_name();
    for (char& c : message)
      if (c == '\n') c = ' ';
    for (const CLI::App* sub = &app; !sub->get_subcommands().empty();) {
      sub = sub->get_subcommands().front();
      help += " " + sub->get_name();
    }
    std::cerr << app.get_name() << ": error: " << message << " (see " << help << " --help)\n";
    return 2;
  }
}

}  // namespace netdim::cli
