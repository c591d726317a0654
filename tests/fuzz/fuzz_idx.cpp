// libFuzzer target for the IDX reader (read through zlib's gzread, plain or gzip) and the
// Fashion-MNIST image and label loading built on it: any file must read or give a
// data::DataError, never another exception, a crash, a sanitizer report or an allocation
// beyond what the data can justify (run with -rss_limit_mb). Each input is read
//   1. as it is (a seed may be plain IDX or gzip: corrupt gzip streams are fuzzed too),
//   2. gzip-compressed (the IDX parser behind a valid gzip stream),
//   3. as Fashion-MNIST's images, with labels for as many images taken from its bytes,
//   4. as Fashion-MNIST's labels, with blank images for as many labels as it declares.
// Seeds: tests/fuzz/corpus/idx.
#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/data/idx.hpp"
#include "tests/fuzz/fuzz_files.hpp"

namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<std::uint8_t>;
using netdim::fuzz::give_up;
using netdim::fuzz::read_or_refuse;
using netdim::fuzz::write_file;

// At most this many blank images are made up next to a labels input (784 bytes each).
constexpr std::size_t kMaxMadeUpImages = 64;

// One scratch directory per fuzzing process, with a Fashion-MNIST directory for each role.
const netdim::fuzz::ScratchDir& scratch() {
  static const netdim::fuzz::ScratchDir dir("netdim_fuzz_idx", {"images", "labels"});
  return dir;
}

void write_gzip(const fs::path& path, const std::uint8_t* data, std::size_t size) {
  gzFile f = gzopen(path.c_str(), "wb");
  if (f == nullptr || (size > 0 && gzwrite(f, data, static_cast<unsigned>(size)) != int(size)) || gzclose(f) != Z_OK)
    give_up("fuzz_idx: cannot write a gzip scratch file");
}

// An IDX file of unsigned bytes: two zero bytes, 0x08, the rank, big-endian dimensions, the data.
Bytes idx_bytes(const std::vector<std::uint32_t>& dims, const Bytes& data) {
  Bytes b{0, 0, 0x08, static_cast<std::uint8_t>(dims.size())};
  for (const std::uint32_t d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(static_cast<std::uint8_t>(d >> shift));
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace netdim::data;
  const netdim::fuzz::ScratchDir& dir = scratch();

  const fs::path raw = dir / "raw", gz = dir / "raw.gz";
  write_file(raw, data, size);
  std::optional<IdxData> parsed;
  read_or_refuse([&] { parsed = read_idx(raw); });
  write_gzip(gz, data, size);
  read_or_refuse([&] { (void)read_idx(gz); });
  if (!parsed) return 0;

  const std::size_t n = parsed->shape[0];
  if (parsed->shape.size() == 3) {
    // The input as t10k-images; its first n bytes as the labels (values of 10 and more are refused).
    write_file(dir / "images" / "t10k-images-idx3-ubyte", data, size);
    const std::size_t taken = std::min(n, size);
    const Bytes labels = idx_bytes({static_cast<std::uint32_t>(n)}, Bytes(data, data + taken));
    write_file(dir / "images" / "t10k-labels-idx1-ubyte", labels.data(), labels.size());
    read_or_refuse([&] { (void)load_fashion_mnist<float>("test", dir / "images", n % 2 == 0); });
  }
  if (n <= kMaxMadeUpImages) {
    // The input as train-labels, next to n blank 28x28 images.
    write_file(dir / "labels" / "train-labels-idx1-ubyte", data, size);
    const Bytes images = idx_bytes({static_cast<std::uint32_t>(n), 28, 28}, Bytes(n * 28 * 28, 0));
    write_gzip(dir / "labels" / "train-images-idx3-ubyte.gz", images.data(), images.size());
    read_or_refuse([&] { (void)load_fashion_mnist<double>("train", dir / "labels"); });
  }
  return 0;
}
