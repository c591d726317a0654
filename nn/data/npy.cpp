#include "netdim/nn/data/npy.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/quote.hpp"
#include "netdim/support/input_file.hpp"

namespace netdim::data {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kMagic("\x93NUMPY", 6);
// numpy pads the header so that the data starts on a 64-byte boundary; we write the same.
constexpr std::size_t kAlign = 64;
// Elements converted per read or write, so conversion never needs a second full-size buffer.
constexpr std::size_t kChunk = std::size_t(1) << 16;
// A sanity bound on the element count; larger shapes come from corrupt headers.
constexpr std::size_t kMaxElements = std::size_t(1) << 46;
// A bound on the header's length (a 2.0 file may announce up to 4 GiB).
constexpr std::size_t kMaxHeader = std::size_t(1) << 20;

enum class Dtype { f8, f4, i4, i8, u1 };

struct DtypeInfo {
  Dtype dtype = Dtype::f8;
  std::string_view descr;
  std::size_t size = 0;
  bool floating = false;
};

constexpr std::array<DtypeInfo, 5> kDtypes{{
    {Dtype::f8, "<f8", 8, true},
    {Dtype::f4, "<f4", 4, true},
    {Dtype::i4, "<i4", 4, false},
    {Dtype::i8, "<i8", 8, false},
    {Dtype::u1, "|u1", 1, false},
}};
constexpr std::string_view kSupported = "'<f8', '<f4', '<i4', '<i8', '|u1'";

struct Header {
  DtypeInfo dtype;
  Shape shape;
  std::size_t count = 0;
};

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

std::string errno_text() { return errno ? std::strerror(errno) : "unknown error"; }

// Header text may be arbitrary bytes: an escaped, truncated excerpt without the padding.
std::string excerpt(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.remove_suffix(1);
  return support::printable_excerpt(s, 80);
}

// The header is a Python dict literal such as
//   {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }
// This parser accepts exactly that grammar: the three keys once each, in any order.
class HeaderParser {
 public:
  HeaderParser(const fs::path& path, std::string_view text) : path_(path), text_(text) {}

  void parse(std::string& descr, bool& fortran_order, Shape& shape) {
    bool seen_descr = false, seen_fortran = false, seen_shape = false;
    skip_space();
    expect('{', "a header dict starting with '{'");
    skip_space();
    while (peek() != '}') {
      const std::string key = parse_string("a quoted key");
      skip_space();
      expect(':', "':' after '" + excerpt(key) + "'");
      skip_space();
      if (key == "descr") {
        once(seen_descr, key);
        if (peek() != '\'' && peek() != '"') fail("'descr' is not a string (structured dtypes are not supported)");
        descr = parse_string("a quoted descr");
      } else if (key == "fortran_order") {
        once(seen_fortran, key);
        fortran_order = parse_bool();
      } else if (key == "shape") {
        once(seen_shape, key);
        shape = parse_shape();
      } else {
        fail("unexpected key '" + excerpt(key) + "' (expected descr, fortran_order and shape)");
      }
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
      } else if (peek() != '}') {
        fail("expected ',' or '}'");
      }
    }
    ++pos_;
    skip_space();
    if (pos_ != text_.size()) fail("unexpected text after the closing '}'");
    if (!seen_descr) fail("missing key 'descr'");
    if (!seen_fortran) fail("missing key 'fortran_order'");
    if (!seen_shape) fail("missing key 'shape'");
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw DataError(path_,
                    "bad header: " + what + " at offset " + std::to_string(pos_) + " in \"" + excerpt(text_) + "\"");
  }

  // '\0' doubles as the end marker; a NUL inside the header fails like the end would.
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  void skip_space() {
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') ++pos_;
  }

  void expect(char c, const std::string& what) {
    if (peek() != c) fail("expected " + what);
    ++pos_;
  }

  void once(bool& seen, const std::string& key) {
    if (seen) fail("duplicate key '" + key + "'");
    seen = true;
  }

  std::string parse_string(const std::string& what) {
    const char quote = peek();
    if (quote != '\'' && quote != '"') fail("expected " + what);
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail("unterminated string");
    std::string s(text_.substr(pos_ + 1, end - pos_ - 1));
    if (s.find('\\') != std::string::npos) fail("escape sequences are not supported");
    pos_ = end + 1;
    return s;
  }

  bool parse_bool() {
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    fail("'fortran_order' must be True or False");
  }

  Shape parse_shape() {
    expect('(', "'shape' as a tuple such as (3, 4)");
    Shape shape;
    skip_space();
    while (peek() != ')') {
      shape.push_back(parse_dim());
      skip_space();
      if (peek() == ',') {
        ++pos_;
        skip_space();
      } else if (peek() != ')') {
        fail("expected ',' or ')' in 'shape'");
      }
    }
    ++pos_;
    return shape;
  }

  std::size_t parse_dim() {
    if (peek() < '0' || peek() > '9') fail("expected a non-negative integer in 'shape'");
    std::size_t d = 0;
    while (peek() >= '0' && peek() <= '9') {
      if (d > kMaxElements) fail("dimension too large in 'shape'");
      d = 10 * d + std::size_t(peek() - '0');
      ++pos_;
    }
    if (peek() == 'L') ++pos_;  // Python 2 era files write long integers as 3L
    return d;
  }

  const fs::path& path_;
  std::string_view text_;
  std::size_t pos_ = 0;
};

File open_for_reading(const fs::path& path, std::uintmax_t& size) {
  // Regular files only, opened without blocking (a FIFO would hang): support/input_file.
  try {
    support::InputFile file(path, std::numeric_limits<std::uintmax_t>::max());
    size = file.size();
    const int fd = file.release();
    errno = 0;
    File f(::fdopen(fd, "rb"));
    if (!f) {
      const int e = errno;
      ::close(fd);
      throw DataError(path, "cannot open: " + std::string(std::strerror(e)));
    }
    return f;
  } catch (const support::InputError& e) {
    throw DataError(path, e.cause() == "a directory, not a file" ? "is a directory, not an .npy file" : e.cause());
  }
}

template <class U>
U load_le(const unsigned char* p) {
  U v = 0;
  for (std::size_t i = 0; i < sizeof(U); ++i) v |= U(p[i]) << (8 * i);
  return v;
}

// Reads the preamble and header and checks them against the file size, leaving f at the data.
Header read_header(std::FILE* f, const fs::path& path, std::uintmax_t file_size) {
  if (file_size == 0) throw DataError(path, "empty file");
  std::array<unsigned char, 12> pre{};
  const std::size_t got = std::fread(pre.data(), 1, 8, f);
  const std::string_view start(reinterpret_cast<const char*>(pre.data()), std::min(got, kMagic.size()));
  if (start != kMagic.substr(0, start.size())) {
    if (start.substr(0, 4) == std::string_view("PK\x03\x04", 4))
      throw DataError(path, "bad magic: a zip archive, not an .npy file (an .npz holds .npy files: unzip it)");
    throw DataError(path, "bad magic: not an .npy file (it must start with \\x93NUMPY)");
  }
  if (got < 8)
    throw DataError(path, "truncated: only " + std::to_string(got) + " bytes, the .npy preamble needs at least 10");

  const unsigned major = pre[6], minor = pre[7];
  std::size_t length_bytes = 0;
  if (major == 1 && minor == 0)
    length_bytes = 2;
  else if (major == 2 && minor == 0)
    length_bytes = 4;
  else
    throw DataError(path, "unsupported .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                              " (netdim reads 1.0 and 2.0)");
  if (std::fread(pre.data() + 8, 1, length_bytes, f) != length_bytes)
    throw DataError(path, "truncated: the file ends inside the .npy preamble");
  const std::size_t header_length =
      length_bytes == 2 ? load_le<std::uint16_t>(pre.data() + 8) : load_le<std::uint32_t>(pre.data() + 8);
  const std::size_t offset = 8 + length_bytes + header_length;
  if (offset > file_size)
    throw DataError(path, "truncated header: the preamble announces " + std::to_string(header_length) +
                              " header bytes but only " + std::to_string(file_size - 8 - length_bytes) + " follow");

  // Read into memory whole, so bounded: numpy writes a few hundred bytes (and reads at most 10000).
  if (header_length > kMaxHeader)
    throw DataError(path, "implausible header: the preamble announces " + std::to_string(header_length) +
                              " header bytes, more than " + std::to_string(kMaxHeader));
  std::string text(header_length, '\0');
  if (std::fread(text.data(), 1, header_length, f) != header_length)
    throw DataError(path, "read error: " + errno_text());
  std::string descr;
  bool fortran_order = false;
  Header h;
  HeaderParser(path, text).parse(descr, fortran_order, h.shape);

  const auto* info = std::find_if(kDtypes.begin(), kDtypes.end(), [&](const DtypeInfo& d) { return d.descr == descr; });
  if (info == kDtypes.end()) {
    const std::string shown = excerpt(descr);
    if (!descr.empty() && descr[0] == '>')
      throw DataError(path, "unsupported dtype '" + shown + "' (big-endian): netdim reads " + std::string(kSupported));
    throw DataError(path, "unsupported dtype '" + shown + "': netdim reads " + std::string(kSupported));
  }
  h.dtype = *info;
  if (fortran_order)
    throw DataError(path, "fortran_order is True: only C-order arrays are supported (save np.ascontiguousarray(a))");

  // Every dimension counts, zeros included: (0, 2^40, 2^40) holds nothing, but
  // its strides (products of the trailing extents) would still overflow.
  std::size_t nonzero = 1;
  bool empty = false;
  for (std::size_t d : h.shape) {
    if (d == 0) {
      empty = true;
      continue;
    }
    if (nonzero > kMaxElements / d)
      throw DataError(path, "implausible shape " + shape_string(h.shape) + ": its dimensions multiply to more than 2^46");
    nonzero *= d;
  }
  h.count = empty ? 0 : nonzero;
  const std::uintmax_t expected = std::uintmax_t(h.count) * h.dtype.size;
  const std::uintmax_t actual = file_size - offset;
  const std::string described = "shape " + shape_string(h.shape) + " of '" + descr + "'";
  if (actual < expected)
    throw DataError(path, "truncated: " + described + " needs " + std::to_string(expected) +
                              " bytes of data but only " + std::to_string(actual) + " follow the header");
  if (actual > expected)
    throw DataError(path, std::to_string(actual - expected) + " trailing bytes after the " + std::to_string(expected) +
                              " bytes of data that " + described + " describes");
  return h;
}

template <class Out>
void decode(Dtype dtype, const unsigned char* src, std::size_t n, Out* dst) {
  switch (dtype) {
    case Dtype::f8:
      for (std::size_t i = 0; i < n; ++i)
        dst[i] = static_cast<Out>(std::bit_cast<double>(load_le<std::uint64_t>(src + 8 * i)));
      break;
    case Dtype::f4:
      for (std::size_t i = 0; i < n; ++i)
        dst[i] = static_cast<Out>(std::bit_cast<float>(load_le<std::uint32_t>(src + 4 * i)));
      break;
    case Dtype::i4:
      for (std::size_t i = 0; i < n; ++i)
        dst[i] = static_cast<Out>(static_cast<std::int32_t>(load_le<std::uint32_t>(src + 4 * i)));
      break;
    case Dtype::i8:
      for (std::size_t i = 0; i < n; ++i)
        dst[i] = static_cast<Out>(static_cast<std::int64_t>(load_le<std::uint64_t>(src + 8 * i)));
      break;
    case Dtype::u1:
      for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<Out>(src[i]);
      break;
  }
}

// "1e+300": the shortest text that reads back as v.
std::string shortest(double v) {
  std::array<char, 32> buf{};
  const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
  return std::string(buf.data(), end);
}

// Entry `flat`, whose stored bytes are at src, converted to a non-finite Out: what it was.
template <class Out>
[[noreturn]] void refuse_entry(const fs::path& path, const Header& h, std::size_t flat, const unsigned char* src) {
  double stored = 0;
  decode(h.dtype.dtype, src, 1, &stored);
  std::string what;
  if (std::isnan(stored))
    what = "nan";
  else if (std::isinf(stored))
    what = stored > 0 ? "inf" : "-inf";
  else
    what = shortest(stored) + ", beyond " + (sizeof(Out) == 4 ? "float32" : "float64") + "'s range";
  throw DataError(path, "entry " + std::to_string(flat) + " (" + index_string(flat, h.shape) + ") is " + what);
}

// Reads the data into dst, converting chunk by chunk. With finite (floating-point Out only), a
// NaN, an infinity or a value that overflows Out is refused as soon as its chunk is converted.
template <class Out>
void read_data(std::FILE* f, const fs::path& path, const Header& h, Out* dst, bool finite = false) {
  std::vector<unsigned char> buffer(std::min(h.count, kChunk) * h.dtype.size);
  for (std::size_t done = 0; done < h.count;) {
    const std::size_t n = std::min(kChunk, h.count - done);
    if (std::fread(buffer.data(), h.dtype.size, n, f) != n)
      throw DataError(path,
                      std::ferror(f) ? "read error: " + errno_text() : "truncated: the file shrank while being read");
    decode(h.dtype.dtype, buffer.data(), n, dst + done);
    if constexpr (std::is_floating_point_v<Out>) {
      // Integers (at most 2^63 in magnitude) always fit a float; only floating-point data is scanned.
      if (finite && h.dtype.floating) {
        bool all_finite = true;
        for (std::size_t i = 0; i < n; ++i) all_finite &= std::isfinite(dst[done + i]);
        if (!all_finite)
          for (std::size_t i = 0; i < n; ++i)
            if (!std::isfinite(dst[done + i])) refuse_entry<Out>(path, h, done + i, buffer.data() + i * h.dtype.size);
      }
    }
    done += n;
  }
}

template <class Stored>
void store_le(Stored v, unsigned char* p) {
  using Bits = std::conditional_t<sizeof(Stored) == 8, std::uint64_t, std::uint32_t>;
  const auto bits = std::bit_cast<Bits>(v);
  for (std::size_t i = 0; i < sizeof(Bits); ++i) p[i] = static_cast<unsigned char>(bits >> (8 * i));
}

std::string header_text(std::string_view descr, const Shape& shape) {
  std::string tuple = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) tuple += (i ? ", " : "") + std::to_string(shape[i]);
  tuple += shape.size() == 1 ? ",)" : ")";
  std::string h = "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " + tuple + ", }";
  const std::size_t unpadded = kMagic.size() + 4 + h.size() + 1;
  h.append((kAlign - unpadded % kAlign) % kAlign, ' ');
  h += '\n';
  return h;
}

// The bytes of an .npy file, handed to `put` in pieces.
template <class Stored>
void put_npy(const fs::path& path, std::string_view descr, const Shape& shape, const Stored* data, const support::PutBytes& put) {
  const std::string header = header_text(descr, shape);
  if (header.size() > 0xFFFF)
    throw DataError(path, "cannot write: shape " + shape_string(shape) + " is too long for an .npy header");
  std::array<unsigned char, 10> pre{};
  std::copy(kMagic.begin(), kMagic.end(), pre.begin());
  pre[6] = 1;
  pre[7] = 0;
  pre[8] = static_cast<unsigned char>(header.size() & 0xFF);
  pre[9] = static_cast<unsigned char>(header.size() >> 8);
  put(pre.data(), pre.size());
  put(header.data(), header.size());
  const std::size_t count = shape_size(shape);
  std::vector<unsigned char> buffer(std::min(count, kChunk) * sizeof(Stored));
  for (std::size_t done = 0; done < count;) {
    const std::size_t n = std::min(kChunk, count - done);
    for (std::size_t i = 0; i < n; ++i) store_le(data[done + i], buffer.data() + i * sizeof(Stored));
    put(buffer.data(), n * sizeof(Stored));
    done += n;
  }
}

// Through write_atomically: readers never see a partial file.
template <class Stored>
void write_file(const fs::path& path, std::string_view descr, const Shape& shape, const Stored* data) {
  support::write_atomically(path, [&](const support::PutBytes& put) { put_npy(path, descr, shape, data, put); });
}

// read_npy and read_npy_finite.
template <FloatingScalar T>
Tensor<T> read_floating(const fs::path& path, bool finite) {
  std::uintmax_t size = 0;
  const File f = open_for_reading(path, size);
  const Header h = read_header(f.get(), path, size);
  Tensor<T> t = Tensor<T>::from_shape(h.shape);
  read_data(f.get(), path, h, t.data(), finite);
  return t;
}

}  // namespace

template <FloatingScalar T>
Tensor<T> read_npy(const fs::path& path) {
  return read_floating<T>(path, false);
}

template <FloatingScalar T>
Tensor<T> read_npy_finite(const fs::path& path) {
  return read_floating<T>(path, true);
}

std::string index_string(std::size_t flat, const Shape& shape) {
  std::vector<std::size_t> index(shape.size());
  for (std::size_t k = shape.size(); k-- > 0;) {
    if (shape[k] == 0) continue;  // no entries at all: nothing to name
    index[k] = flat % shape[k];
    flat /= shape[k];
  }
  std::string s = "[";
  for (std::size_t k = 0; k < index.size(); ++k) s += (k ? ", " : "") + std::to_string(index[k]);
  return s + "]";
}

NpyIntegers read_npy_integers(const fs::path& path) {
  std::uintmax_t size = 0;
  const File f = open_for_reading(path, size);
  const Header h = read_header(f.get(), path, size);
  if (h.dtype.floating)
    throw DataError(
        path, "dtype '" + std::string(h.dtype.descr) + "' is floating point; integers ('<i4', '<i8', '|u1') expected");
  NpyIntegers out{h.shape, std::vector<std::int64_t>(h.count)};
  read_data(f.get(), path, h, out.values.data());
  return out;
}

template <FloatingScalar T>
void write_npy(const fs::path& path, const Tensor<T>& t) {
  write_file<T>(path, std::is_same_v<T, float> ? "<f4" : "<f8", shape_of(t), t.data());
}

template <FloatingScalar T>
std::string npy_bytes(const Tensor<T>& t) {
  std::string bytes;
  put_npy("(in memory)", std::is_same_v<T, float> ? "<f4" : "<f8", shape_of(t), t.data(),
          [&](const void* p, std::size_t n) { bytes.append(static_cast<const char*>(p), n); });
  return bytes;
}

void write_npy_integers(const fs::path& path, const Shape& shape, const std::vector<std::int64_t>& values) {
  if (values.size() != shape_size(shape))
    throw std::invalid_argument("write_npy_integers: " + std::to_string(values.size()) + " values for shape " +
                                shape_string(shape));
  write_file<std::int64_t>(path, "<i8", shape, values.data());
}

template Tensor<float> read_npy(const fs::path&);
template Tensor<double> read_npy(const fs::path&);
template Tensor<float> read_npy_finite(const fs::path&);
template Tensor<double> read_npy_finite(const fs::path&);
template void write_npy(const fs::path&, const Tensor<float>&);
template void write_npy(const fs::path&, const Tensor<double>&);
template std::string npy_bytes(const Tensor<float>&);
template std::string npy_bytes(const Tensor<double>&);

}  // namespace netdim::data
