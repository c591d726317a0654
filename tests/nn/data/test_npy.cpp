// .npy reading and writing: numpy's exact byte layout, round trips, every supported dtype, and a
// clear DataError for every kind of bad file.
#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>

#include "netdim/nn/data/npy.hpp"
#include "tests/nn/data/data_files.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::testing;
using data::read_npy;
using data::read_npy_integers;
using data::write_npy;

namespace {

// An .npy file as numpy lays it out: magic, version, little-endian header length, the header
// padded with spaces and a newline to a multiple of 64 bytes, then the data.
Bytes npy_bytes(const std::string& dict, const Bytes& data, int major = 1) {
  Bytes b{0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<std::uint8_t>(major), 0};
  const std::size_t length_bytes = major == 1 ? 2 : 4;
  std::string header = dict;
  const std::size_t unpadded = 8 + length_bytes + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  for (std::size_t i = 0; i < length_bytes; ++i) b.push_back(static_cast<std::uint8_t>(header.size() >> (8 * i)));
  b.insert(b.end(), header.begin(), header.end());
  b.insert(b.end(), data.begin(), data.end());
  return b;
}

std::string dict(const std::string& descr, const std::string& shape, const std::string& fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran + ", 'shape': " + shape + ", }";
}

// Little-endian bytes of values, as they sit in an .npy file on any machine.
template <class V>
Bytes le(const std::vector<V>& values) {
  using Bits = std::conditional_t<sizeof(V) == 8, std::uint64_t, std::uint32_t>;
  Bytes b;
  for (V v : values) {
    const auto bits = std::bit_cast<Bits>(v);
    for (std::size_t i = 0; i < sizeof(V); ++i) b.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
  return b;
}

}  // namespace

TEST_SUITE_BEGIN("data");

TEST_CASE("npy: written files match numpy's layout byte for byte") {
  TempDir dir;
  Tensor<double> a = {{0.5, -1.0, 2.0}, {3.0, 4.25, -0.0}};
  write_npy(dir / "a.npy", a);
  const Bytes expected = npy_bytes(dict("<f8", "(2, 3)"), le<double>({0.5, -1.0, 2.0, 3.0, 4.25, -0.0}));
  CHECK(read_bytes(dir / "a.npy") == expected);
  CHECK(expected.size() == 128 + 6 * 8);
  CHECK_FALSE(fs::exists(dir / "a.npy.tmp"));

  const Tensor<float> v = {1.5f, 2.5f, -3.5f};
  write_npy(dir / "v.npy", v);
  CHECK(read_bytes(dir / "v.npy") == npy_bytes(dict("<f4", "(3,)"), le<float>({1.5f, 2.5f, -3.5f})));

  data::write_npy_integers(dir / "i.npy", Shape{2, 2}, {1, -2, 3, 1LL << 40});
  CHECK(read_bytes(dir / "i.npy") == npy_bytes(dict("<i8", "(2, 2)"), le<std::int64_t>({1, -2, 3, 1LL << 40})));
}

TEST_CASE("npy: round trips keep shape and values") {
  TempDir dir;
  const Tensor<double> a = uniform({3, 4, 5}, -10, 10, 42);
  write_npy(dir / "a.npy", a);
  const Tensor<double> a2 = read_npy<double>(dir / "a.npy");
  CHECK(shape_of(a2) == shape_of(a));
  CHECK(a2 == a);

  const Tensor<float> f = uniform<float>({7}, -1, 1, 7);
  write_npy(dir / "f.npy", f);
  CHECK(read_npy<float>(dir / "f.npy") == f);
  CHECK(read_npy<double>(dir / "f.npy") == xt::cast<double>(f));

  const Tensor<double> scalar = 3.25;
  write_npy(dir / "s.npy", scalar);
  const Tensor<double> s2 = read_npy<double>(dir / "s.npy");
  CHECK(s2.dimension() == 0);
  CHECK(s2() == 3.25);

  const Tensor<double> empty = Tensor<double>::from_shape(Shape{0, 3});
  write_npy(dir / "e.npy", empty);
  CHECK(shape_of(read_npy<double>(dir / "e.npy")) == Shape{0, 3});

  const std::vector<std::int64_t> labels{9, 0, 0, 3, -1, 1LL << 50};
  data::write_npy_integers(dir / "l.npy", Shape{6}, labels);
  const data::NpyIntegers l = read_npy_integers(dir / "l.npy");
  CHECK(l.shape == Shape{6});
  CHECK(l.values == labels);
  CHECK_THROWS_AS(data::write_npy_integers(dir / "bad.npy", Shape{5}, labels), std::invalid_argument);
}

TEST_CASE("npy: every supported dtype reads, in format versions 1.0 and 2.0") {
  TempDir dir;
  write_bytes(dir / "i4.npy", npy_bytes(dict("<i4", "(2, 2)"), le<std::int32_t>({-7, 0, 5, 2147483647})));
  write_bytes(dir / "u1.npy", npy_bytes(dict("|u1", "(3,)"), {0, 128, 255}));
  write_bytes(dir / "f4v2.npy", npy_bytes(dict("<f4", "(2,)"), le<float>({0.25f, -8.0f}), 2));
  write_bytes(dir / "i8v2.npy", npy_bytes(dict("<i8", "(1, 2)"), le<std::int64_t>({-3, 4}), 2));

  CHECK(read_npy<double>(dir / "i4.npy") == Tensor<double>{{-7, 0}, {5, 2147483647}});
  CHECK(read_npy<float>(dir / "u1.npy") == Tensor<float>{0, 128, 255});
  CHECK(read_npy<double>(dir / "f4v2.npy") == Tensor<double>{0.25, -8.0});
  CHECK(read_npy<double>(dir / "i8v2.npy") == Tensor<double>{{-3, 4}});

  CHECK(read_npy_integers(dir / "i4.npy").values == std::vector<std::int64_t>{-7, 0, 5, 2147483647});
  CHECK(read_npy_integers(dir / "u1.npy").values == std::vector<std::int64_t>{0, 128, 255});
  CHECK(read_npy_integers(dir / "i8v2.npy").shape == Shape{1, 2});
  expect_data_error([&] { read_npy_integers(dir / "f4v2.npy"); }, dir / "f4v2.npy", "dtype '<f4' is floating point");

  // Other spellings numpy's reader accepts: double quotes, any key order, Python 2 longs.
  write_bytes(dir / "odd.npy",
              npy_bytes("{\"shape\": (2L,), \"fortran_order\": False, \"descr\": \"<f8\"}", le<double>({1.0, 2.0})));
  CHECK(read_npy<double>(dir / "odd.npy") == Tensor<double>{1.0, 2.0});
}

TEST_CASE("npy: bad files give a DataError naming the path and the cause") {
  TempDir dir;
  const Bytes two = le<double>({1.0, 2.0});
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& cause) {
    CAPTURE(name);
    write_bytes(dir / name, bytes);
    expect_data_error([&] { read_npy<double>(dir / name); }, dir / name, cause);
    expect_data_error([&] { read_npy_integers(dir / name); }, dir / name, cause);
  };
  Bytes bad_magic = npy_bytes(dict("<f8", "(2,)"), two);
  bad_magic[1] = 'n';
  check("bad_magic", bad_magic, "bad magic: not an .npy file");
  check("zip", {'P', 'K', 3, 4, 0, 0, 0, 0, 0, 0, 0, 0}, "bad magic: a zip archive, not an .npy file");
  check("text", Bytes{'1', ',', '2', '\n'}, "bad magic");
  check("empty", {}, "empty file");
  check("short", {0x93, 'N', 'U', 'M'}, "truncated: only 4 bytes");
  check("in_preamble", {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 70}, "truncated: the file ends inside the .npy preamble");
  Bytes v3 = npy_bytes(dict("<f8", "(2,)"), two, 2);
  v3[6] = 3;
  check("version3", v3, "unsupported .npy format version 3.0");
  const Bytes whole = npy_bytes(dict("<f8", "(2,)"), two);
  check("cut_header", Bytes(whole.begin(), whole.begin() + 40),
        "truncated header: the preamble announces 118 header bytes but only 30 follow");
  check("fortran", npy_bytes(dict("<f8", "(2, 1)", "True"), two),
        "fortran_order is True: only C-order arrays are supported");
  check("complex", npy_bytes(dict("<c16", "(1,)"), Bytes(16)), "unsupported dtype '<c16'");
  check("big_endian", npy_bytes(dict(">f8", "(2,)"), two), "unsupported dtype '>f8' (big-endian)");
  check("float16", npy_bytes(dict("<f2", "(2,)"), Bytes(4)), "unsupported dtype '<f2'");
  check("structured", npy_bytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (2,), }", two),
        "structured dtypes are not supported");
  check("missing_key", npy_bytes("{'descr': '<f8', 'shape': (2,), }", two), "bad header: missing key 'fortran_order'");
  check("extra_key", npy_bytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'x': 1}", two),
        "bad header: unexpected key 'x'");
  check("duplicate_key", npy_bytes("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (2,)}", two),
        "bad header: duplicate key 'descr'");
  check("negative_dim", npy_bytes(dict("<f8", "(-2,)"), two), "bad header: expected a non-negative integer in 'shape'");
  check("shape_not_tuple", npy_bytes(dict("<f8", "[2]"), two), "bad header: expected 'shape' as a tuple");
  check("bad_bool", npy_bytes(dict("<f8", "(2,)", "0"), two), "'fortran_order' must be True or False");
  check("garbage_header", npy_bytes("\x01\xff garbage", two), "bad header: expected a header dict");
  check("unterminated", npy_bytes("{'descr: <f8", two), "bad header: unterminated string");
  check("after_dict", npy_bytes(dict("<f8", "(2,)") + " extra", two),
        "bad header: unexpected text after the closing '}'");
  check("huge_shape", npy_bytes(dict("<f8", "(100000000, 100000000)"), two), "implausible shape");
  check("short_data", npy_bytes(dict("<f8", "(3,)"), two),
        "truncated: shape [3] of '<f8' needs 24 bytes of data but only 16 follow the header");
  check("shape_mismatch", npy_bytes(dict("<f8", "(2, 2)"), two), "truncated: shape [2, 2] of '<f8' needs 32 bytes");
  Bytes longer = npy_bytes(dict("<f8", "(2,)"), two);
  longer.insert(longer.end(), {0, 0, 0});
  check("trailing", longer, "3 trailing bytes after the 16 bytes of data that shape [2] of '<f8' describes");

  expect_data_error([&] { read_npy<float>(dir / "absent.npy"); }, dir / "absent.npy", "no such file");
  expect_data_error([&] { read_npy<float>(dir.path()); }, dir.path(), "is a directory");
}

TEST_CASE("npy: read_npy_finite names the first NaN, infinity or value beyond the type's range") {
  TempDir dir;
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& as_float,
                         const std::string& as_double) {
    CAPTURE(name);
    write_bytes(dir / name, bytes);
    expect_data_error([&] { data::read_npy_finite<float>(dir / name); }, dir / name, as_float);
    if (as_double.empty())
      CHECK_NOTHROW(data::read_npy_finite<double>(dir / name));
    else
      expect_data_error([&] { data::read_npy_finite<double>(dir / name); }, dir / name, as_double);
    CHECK_NOTHROW(read_npy<float>(dir / name));  // read_npy converts without checking, as before
  };
  check("inf.npy", npy_bytes(dict("<f8", "(2, 3)"), le<double>({0, 1, 2, 3, inf, 5})), "entry 4 ([1, 1]) is inf",
        "entry 4 ([1, 1]) is inf");
  check("minus_inf.npy", npy_bytes(dict("<f8", "(3,)"), le<double>({0, -inf, -inf})), "entry 1 ([1]) is -inf",
        "entry 1 ([1]) is -inf");
  check("nan_f4.npy", npy_bytes(dict("<f4", "(2, 1, 2)"), le<float>({0, 1, 2, std::nanf("")})),
        "entry 3 ([1, 0, 1]) is nan", "entry 3 ([1, 0, 1]) is nan");
  check("big.npy", npy_bytes(dict("<f8", "(1, 2)"), le<double>({1e300, inf})), "entry 0 ([0, 0]) is 1e+300, beyond float32's range",
        "entry 1 ([0, 1]) is inf");
  check("negative_big.npy", npy_bytes(dict("<f8", "(2,)"), le<double>({-1, -4e38})),
        "entry 1 ([1]) is -4e+38, beyond float32's range", "");
  check("scalar.npy", npy_bytes(dict("<f8", "()"), le<double>({nan})), "entry 0 ([]) is nan", "entry 0 ([]) is nan");

  // Past the first chunk of 2^16 entries the index still counts from the start.
  std::vector<double> many(3 * 40000, 0.5);
  many[70001] = inf;
  check("late.npy", npy_bytes(dict("<f8", "(3, 200, 200)"), le<double>(many)), "entry 70001 ([1, 150, 1]) is inf",
        "entry 70001 ([1, 150, 1]) is inf");

  // Integers always fit, finite values just inside float32's range read.
  write_bytes(dir / "i8.npy", npy_bytes(dict("<i8", "(2,)"), le<std::int64_t>({INT64_MIN, INT64_MAX})));
  CHECK(data::read_npy_finite<float>(dir / "i8.npy") == Tensor<float>{-0x1p63f, 0x1p63f});
  write_bytes(dir / "edge.npy", npy_bytes(dict("<f8", "(2,)"), le<double>({3.4028234e38, 1e-300})));
  CHECK(data::read_npy_finite<float>(dir / "edge.npy") == Tensor<float>{3.4028234e38f, 0.0f});
}

TEST_CASE("npy: index_string gives the row-major multi-index") {
  CHECK(data::index_string(0, Shape{}) == "[]");
  CHECK(data::index_string(5, Shape{7}) == "[5]");
  CHECK(data::index_string(1234, Shape{20, 2, 4, 16}) == "[9, 1, 1, 2]");
  CHECK(data::index_string(23, Shape{2, 3, 4}) == "[1, 2, 3]");
}

TEST_CASE("npy: a zero next to huge dimensions is refused, not turned into wrapping strides") {
  TempDir dir;
  // No data at all, but the strides of [0, 2^40, 2^40] (2^80) would overflow.
  const auto check = [&](const std::string& name, const std::string& shape) {
    CAPTURE(name);
    write_bytes(dir / name, npy_bytes(dict("<f8", shape), {}));
    expect_data_error([&] { read_npy<double>(dir / name); }, dir / name, "implausible shape");
    expect_data_error([&] { read_npy_integers(dir / name); }, dir / name, "implausible shape");
  };
  check("zero_first", "(0, 1099511627776, 1099511627776)");
  check("zero_last", "(1099511627776, 1099511627776, 0)");
  check("zero_between", "(70368744177664, 0, 70368744177664)");
  // An empty array with plausible dimensions still reads.
  write_bytes(dir / "empty.npy", npy_bytes(dict("<f8", "(0, 3)"), {}));
  CHECK(shape_of(read_npy<double>(dir / "empty.npy")) == Shape{0, 3});
}

TEST_CASE("npy: a header longer than 1 MiB is refused before it is read into memory") {
  TempDir dir;
  // Format 2.0 announces up to 4 GiB of header; this one announces and holds 2^20 + 1 bytes.
  const std::string huge = dict("<f8", "(1,)") + std::string((std::size_t(1) << 20) + 1 - dict("<f8", "(1,)").size(), ' ');
  Bytes b{0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
  for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(huge.size() >> (8 * i)));
  b.insert(b.end(), huge.begin(), huge.end());
  const Bytes one = le<double>({1.0});
  b.insert(b.end(), one.begin(), one.end());
  write_bytes(dir / "long.npy", b);
  expect_data_error([&] { read_npy<double>(dir / "long.npy"); }, dir / "long.npy",
                    "implausible header: the preamble announces 1048577 header bytes, more than 1048576");
}

TEST_CASE("npy: header bytes quoted in a message are escaped and truncated to one line") {
  TempDir dir;
  const Bytes two = le<double>({1.0, 2.0});
  const std::string key = "evil\n\x1b[31mkey" + std::string(300, 'k');
  write_bytes(dir / "key.npy", npy_bytes("{'" + key + "': 1, 'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", two));
  expect_data_error([&] { read_npy<double>(dir / "key.npy"); }, dir / "key.npy", "unexpected key 'evil\\x0a\\x1b[31mkey");
  try {
    read_npy<double>(dir / "key.npy");
  } catch (const data::DataError& e) {
    const std::string message = e.what();
    CHECK(message.find('\x1b') == std::string::npos);
    CHECK(message.find("...") != std::string::npos);
    CHECK(message.size() < 400);
  }
  write_bytes(dir / "descr.npy", npy_bytes(dict("<f8\r\x07", "(2,)"), two));
  expect_data_error([&] { read_npy<double>(dir / "descr.npy"); }, dir / "descr.npy", "unsupported dtype '<f8\\x0d\\x07'");
}

TEST_CASE("npy: a failed write leaves neither a partial file nor the temporary") {
  TempDir dir;
  const Tensor<double> a = {1.0, 2.0};
  expect_data_error([&] { write_npy(dir / "no_such_dir" / "a.npy", a); }, dir / "no_such_dir" / "a.npy",
                    "cannot write");
  CHECK_FALSE(fs::exists(dir / "no_such_dir"));

  // A directory at the target is refused before anything is written (tests/support/test_atomic_write.cpp has the rest).
  fs::create_directories(dir / "taken.npy" / "inside");
  expect_data_error([&] { write_npy(dir / "taken.npy", a); }, dir / "taken.npy", "a directory, not a regular file");
  CHECK(fs::is_directory(dir / "taken.npy" / "inside"));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 1);

  // Overwriting replaces the old file in one step.
  write_npy(dir / "b.npy", a);
  const Tensor<double> b = {5.0, 6.0, 7.0};
  write_npy(dir / "b.npy", b);
  CHECK(read_npy<double>(dir / "b.npy") == b);
}

TEST_CASE("npy: mutated files read or give a DataError, nothing else") {
  TempDir dir;
  write_npy(dir / "seed.npy", Tensor<double>{{1, 2, 3}, {4, 5, 6}});
  const Bytes good = read_bytes(dir / "seed.npy");
  std::mt19937_64 rng(2024);
  int errors = 0;
  for (int trial = 0; trial < 150; ++trial) {
    Bytes b = good;
    if (rng() % 4 == 0) {
      b.resize(rng() % b.size());
    } else {
      // Mostly the header: that is where the parsing is.
      for (auto k = rng() % 3 + 1; k-- > 0;)
        b[rng() % 80] = static_cast<std::uint8_t>(rng() % 2 ? rng() : "0123(), '"[rng() % 9]);
    }
    write_bytes(dir / "m.npy", b);
    try {
      read_npy<double>(dir / "m.npy");
    } catch (const data::DataError&) {
      ++errors;
    }
  }
  CHECK(errors > 40);
}

TEST_SUITE_END();
