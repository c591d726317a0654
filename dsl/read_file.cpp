#include "dsl/read_file.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace netdim::dsl {

ReadResult read_source_file(const std::filesystem::path& path, std::size_t max_bytes) {
  ReadResult r;
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    r.error = ec ? ec.message() : std::strerror(ENOENT);
    if (r.error.empty() || !std::filesystem::exists(status)) r.error = std::strerror(ENOENT);
    return r;
  }
  if (std::filesystem::is_directory(status)) {
    r.error = std::strerror(EISDIR);
    return r;
  }
  if (!std::filesystem::is_regular_file(status)) {
    r.error = "not a regular file";
    return r;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    r.error = std::strerror(errno ? errno : EACCES);
    return r;
  }
  std::string text;
  char buffer[1 << 16];
  while (in && text.size() <= max_bytes) {
    in.read(buffer, sizeof buffer);
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) {
    r.error = std::strerror(EIO);
    return r;
  }
  if (text.size() > max_bytes) {
    r.error = "larger than the limit of " + std::to_string(max_bytes) + " bytes";
    return r;
  }
  r.ok = true;
  r.text = std::move(text);
  return r;
}

}  // namespace netdim::dsl
