// libFuzzer target for the .sub reader (netdim intrinsic-load's compressed subspace models):
// any file must load or give a data::DataError, never another exception, a crash, a
// sanitizer report or an allocation beyond what the file's size can justify (run with
// -rss_limit_mb). A file that loads must be byte for byte what saving it again writes.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/subspace/compressed_model.hpp"

namespace {

namespace fs = std::filesystem;

// One scratch file per fuzzing process, rewritten for every input and removed at exit.
const fs::path& scratch() {
  static const fs::path path = [] {
    std::atexit([] {
      std::error_code ignored;
      fs::remove(scratch(), ignored);
    });
    return fs::temp_directory_path() / ("netdim_fuzz_sub_" + std::to_string(::getpid()) + ".sub");
  }();
  return path;
}

void write_file(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && std::fwrite(data, 1, size, f) != size) || std::fclose(f) != 0) {
    std::perror("fuzz_sub: cannot write the scratch file");
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace netdim;
  const fs::path& path = scratch();
  write_file(path, data, size);
  nn::subspace::CompressedModel m;
  try {
    m = nn::subspace::load_compressed(path);
  } catch (const data::DataError&) {
    return 0;  // a refusal naming the file: the expected outcome for almost every input
  }
  // Accepted: the input is exactly what save_compressed writes for what was read (one
  // spelling per model), and it reads back the same.
  nn::subspace::save_compressed(path, m);
  std::string written;
  if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
    char buf[1 << 16];
    for (std::size_t got; (got = std::fread(buf, 1, sizeof buf, f)) > 0;) written.append(buf, got);
    std::fclose(f);
  }
  if (written != std::string(reinterpret_cast<const char*>(data), size)) std::abort();
  const nn::subspace::CompressedModel back = nn::subspace::load_compressed(path);
  if (back.fingerprint != m.fingerprint || back.coordinates != m.coordinates || back.initialisers != m.initialisers ||
      back.init_seed != m.init_seed || back.projection_seed != m.projection_seed || back.parameters != m.parameters ||
      back.projection != m.projection)
    std::abort();
  return 0;
}
