#include "netdim/cli/network_file.hpp"

#include <cctype>
#include <iostream>
#include <limits>
#include <stdexcept>

#include "netdim/cli/npy_input.hpp"
#include "netdim/interop/onnx_import.hpp"
#include "netdim/support/quote.hpp"
#include "netdim/support/input_file.hpp"

namespace netdim::cli {

void require_readable(const std::filesystem::path& file) {
  try {
    support::InputFile opened(file, std::numeric_limits<std::uintmax_t>::max());
  } catch (const support::InputError& e) {
    throw std::runtime_error("cannot read '" + support::printable_excerpt(file.string(), 200) + "': " + e.cause());
  }
}

std::string read_text(const std::filesystem::path& file) {
  try {
    return support::read_input(file, dsl::Limits{}.max_source_bytes);
  } catch (const support::InputError& e) {
    throw std::runtime_error("cannot read '" + support::printable_excerpt(file.string(), 200) + "': " + e.cause());
  }
}

void print_diagnostics(const std::vector<dsl::Diagnostic>& diagnostics) {
  if (!diagnostics.empty()) std::cerr << dsl::render(diagnostics) << std::flush;
}

bool is_onnx_file(const std::filesystem::path& file) {
  std::string ext = file.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".onnx";
}

std::optional<nn::Architecture> load_network(const std::filesystem::path& file) {
  require_readable(file);  // one line, whatever the language's diagnostics look like
  if (is_onnx_file(file)) return interop::import_onnx_file(file).architecture;
  dsl::LoadResult loaded = dsl::load_file(file);
  print_diagnostics(loaded.diagnostics);
  return std::move(loaded.architecture);
}

Tensor<double> read_parameters(const std::string& path, const nn::Architecture& network, const std::string& option) {
  if (is_onnx_file(path)) {
    require_readable(path);
    interop::OnnxImport imported = interop::import_onnx_file(path);
    if (imported.architecture.fingerprint() != network.fingerprint())
      throw std::runtime_error(option + " " + support::printable_excerpt(path, 200) + ": its architecture (fingerprint " +
                               imported.architecture.fingerprint() + ") is not the network's (" + network.fingerprint() +
                               "); netdim import writes the model's own .net file");
    return std::move(imported.parameters);
  }
  Tensor<double> theta = read_finite_npy(path, option);
  if (theta.dimension() != 1 || theta.size() != network.parameter_count())
    throw std::runtime_error(option + " " + support::printable_excerpt(path, 200) + ": shape " + shape_string(shape_of(theta)) +
                             "; the network has " + std::to_string(network.parameter_count()) +
                             " parameters (a vector of that length, in canonical order)");
  return theta;
}

}  // namespace netdim::cli
