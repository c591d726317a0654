// IDX reading: round trips in both encodings, and a clear DataError for every kind of bad file.
#include <doctest/doctest.h>

#include <random>

#include "netdim/nn/data/idx.hpp"
#include "tests/nn/data/data_files.hpp"

using namespace netdim;
using namespace netdim::testing;
using data::read_idx;

namespace {

Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7);
  return b;
}

}  // namespace

TEST_SUITE_BEGIN("data");

TEST_CASE("idx: round trip, plain and gzip-compressed") {
  TempDir dir;
  const Bytes pixels = counting(3 * 2 * 4);
  const Bytes file = idx_bytes({3, 2, 4}, pixels);
  write_bytes(dir / "plain.idx", file);
  write_gzip(dir / "packed.idx.gz", file);
  for (const char* name : {"plain.idx", "packed.idx.gz"}) {
    CAPTURE(name);
    const data::IdxData d = read_idx(dir / name);
    CHECK(d.shape == Shape{3, 2, 4});
    CHECK(d.bytes == pixels);
  }

  const Bytes labels{9, 0, 0, 3, 255};
  write_gzip(dir / "labels.gz", idx_bytes({5}, labels));
  const data::IdxData l = read_idx(dir / "labels.gz");
  CHECK(l.shape == Shape{5});
  CHECK(l.bytes == labels);
}

TEST_CASE("idx: a large file arrives whole through the growing buffer") {
  TempDir dir;
  const Bytes pixels = counting(3000017);
  write_gzip(dir / "big.gz", idx_bytes({3000017}, pixels));
  const data::IdxData d = read_idx(dir / "big.gz");
  CHECK(d.shape == Shape{3000017});
  CHECK(d.bytes == pixels);
}

TEST_CASE("idx: bad header fields") {
  TempDir dir;
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& cause) {
    CAPTURE(name);
    write_bytes(dir / name, bytes);
    expect_data_error([&] { read_idx(dir / name); }, dir / name, cause);
  };
  Bytes bad_magic = idx_bytes({2}, {1, 2});
  bad_magic[1] = 1;
  check("bad_magic", bad_magic, "bad magic: an IDX file starts with two zero bytes, this one starts with 0x00 0x01");
  check("float", idx_bytes({2}, Bytes(8), 0x0D), "unsupported IDX data type 0x0D (32-bit float)");
  check("int32", idx_bytes({2}, Bytes(8), 0x0C), "unsupported IDX data type 0x0C (32-bit integer)");
  check("unknown_type", idx_bytes({2}, {1, 2}, 0x42), "unknown IDX data type code 0x42");
  check("rank0", idx_bytes({}, {}), "zero dimensions");
  check("zero_dim", idx_bytes({3, 0, 2}, {}), "dimension 1 of [3, 0, 2] is zero");
  check("huge", idx_bytes({0xFFFFFFFF, 0xFFFFFFFF}, {}), "implausible header");
  check("short_header", {0, 0, 8, 3, 0, 0, 0, 5, 0, 0}, "truncated header: 3 dimensions need 12 bytes");
  check("short_magic", {0, 0}, "truncated: only 2 of the 4 bytes of the IDX magic number");
  check("empty", {}, "empty file");
  check("garbage", Bytes{'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd'}, "bad magic");
}

TEST_CASE("idx: a zero or huge dimension is refused wherever it stands") {
  TempDir dir;
  const auto check = [&](const std::string& name, const Bytes& bytes, const std::string& cause) {
    CAPTURE(name);
    write_bytes(dir / name, bytes);
    expect_data_error([&] { read_idx(dir / name); }, dir / name, cause);
  };
  check("zero_then_huge", idx_bytes({0, 0xFFFFFFFF, 0xFFFFFFFF}, {}), "dimension 0 of [0, 4294967295, 4294967295] is zero");
  check("huge_then_zero", idx_bytes({0xFFFFFFFF, 0xFFFFFFFF, 0}, {}), "implausible header");
  check("huge_product", idx_bytes({0x10000, 0x10000, 0x10000}, {}), "implausible header");
}

TEST_CASE("idx: data length must match the dimensions exactly") {
  TempDir dir;
  const Bytes full = idx_bytes({4, 3, 3}, counting(36));
  Bytes truncated(full.begin(), full.end() - 5);
  write_bytes(dir / "short", truncated);
  write_gzip(dir / "short.gz", truncated);
  for (const char* name : {"short", "short.gz"})
    expect_data_error([&] { read_idx(dir / name); }, dir / name,
                      "truncated: header says 4 images of 3x3 (36 bytes) but only 31 bytes of data follow");

  Bytes longer = full;
  longer.insert(longer.end(), {1, 2, 3});
  write_gzip(dir / "long.gz", longer);
  expect_data_error([&] { read_idx(dir / "long.gz"); }, dir / "long.gz", "3 trailing bytes after the 36 bytes");

  write_bytes(dir / "labels", idx_bytes({10}, counting(4)));
  expect_data_error([&] { read_idx(dir / "labels"); }, dir / "labels", "header says 10 values (10 bytes) but only 4");
}

TEST_CASE("idx: damaged gzip streams") {
  TempDir dir;
  write_gzip(dir / "whole.gz", idx_bytes({200, 50}, counting(10000)));
  const Bytes whole = read_bytes(dir / "whole.gz");
  REQUIRE(whole.size() > 40);

  for (std::size_t keep : {whole.size() / 2, whole.size() - 4, std::size_t(12)}) {
    CAPTURE(keep);
    write_bytes(dir / "cut.gz", Bytes(whole.begin(), whole.begin() + long(keep)));
    expect_data_error([&] { read_idx(dir / "cut.gz"); }, dir / "cut.gz", "truncated gzip stream");
  }

  Bytes bad_crc = whole;
  bad_crc[bad_crc.size() - 6] ^= 0xFF;  // inside the CRC-32 of the trailer
  write_bytes(dir / "crc.gz", bad_crc);
  expect_data_error([&] { read_idx(dir / "crc.gz"); }, dir / "crc.gz", "corrupt gzip stream: incorrect data check");

  write_gzip(dir / "empty.gz", {});
  expect_data_error([&] { read_idx(dir / "empty.gz"); }, dir / "empty.gz", "empty file");
}

TEST_CASE("idx: missing files and directories") {
  TempDir dir;
  expect_data_error([&] { read_idx(dir / "absent.gz"); }, dir / "absent.gz", "no such file");
  expect_data_error([&] { read_idx(dir.path()); }, dir.path(), "is a directory");
}

TEST_CASE("idx: mutated files read or give a DataError, nothing else") {
  TempDir dir;
  const Bytes plain = idx_bytes({4, 5, 6}, counting(120));
  write_gzip(dir / "seed.gz", plain);
  const Bytes packed = read_bytes(dir / "seed.gz");
  std::mt19937_64 rng(2024);
  int errors = 0;
  for (int trial = 0; trial < 150; ++trial) {
    Bytes b = trial % 2 ? plain : packed;
    if (rng() % 4 == 0) {
      b.resize(rng() % b.size());
    } else {
      for (auto k = rng() % 3; k-- > 0;) b[rng() % b.size()] = static_cast<std::uint8_t>(rng());
    }
    write_bytes(dir / "m", b);
    try {
      read_idx(dir / "m");
    } catch (const data::DataError&) {
      ++errors;
    }
  }
  CHECK(errors > 40);
}

TEST_SUITE_END();
