// The one error type for bad data files: a single line naming the file and what is wrong with it,
// so a user can fix the file without a debugger.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>

namespace netdim::data {

class DataError : public std::runtime_error {
 public:
  DataError(const std::filesystem::path& path, std::string cause)
      : std::runtime_error(path.string() + ": " + cause), path_(path), cause_(std::move(cause)) {}

  const std::filesystem::path& path() const noexcept { return path_; }
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::filesystem::path path_;
  std::string cause_;
};

}  // namespace netdim::data
