#include "cli/network_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace netdim::cli {

void require_readable(const std::filesystem::path& file) {
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error("cannot read '" + file.string() + "': " + why);
  };
  std::error_code ec;
  const auto status = std::filesystem::status(file, ec);
  if (!std::filesystem::exists(status)) fail("no such file");
  if (std::filesystem::is_directory(status)) fail("it is a directory");
  if (!std::filesystem::is_regular_file(status)) fail("not a regular file");
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(errno ? std::strerror(errno) : "cannot open");
}

std::string read_text(const std::filesystem::path& file) {
  require_readable(file);
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw std::runtime_error("cannot read '" + file.string() + "': read error");
  return text.str();
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
