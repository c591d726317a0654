// Reading the .net file a subcommand was given: the one place where the command
// turns a path into text and an nn::Architecture.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::cli {

// Throws std::runtime_error (one line) unless `file` is a readable regular file.
void require_readable(const std::filesystem::path& file);

// The whole file; throws std::runtime_error (one line) when it cannot be read.
std::string read_text(const std::filesystem::path& file);

// Prints the diagnostics (errors and warnings) to stderr, if any.
void print_diagnostics(const std::vector<dsl::Diagnostic>& diagnostics);

// Loads the network; prints its diagnostics to stderr. nullopt when it has errors.
std::optional<nn::Architecture> load_network(const std::filesystem::path& file);

}  // namespace netdim::cli
