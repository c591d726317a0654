// Helpers shared by the dsl tests.
#pragma once

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "netdim/dsl/dsl.hpp"

namespace netdim::testing {

// A directory of its own under the system's temporary directory, removed with the object.
class TempDir {
 public:
  explicit TempDir(const std::string& stem) {
    std::random_device random;
    path_ = std::filesystem::temp_directory_path() /
            (stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(random()) + "_" +
             std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
  std::filesystem::path write(const std::string& name, const std::string& text) const {
    const std::filesystem::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  std::filesystem::path path_;
};

inline dsl::LoadResult load(const std::string& text, const std::string& name = "test.net") {
  return dsl::load_source(text, name);
}

// The architecture's describe(), or the rendered diagnostics prefixed by "ERROR\n".
inline std::string describe(const std::string& text) {
  const dsl::LoadResult r = load(text);
  if (!r.ok()) return "ERROR\n" + dsl::render(r.diagnostics);
  return r.architecture->describe();
}

inline std::string errors(const std::string& text, const std::string& name = "test.net") {
  return dsl::render(load(text, name).diagnostics);
}

}  // namespace netdim::testing
