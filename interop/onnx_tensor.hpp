// An ONNX TensorProto (an initializer, a Constant node's value, a node test's input) as numbers:
// its full shape and its entries, every size checked against what the tensor declares.
// Internal to interop/: it names protobuf types, which the public headers never do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "onnx/onnx_pb.h"

namespace netdim::interop {

struct ConstantTensor {
  std::vector<std::int64_t> dims;  // ONNX's full shape ([] for a scalar)
  std::vector<double> values;      // every entry as a double (integers exactly up to 2^53)
  bool integral = false;           // an integer or boolean tensor
  std::size_t size() const { return values.size(); }
};

// The number of entries `dims` declare; throws std::invalid_argument (naming `what`) for a
// negative size or a product beyond 2^40 entries.
std::size_t checked_element_count(const std::vector<std::int64_t>& dims, const std::string& what);

// Throws std::invalid_argument naming `what` (e.g. "initializer 'fc.weight'") for a data type
// other than float, double, float16 and the integer and boolean ones, for external or segmented
// data, for data whose length does not match the declared shape, and for a NaN or an infinity.
ConstantTensor read_tensor(const onnx::TensorProto& tensor, const std::string& what);

// The tensor as ONNX stores float64 or float32 values (raw little-endian data), for writing.
void write_tensor(onnx::TensorProto& tensor, const std::string& name, const std::vector<std::int64_t>& dims,
                  const double* values, bool as_float32);

}  // namespace netdim::interop
