#include "netdim/cli/network_file.hpp"

#include <iostream>
#include <limits>
#include <stdexcept>

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

std::optional<nn::Architecture> load_network(const std::filesystem::path& file) {
  require_readable(file);  // one line, whatever the language's diagnostics look like
  dsl::LoadResult loaded = dsl::load_file(file);
  print_diagnostics(loaded.diagnostics);
  return std::move(loaded.architecture);
}

}  // namespace netdim::cli
