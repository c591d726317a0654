// IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a data type code, the number
// of dimensions, the dimensions as big-endian 32-bit integers, then the data in row-major order.
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::data {

// An IDX file of unsigned bytes: its dimensions and its shape_size(shape) bytes, row-major.
struct IdxData {
  Shape shape;
  std::vector<std::uint8_t> bytes;
};

// Reads a plain or gzip-compressed IDX file of unsigned bytes (data type 0x08).
// A missing, unreadable or malformed file throws DataError naming the path and the cause;
// the data must be exactly as long as the dimensions say.
IdxData read_idx(const std::filesystem::path& path);

}  // namespace netdim::data
