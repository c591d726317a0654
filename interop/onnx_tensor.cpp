#include "netdim/interop/onnx_tensor.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace netdim::interop {

namespace {

constexpr std::size_t kMaxEntries = std::size_t(1) << 40;

// IEEE binary16 to double, subnormals, infinities and NaN included.
double half_to_double(std::uint16_t h) {
  const int sign = (h >> 15) & 1, exponent = (h >> 10) & 0x1f, mantissa = h & 0x3ff;
  double v;
  if (exponent == 0) v = std::ldexp(mantissa, -24);
  else if (exponent == 31) v = mantissa ? std::numeric_limits<double>::quiet_NaN() : std::numeric_limits<double>::infinity();
  else v = std::ldexp(mantissa + 1024, exponent - 25);
  return sign ? -v : v;
}

struct TypeInfo {
  const char* name;
  std::size_t bytes;  // of one entry in raw_data
  bool integral;
};

// The data types read here; others are refused by name.
bool type_info(int type, TypeInfo& info) {
  using T = onnx::TensorProto;
  switch (type) {
    case T::FLOAT: info = {"float", 4, false}; return true;
    case T::DOUBLE: info = {"double", 8, false}; return true;
    case T::FLOAT16: info = {"float16", 2, false}; return true;
    case T::INT8: info = {"int8", 1, true}; return true;
    case T::UINT8: info = {"uint8", 1, true}; return true;
    case T::INT16: info = {"int16", 2, true}; return true;
    case T::UINT16: info = {"uint16", 2, true}; return true;
    case T::INT32: info = {"int32", 4, true}; return true;
    case T::UINT32: info = {"uint32", 4, true}; return true;
    case T::INT64: info = {"int64", 8, true}; return true;
    case T::UINT64: info = {"uint64", 8, true}; return true;
    case T::BOOL: info = {"bool", 1, true}; return true;
    default: return false;
  }
}

template <class Raw>
Raw load(const char* p) {
  Raw v;
  std::memcpy(&v, p, sizeof v);  // ONNX's raw data is little-endian, as this machine
  return v;
}

double raw_entry(int type, const char* p) {
  using T = onnx::TensorProto;
  switch (type) {
    case T::FLOAT: return load<float>(p);
    case T::DOUBLE: return load<double>(p);
    case T::FLOAT16: return half_to_double(load<std::uint16_t>(p));
    case T::INT8: return load<std::int8_t>(p);
    case T::UINT8: return load<std::uint8_t>(p);
    case T::INT16: return load<std::int16_t>(p);
    case T::UINT16: return load<std::uint16_t>(p);
    case T::INT32: return load<std::int32_t>(p);
    case T::UINT32: return load<std::uint32_t>(p);
    case T::INT64: return static_cast<double>(load<std::int64_t>(p));
    case T::UINT64: return static_cast<double>(load<std::uint64_t>(p));
    case T::BOOL: return load<std::uint8_t>(p) != 0;
    default: return 0;
  }
}

void check_length(std::size_t have, std::size_t want, const char* field, const std::string& what) {
  if (have != want)
    throw std::invalid_argument(what + ": its shape declares " + std::to_string(want) + " entries but " + field +
                                " holds " + std::to_string(have));
}

}  // namespace

std::size_t checked_element_count(const std::vector<std::int64_t>& dims, const std::string& what) {
  std::size_t n = 1;
  for (const std::int64_t d : dims) {
    if (d < 0) throw std::invalid_argument(what + ": a negative size (" + std::to_string(d) + ")");
    if (d != 0 && n > kMaxEntries / static_cast<std::size_t>(d))
      throw std::invalid_argument(what + ": more than 2^40 entries");
    n *= static_cast<std::size_t>(d);
  }
  return n;
}

ConstantTensor read_tensor(const onnx::TensorProto& tensor, const std::string& what) {
  using T = onnx::TensorProto;
  if (tensor.data_location() == T::EXTERNAL || tensor.external_data_size() > 0)
    throw std::invalid_argument(what + ": its data is in an external file, which netdim does not read "
                                "(save the model with onnx.save(model, path, save_as_external_data=False))");
  if (tensor.has_segment()) throw std::invalid_argument(what + ": a segmented tensor, which netdim does not read");
  TypeInfo info{};
  if (!type_info(tensor.data_type(), info))
    throw std::invalid_argument(what + ": data type " + std::to_string(tensor.data_type()) + " (" +
                                T::DataType_Name(static_cast<T::DataType>(tensor.data_type())) +
                                ") is not one netdim reads (float, double, float16, integers, bool)");
  ConstantTensor out;
  out.dims.assign(tensor.dims().begin(), tensor.dims().end());
  out.integral = info.integral;
  const std::size_t n = checked_element_count(out.dims, what);
  const int type = tensor.data_type();
  // The data's length is checked before anything is allocated: a declared shape alone proves nothing.
  if (tensor.has_raw_data()) {
    const std::string& raw = tensor.raw_data();
    if (raw.size() % info.bytes != 0 || raw.size() / info.bytes != n)
      throw std::invalid_argument(what + ": its shape declares " + std::to_string(n) + " " + info.name + " entries (" +
                                  std::to_string(n * info.bytes) + " bytes) but raw_data holds " +
                                  std::to_string(raw.size()) + " bytes");
    out.values.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.values[i] = raw_entry(type, raw.data() + i * info.bytes);
  } else {
    switch (type) {
      case T::FLOAT:
        check_length(static_cast<std::size_t>(tensor.float_data_size()), n, "float_data", what);
        out.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) out.values[i] = tensor.float_data(static_cast<int>(i));
        break;
      case T::DOUBLE:
        check_length(static_cast<std::size_t>(tensor.double_data_size()), n, "double_data", what);
        out.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) out.values[i] = tensor.double_data(static_cast<int>(i));
        break;
      case T::INT64:
        check_length(static_cast<std::size_t>(tensor.int64_data_size()), n, "int64_data", what);
        out.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) out.values[i] = static_cast<double>(tensor.int64_data(static_cast<int>(i)));
        break;
      case T::UINT32:
      case T::UINT64:
        check_length(static_cast<std::size_t>(tensor.uint64_data_size()), n, "uint64_data", what);
        out.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) out.values[i] = static_cast<double>(tensor.uint64_data(static_cast<int>(i)));
        break;
      default:  // int32_data holds the narrower integers, bool and float16's bits
        check_length(static_cast<std::size_t>(tensor.int32_data_size()), n, "int32_data", what);
        out.values.resize(n);
        for (std::size_t i = 0; i < n; ++i) {
          const std::int32_t v = tensor.int32_data(static_cast<int>(i));
          out.values[i] = type == T::FLOAT16 ? half_to_double(static_cast<std::uint16_t>(v))
                          : type == T::BOOL  ? (v != 0)
                                             : v;
        }
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(out.values[i]))
      throw std::invalid_argument(what + ": entry " + std::to_string(i) + " is " +
                                  (std::isnan(out.values[i]) ? "NaN" : "infinite") + "; netdim takes finite values only");
  return out;
}

void write_tensor(onnx::TensorProto& tensor, const std::string& name, const std::vector<std::int64_t>& dims,
                  const double* values, bool as_float32) {
  tensor.set_name(name);
  for (const std::int64_t d : dims) tensor.add_dims(d);
  const std::size_t n = checked_element_count(dims, "tensor '" + name + "'");
  std::string raw;
  if (as_float32) {
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    raw.resize(n * sizeof(float));
    for (std::size_t i = 0; i < n; ++i) {
      const float f = static_cast<float>(values[i]);
      std::memcpy(raw.data() + i * sizeof f, &f, sizeof f);
    }
  } else {
    tensor.set_data_type(onnx::TensorProto::DOUBLE);
    raw.assign(reinterpret_cast<const char*>(values), n * sizeof(double));
  }
  tensor.set_raw_data(std::move(raw));
}

}  // namespace netdim::interop
