// Reading a source file with a size bound: never more than max_bytes + 1 bytes
// are read, and only regular files are opened (not /dev/zero or a FIFO).
#pragma once

#include <filesystem>
#include <string>

namespace netdim::dsl {

struct ReadResult {
  bool ok = false;
  std::string text;   // the contents when ok
  std::string error;  // strerror's: "No such file or directory", "Too many levels of symbolic links",
                      // "Is a directory"; or "not a regular file", "larger than the limit of N bytes"
};

ReadResult read_source_file(const std::filesystem::path& path, std::size_t max_bytes);

}  // namespace netdim::dsl
