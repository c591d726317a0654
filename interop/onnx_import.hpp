// ONNX in: a model's graph as an nn::Architecture, its initializers as the flat parameter vector
// in netdim's canonical order. docs/onnx.md lists the operators, what each becomes, and what
// is refused. No protobuf type appears here: programs include this header without ONNX's.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/autodiff/tensor.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::interop {

struct OnnxImport {
  nn::Architecture architecture;
  Tensor<double> parameters;              // [parameter_count()], canonical order
  std::vector<std::int64_t> output_dims;  // ONNX's shape of one example's output (netdim may drop 1s)
  std::int64_t opset = 0;                 // of the default (ai.onnx) domain
  std::string producer;                   // "pytorch 1.13.1", as the file says
  // What the import changed on the way, one line each: batch norms folded to scale and shift,
  // Pad nodes folded into a convolution's padding, biases of MatMul + Add.
  std::vector<std::string> notes;
};

// The largest model file read (protobuf's own limit is 2 GiB).
inline constexpr std::uintmax_t kMaxOnnxBytes = std::uintmax_t(2) << 30;

// Reads and converts `path`. Throws support::InputError for a file that cannot be read (not a
// regular file, too large) and support::FileError "PATH: cause" for one that is not a model
// netdim can take: malformed protobuf, an unsupported opset or operator (named with its position
// in the graph and the nearest supported alternative), a dynamic shape, a size mismatch.
OnnxImport import_onnx_file(const std::filesystem::path& path);

// The same from the file's bytes; `file_name` names it in messages.
OnnxImport import_onnx_bytes(std::string_view bytes, const std::filesystem::path& file_name);

// The lowest and highest opset of the default domain that netdim reads.
inline constexpr std::int64_t kMinOnnxOpset = 1, kMaxOnnxOpset = 17;

}  // namespace netdim::interop
