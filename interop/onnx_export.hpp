// ONNX out: an nn::Architecture and its flat parameter vector as an ONNX model (opset 17) that
// ONNX's checker accepts and that import_onnx reads back to the same layers and parameters
// (docs/onnx.md lists the kinds whose round trip changes their kind, such as adaptive pooling).
#pragma once

#include <string>

#include "netdim/autodiff/tensor.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::interop {

struct OnnxExportOptions {
  bool float32 = true;          // the model's tensors in float32 (PyTorch's default), else float64
  std::string producer_version; // written as the producer's version ("netdim 0.1.0")
};

// The model's bytes. Throws std::invalid_argument for a layer ONNX's operators cannot express
// here (naming it) or parameters of the wrong length.
std::string export_onnx(const nn::Architecture& architecture, const Tensor<double>& parameters,
                        const OnnxExportOptions& options = {});

}  // namespace netdim::interop
