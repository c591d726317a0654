// NumPy .npy files, for exchanging arrays with NumPy and PyTorch: read format versions 1.0 and 2.0,
// write 1.0; C order only; dtypes '<f8', '<f4', '<i4', '<i8' and '|u1'. The header is parsed and
// checked here, so a bad file is a DataError naming the path and the cause, never an abort.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "netdim/autodiff/scalar.hpp"
#include "netdim/autodiff/tensor.hpp"

namespace netdim::data {

// Reads an array of any supported dtype, converted to T.
template <FloatingScalar T>
Tensor<T> read_npy(const std::filesystem::path& path);

// read_npy, refusing any entry that is not a finite number T can hold: the first NaN, infinity or
// value beyond T's range (1e300 read as float) is a DataError naming its flat and its multi-index,
// such as "X.npy: entry 1234 ([12, 0, 3, 4]) is inf" or "... is 1e+300, beyond float32's range".
// Checked chunk by chunk as the data is converted: no second copy of the array.
template <FloatingScalar T>
Tensor<T> read_npy_finite(const std::filesystem::path& path);

// "[12, 0, 3, 4]": the multi-index of row-major entry `flat` of an array of shape `shape`
// (flat < shape_size(shape)).
std::string index_string(std::size_t flat, const Shape& shape);

// An integer array, such as class labels: its shape and its row-major values.
struct NpyIntegers {
  Shape shape;
  std::vector<std::int64_t> values;
};

// Reads an array of dtype '<i4', '<i8' or '|u1'; a floating-point file is a DataError.
NpyIntegers read_npy_integers(const std::filesystem::path& path);

// Writes a version 1.0 file: '<f4' for float, '<f8' for double. The data goes to path + ".tmp",
// renamed to path once complete, so a failed write never leaves a half-written file at path.
template <FloatingScalar T>
void write_npy(const std::filesystem::path& path, const Tensor<T>& t);

// The bytes write_npy writes, for a caller that writes several files at once (support::OutputBatch).
template <FloatingScalar T>
std::string npy_bytes(const Tensor<T>& t);

// Writes integers as '<i8' the same way. Throws std::invalid_argument when values.size() is not
// shape_size(shape).
void write_npy_integers(const std::filesystem::path& path, const Shape& shape, const std::vector<std::int64_t>& values);

extern template Tensor<float> read_npy(const std::filesystem::path&);
extern template Tensor<double> read_npy(const std::filesystem::path&);
extern template Tensor<float> read_npy_finite(const std::filesystem::path&);
extern template Tensor<double> read_npy_finite(const std::filesystem::path&);
extern template void write_npy(const std::filesystem::path&, const Tensor<float>&);
extern template void write_npy(const std::filesystem::path&, const Tensor<double>&);
extern template std::string npy_bytes(const Tensor<float>&);
extern template std::string npy_bytes(const Tensor<double>&);

}  // namespace netdim::data
