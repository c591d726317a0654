// Shared by the libFuzzer targets of the file readers (fuzz_npy, fuzz_idx): a scratch
// directory per fuzzing process, writing the fuzz bytes to a file there, and running a
// reader that may refuse the file only with a data::DataError.
#pragma once

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <system_error>

#include "netdim/nn/data/data_error.hpp"

namespace netdim::fuzz {

namespace fs = std::filesystem;

// A fresh directory named `name` plus the process id, removed with its contents when the
// fuzzer exits: under $TMPDIR when that is set, else in /dev/shm where there is one (memory:
// thousands of rewrites a second), else in the system's temporary directory; `subdirectories`
// are made inside it, empty.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& name, std::initializer_list<const char*> subdirectories = {}) {
    std::error_code ec;
    const bool shm = std::getenv("TMPDIR") == nullptr && fs::is_directory("/dev/shm", ec);
    path_ = (shm ? fs::path("/dev/shm") : fs::temp_directory_path()) / (name + "_" + std::to_string(::getpid()));
    fs::create_directories(path_);
    for (const char* sub : subdirectories) fs::create_directories(path_ / sub);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ~ScratchDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

[[noreturn]] inline void give_up(const char* what) {
  std::perror(what);
  std::abort();
}

inline void write_file(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0)
    give_up(("cannot write the scratch file " + path.string()).c_str());
}

// Runs read(); a DataError (a refusal naming the file) is the expected outcome for most inputs.
// Any other exception escapes to libFuzzer, which reports it as a finding.
template <class F>
void read_or_refuse(F&& read) {
  try {
    read();
  } catch (const data::DataError&) {
  }
}

}  // namespace netdim::fuzz
