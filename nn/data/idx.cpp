#include "netdim/nn/data/idx.hpp"

#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <climits>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/input_file.hpp"

namespace netdim::data {

namespace {

namespace fs = std::filesystem;

constexpr std::uint8_t kUnsignedByte = 0x08;
// A sanity bound: larger claims come from corrupt headers, and their products could overflow.
constexpr std::size_t kMaxBytes = std::size_t(1) << 40;

std::string hex(unsigned byte) {
  static const char digits[] = "0123456789ABCDEF";
  return std::string("0x") + digits[(byte >> 4) & 0xF] + digits[byte & 0xF];
}

// The IDX data type codes, so that a float or int file is named rather than called garbage.
const char* idx_type_name(std::uint8_t code) {
  switch (code) {
    case 0x08:
      return "unsigned byte";
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "16-bit integer";
    case 0x0C:
      return "32-bit integer";
    case 0x0D:
      return "32-bit float";
    case 0x0E:
      return "64-bit float";
    default:
      return nullptr;
  }
}

// "60000 images of 28x28", "10000 values": how the header describes the data, for messages.
std::string describe(const Shape& shape) {
  std::string s = std::to_string(shape[0]);
  if (shape.size() == 1) return s + " values";
  s += shape.size() == 3 ? " images of " : " entries of ";
  for (std::size_t i = 1; i < shape.size(); ++i) s += (i > 1 ? "x" : "") + std::to_string(shape[i]);
  return s;
}

// gzread reads gzip and plain files alike. Every read checks the stream's error state, because a
// truncated gzip stream ends the data quietly and reports itself only through gzerror.
class GzReader {
 public:
  explicit GzReader(const fs::path& path) : path_(path) {
    // Regular files only, opened without blocking (a FIFO would hang): support/input_file.
    int fd = -1;
    try {
      fd = support::InputFile(path, std::numeric_limits<std::uintmax_t>::max()).release();
    } catch (const support::InputError& e) {
      throw DataError(path, e.cause() == "a directory, not a file" ? "is a directory, not an IDX file" : e.cause());
    }
    errno = 0;
    file_ = gzdopen(fd, "rb");
    if (file_ == nullptr) {
      ::close(fd);
      throw DataError(path, std::string("cannot open: ") + (errno ? std::strerror(errno) : "out of memory"));
    }
    gzbuffer(file_, 1u << 18);  // the default 8 KiB input buffer makes large files slow to inflate
  }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;
  ~GzReader() { gzclose(file_); }

  // Reads up to n bytes; fewer only at the end of the data.
  std::size_t read(std::uint8_t* dst, std::size_t n) {
    std::size_t total = 0;
    while (total < n) {
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(n - total, INT_MAX));
      const int got = gzread(file_, dst + total, chunk);
      if (got <= 0) break;
      total += static_cast<std::size_t>(got);
    }
    check();
    return total;
  }

 private:
  void check() {
    int code = Z_OK;
    const char* message = gzerror(file_, &code);
    if (code == Z_OK) return;
    if (code == Z_ERRNO) throw DataError(path_, std::string("read error: ") + std::strerror(errno));
    if (code == Z_BUF_ERROR) throw DataError(path_, "truncated gzip stream: unexpected end of compressed data");
    // zlib prefixes its message with the path, which DataError already gives.
    std::string_view cause = message;
    // zlib prefixes its message with the path, or "<fd:N>" for a descriptor (gzdopen), which
    // DataError already names.
    const std::string prefix = path_.string() + ": ";
    if (cause.substr(0, prefix.size()) == prefix) cause.remove_prefix(prefix.size());
    if (cause.substr(0, 4) == "<fd:" && cause.find(">: ") != std::string_view::npos)
      cause.remove_prefix(cause.find(">: ") + 3);
    throw DataError(path_, "corrupt gzip stream: " + std::string(cause));
  }

  fs::path path_;
  gzFile file_ = nullptr;
};

}  // namespace

IdxData read_idx(const fs::path& path) {
  GzReader in(path);
  std::array<std::uint8_t, 4> magic{};
  const std::size_t got = in.read(magic.data(), magic.size());
  if (got == 0) throw DataError(path, "empty file");
  if (got < magic.size())
    throw DataError(path, "truncated: only " + std::to_string(got) + " of the 4 bytes of the IDX magic number");
  if (magic[0] != 0 || magic[1] != 0)
    throw DataError(path, "bad magic: an IDX file starts with two zero bytes, this one starts with " + hex(magic[0]) +
                              " " + hex(magic[1]));
  if (magic[2] != kUnsignedByte) {
    const char* name = idx_type_name(magic[2]);
    if (name == nullptr) throw DataError(path, "bad magic: unknown IDX data type code " + hex(magic[2]));
    throw DataError(path, "unsupported IDX data type " + hex(magic[2]) + " (" + name + "): only " + hex(kUnsignedByte) +
                              " (unsigned byte) is supported");
  }
  const std::size_t rank = magic[3];
  if (rank == 0) throw DataError(path, "bad magic: the header declares zero dimensions");

  std::vector<std::uint8_t> header(4 * rank);
  const std::size_t header_got = in.read(header.data(), header.size());
  if (header_got < header.size())
    throw DataError(path, "truncated header: " + std::to_string(rank) + " dimensions need " +
                              std::to_string(header.size()) + " bytes after the magic number, found " +
                              std::to_string(header_got));

  IdxData out;
  out.shape.resize(rank);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::uint8_t* b = header.data() + 4 * i;
    out.shape[i] = (std::size_t(b[0]) << 24) | (std::size_t(b[1]) << 16) | (std::size_t(b[2]) << 8) | b[3];
  }
  std::size_t expected = 1;
  for (std::size_t i = 0; i < rank; ++i) {
    const std::size_t d = out.shape[i];
    if (d == 0) throw DataError(path, "dimension " + std::to_string(i) + " of " + shape_string(out.shape) + " is zero");
    if (d > kMaxBytes / expected)
      throw DataError(path,
                      "implausible header: dimensions " + shape_string(out.shape) + " describe more than 2^40 bytes");
    expected *= d;
  }

  // Grow the buffer as data arrives rather than trusting the header with one large allocation.
  std::size_t filled = 0;
  while (filled < expected) {
    const std::size_t want = std::min(expected - filled, std::max<std::size_t>(filled, std::size_t(1) << 20));
    out.bytes.resize(filled + want);
    const std::size_t n = in.read(out.bytes.data() + filled, want);
    filled += n;
    if (n < want) break;
  }
  out.bytes.resize(filled);
  if (filled < expected)
    throw DataError(path, "truncated: header says " + describe(out.shape) + " (" + std::to_string(expected) +
                              " bytes) but only " + std::to_string(filled) + " bytes of data follow");

  std::array<std::uint8_t, 4096> scratch{};
  std::size_t trailing = 0;
  for (std::size_t n; (n = in.read(scratch.data(), scratch.size())) > 0;) trailing += n;
  if (trailing > 0)
    throw DataError(path, std::to_string(trailing) + " trailing bytes after the " + std::to_string(expected) +
                              " bytes of data the header describes (" + describe(out.shape) + ")");
  return out;
}

}  // namespace netdim::data
