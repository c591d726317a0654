// ONNX's backend node tests (Debian's libonnx-testdata): each a model.onnx with its inputs and
// expected outputs as TensorProto files. Run through netdim's import and forward, for the test of
// the importer and for scripts that count what passes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace netdim::testing {

inline const std::filesystem::path kOnnxNodeTests = "/usr/share/libonnx-testdata/data/node";

struct NodeCaseResult {
  std::string name;                 // "test_conv_with_strides_padding"
  std::vector<std::string> ops;     // the op types of its graph
  enum class Outcome { Passed, Refused, Mismatch } outcome = Outcome::Refused;
  std::string detail;               // the refusal, or where the outputs differ
};

// Runs test case directory `dir`: the graph's first input is the data; every other input is bound
// as an initializer (ONNX's node tests give weights as inputs, where exported models have
// initializers). Passed when netdim's output has the expected shape and matches it to the backend
// tests' tolerance (rtol 1e-3, atol 1e-7), for every data set of the case.
NodeCaseResult run_node_case(const std::filesystem::path& dir);

}  // namespace netdim::testing
