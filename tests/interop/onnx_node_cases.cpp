#include "tests/interop/onnx_node_cases.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "netdim/interop/onnx_import.hpp"
#include "netdim/interop/onnx_tensor.hpp"
#include "netdim/nn/model.hpp"

namespace netdim::testing {

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

onnx::TensorProto read_tensor_file(const std::filesystem::path& p) {
  onnx::TensorProto t;
  const std::string bytes = slurp(p);
  if (!t.ParseFromString(bytes)) throw std::runtime_error(p.string() + ": not a TensorProto");
  return t;
}

Tensor<double> as_tensor(const interop::ConstantTensor& c) {
  Shape shape(c.dims.begin(), c.dims.end());
  Tensor<double> t = Tensor<double>::from_shape(shape);
  std::copy(c.values.begin(), c.values.end(), t.data());
  return t;
}

}  // namespace

NodeCaseResult run_node_case(const std::filesystem::path& dir) {
  NodeCaseResult r;
  r.name = dir.filename().string();
  onnx::ModelProto model;
  if (!model.ParseFromString(slurp(dir / "model.onnx"))) {
    r.detail = "model.onnx does not parse";
    return r;
  }
  for (const onnx::NodeProto& n : model.graph().node())
    if (std::find(r.ops.begin(), r.ops.end(), n.op_type()) == r.ops.end()) r.ops.push_back(n.op_type());

  std::vector<std::filesystem::path> sets;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.is_directory() && e.path().filename().string().starts_with("test_data_set_")) sets.push_back(e.path());
  std::sort(sets.begin(), sets.end());
  if (sets.empty()) {
    r.detail = "no test data set";
    return r;
  }
  for (const std::filesystem::path& set : sets) {
    onnx::ModelProto bound = model;
    onnx::GraphProto& g = *bound.mutable_graph();
    const int inputs = g.input_size();
    onnx::TensorProto x;
    for (int i = 0; i < inputs; ++i) {
      const std::filesystem::path file = set / ("input_" + std::to_string(i) + ".pb");
      if (!std::filesystem::exists(file)) continue;  // an omitted optional input
      onnx::TensorProto t = read_tensor_file(file);
      if (i == 0) {
        x = t;
        continue;
      }
      t.set_name(g.input(i).name());
      *g.add_initializer() = t;
    }
    std::string bytes;
    bound.SerializeToString(&bytes);
    try {
      const interop::OnnxImport imported = interop::import_onnx_bytes(bytes, "model.onnx");
      nn::Model<double> m(imported.architecture);
      m.set_parameters(imported.parameters);
      const Tensor<double> input = as_tensor(interop::read_tensor(x, "input_0"));
      const Tensor<double> y = m.predict(input);
      const interop::ConstantTensor expected = interop::read_tensor(read_tensor_file(set / "output_0.pb"), "output_0");
      // netdim's output as ONNX shapes it (netdim drops the unit axes of a global pooling).
      Shape onnx_shape{input.shape()[0]};
      for (const std::int64_t d : imported.output_dims) onnx_shape.push_back(static_cast<std::size_t>(d));
      const Shape expected_shape(expected.dims.begin(), expected.dims.end());
      if (onnx_shape != expected_shape || shape_size(onnx_shape) != y.size()) {
        r.outcome = NodeCaseResult::Outcome::Mismatch;
        r.detail = "output shape " + shape_string(onnx_shape) + " (netdim's " + shape_string(shape_of(y)) +
                   ") where ONNX expects " + shape_string(expected_shape);
        return r;
      }
      for (std::size_t i = 0; i < y.size(); ++i) {
        const double want = expected.values[i], got = y.data()[i];
        if (!(std::abs(got - want) <= 1e-7 + 1e-3 * std::abs(want))) {
          r.outcome = NodeCaseResult::Outcome::Mismatch;
          r.detail = set.filename().string() + ": output entry " + std::to_string(i) + " is " + std::to_string(got) +
                     ", ONNX expects " + std::to_string(want);
          return r;
        }
      }
    } catch (const std::exception& e) {
      r.outcome = NodeCaseResult::Outcome::Refused;
      r.detail = e.what();
      return r;
    }
  }
  r.outcome = NodeCaseResult::Outcome::Passed;
  return r;
}

}  // namespace netdim::testing
