// The one error type for a file that cannot be read as data or cannot be written: a single line
// naming the file and what is wrong with it, so a user can fix it without a debugger.
// nn's data readers throw it as data::DataError (the same type); atomic writes throw it too.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace netdim::support {

class FileError : public std::runtime_error {
 public:
  FileError(const std::filesystem::path& path, std::string cause)
      : std::runtime_error(path.string() + ": " + cause), path_(path), cause_(std::move(cause)) {}

  const std::filesystem::path& path() const noexcept { return path_; }
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::filesystem::path path_;
  std::string cause_;
};

}  // namespace netdim::support
