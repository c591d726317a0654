// The graph walk of an ONNX import: each value of the graph as a layer of the architecture being
// built or as a constant, and the operators (onnx_operators.cpp) turning nodes into layers.
// Internal to interop/.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "netdim/interop/onnx_import.hpp"
#include "netdim/interop/onnx_tensor.hpp"

namespace netdim::interop {

// One value of the graph, as the nodes before it left it.
struct Value {
  bool is_layer = false;
  // A layer value: the layer, and ONNX's shape of one example, which can differ from the layer's
  // by unit axes (GlobalAveragePool gives [c, 1, 1] where netdim's layer is [c]).
  nn::Architecture::Ref layer = 0;
  std::vector<std::int64_t> example_dims;
  // A zero Pad on the spatial axes not yet folded into the Conv or AveragePool that reads it.
  std::optional<std::array<std::size_t, 2>> pending_pad;
  // A MatMul by a constant not yet built: built with the bias of the Add that reads it, if that
  // Add is its only reader, else without one.
  struct PendingDense {
    nn::Architecture::Ref from = 0;
    std::size_t units = 0;
    std::vector<double> weight;  // [units, in], netdim's layout
    std::string name;
  };
  std::optional<PendingDense> pending_dense;
  // A Reshape of a layer's channels into (groups, c / groups), and then its Transpose: the first two
  // steps of ShuffleNet's channel shuffle, which the Reshape back to [c, h, w] completes.
  struct PendingShuffle {
    std::size_t groups = 1;
    bool transposed = false;
  };
  std::optional<PendingShuffle> pending_shuffle;
  ConstantTensor constant;  // a constant value
};

// In folded shape arithmetic (Shape, Gather, Concat, ... of constants), the batch size: unknown
// when the graph is read, so it may only travel to a Reshape's first entry, never be computed with.
inline constexpr double kBatchSize = -4503599627370496.0;  // -2^52, no real size

class OnnxConverter {
 public:
  OnnxConverter(const onnx::ModelProto& model, std::filesystem::path file);
  OnnxImport run();

  // For the operators: the node being converted, its inputs, and the model being built.
  const onnx::NodeProto& node() const { return *node_; }
  std::int64_t opset() const { return opset_; }
  std::int64_t batch() const { return batch_; }  // the input's fixed batch size, -1 when it has none
  nn::Architecture& architecture() { return architecture_; }
  [[noreturn]] void fail(const std::string& cause) const;

  std::size_t input_count() const;  // inputs with a name (an empty name is an omitted optional input)
  bool has_input(std::size_t i) const;
  const Value& input(std::size_t i);
  bool input_is_layer(std::size_t i);
  // The input as a built layer (a pending MatMul is built without a bias); refuses a pending Pad.
  nn::Architecture::Ref layer_input(std::size_t i);
  const ConstantTensor& constant_input(std::size_t i, const char* role);
  // The number of nodes that read output `i` of the current node (graph outputs count once).
  std::size_t readers_of_output(std::size_t i) const;
  std::size_t readers_of(const std::string& value) const;

  void set_output(std::size_t i, Value v);
  void set_layer_output(nn::Architecture::Ref layer, std::vector<std::int64_t> example_dims, std::size_t i = 0);
  // Parameter blocks of `layer`, in canonical order.
  void set_parameters(nn::Architecture::Ref layer, std::vector<std::vector<double>> blocks);
  void note(const std::string& line);

  // A layer name for the layer the node makes: the stem of the initializer that holds its weight
  // ("features.0" of "features.0.weight") when that is a valid, unused name, else the node's name
  // when valid, else "" (the architecture's automatic name).
  std::string layer_name(const std::string& weight_initializer = "") const;
  nn::Architecture::Ref build_pending_dense(const std::string& value, const std::vector<double>* bias);

  // Attributes of the node, every one checked against what the operator knows.
  void allow_attributes(std::initializer_list<const char*> names) const;
  const onnx::AttributeProto* attribute(const char* name) const;
  std::int64_t int_attribute(const char* name, std::int64_t fallback) const;
  double float_attribute(const char* name, double fallback) const;
  std::string string_attribute(const char* name, const std::string& fallback) const;
  std::vector<std::int64_t> ints_attribute(const char* name) const;  // empty when absent

 private:
  const Value& value(const std::string& name);
  void convert_node();

  const onnx::ModelProto& model_;
  std::filesystem::path file_;
  std::int64_t opset_ = 0;
  nn::Architecture architecture_;
  std::unordered_map<std::string, Value> values_;
  std::unordered_map<std::string, const onnx::TensorProto*> initializers_;
  std::unordered_map<std::string, std::size_t> readers_;
  std::map<nn::Architecture::Ref, std::vector<std::vector<double>>> parameters_;
  std::vector<std::string> notes_;
  const onnx::NodeProto* node_ = nullptr;
  std::size_t node_index_ = 0, node_count_ = 0;
  std::int64_t batch_ = -1;  // the input's static batch size, if it has one
};

// Converts the current node of `c`; throws through c.fail() for anything it cannot take.
void convert_operator(OnnxConverter& c);
// The operators convert_operator takes, for messages.
const std::vector<std::string>& supported_operators();

}  // namespace netdim::interop
