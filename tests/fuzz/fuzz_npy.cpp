// libFuzzer target for the .npy reader: any file must read or give a data::DataError,
// never another exception, a crash, a sanitizer report or an allocation beyond what
// the file's size can justify (run with -rss_limit_mb). Every reader sees the same
// bytes: read_npy as float64 and float32, read_npy_finite, and read_npy_integers.
// Seeds: tests/fuzz/corpus/npy (written by corpus/make_seeds.py).
#include <cstddef>
#include <cstdint>
#include <filesystem>

#include "netdim/nn/data/npy.hpp"
#include "tests/fuzz/fuzz_files.hpp"

namespace {

// One scratch file per fuzzing process, rewritten for every input.
const std::filesystem::path& scratch() {
  static const netdim::fuzz::ScratchDir dir("netdim_fuzz_npy");
  static const std::filesystem::path file = dir / "input.npy";
  return file;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace netdim::data;
  using netdim::fuzz::read_or_refuse;
  const std::filesystem::path& path = scratch();
  netdim::fuzz::write_file(path, data, size);
  read_or_refuse([&] { (void)read_npy<double>(path); });
  read_or_refuse([&] { (void)read_npy<float>(path); });
  read_or_refuse([&] { (void)read_npy_finite<float>(path); });
  read_or_refuse([&] { (void)read_npy_finite<double>(path); });
  read_or_refuse([&] { (void)read_npy_integers(path); });
  return 0;
}
