// Reading the .net file a subcommand was given: the one place where the command
// turns a path into text and an nn::Architecture.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "netdim/autodiff/tensor.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::cli {

// Throws std::runtime_error (one line) unless `file` is a readable regular file.
void require_readable(const std::filesystem::path& file);

// The whole file; throws std::runtime_error (one line) when it cannot be read.
std::string read_text(const std::filesystem::path& file);

// Prints the diagnostics (errors and warnings) to stderr, if any.
void print_diagnostics(const std::vector<dsl::Diagnostic>& diagnostics);

// Whether `file` names an ONNX model (by its extension, .onnx), not a .net source.
bool is_onnx_file(const std::filesystem::path& file);

// Loads the network of a .net file (printing its diagnostics to stderr; nullopt when it has
// errors) or of an .onnx model (its architecture only: --params FILE.onnx selects its weights).
// An .onnx model that cannot be imported throws (one line naming the node).
std::optional<nn::Architecture> load_network(const std::filesystem::path& file);

// The parameters `option` (--params) names for `network`: a .npy vector of its parameter count
// in canonical order, or an .onnx model's initializers (the model must import to the same
// architecture: same fingerprint). Throws one line naming the option and the file.
Tensor<double> read_parameters(const std::string& path, const nn::Architecture& network, const std::string& option);

}  // namespace netdim::cli
