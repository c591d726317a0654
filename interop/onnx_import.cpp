#include "netdim/interop/onnx_import.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <unordered_set>

#include "netdim/interop/onnx_converter.hpp"
#include "netdim/support/file_error.hpp"
#include "netdim/support/input_file.hpp"
#include "netdim/support/quote.hpp"

namespace netdim::interop {

namespace {

// A name the language can write after `as`: dotted pieces, each a word or a number, the first a word.
bool valid_layer_name(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  bool first = true;
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t end = std::min(s.find('.', i), s.size());
    if (end == i) return false;
    const std::string piece = s.substr(i, end - i);
    const bool word = (std::isalpha(static_cast<unsigned char>(piece[0])) || piece[0] == '_') &&
                      std::all_of(piece.begin(), piece.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    const bool number = std::all_of(piece.begin(), piece.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (!(word || (number && !first))) return false;
    first = false;
    i = end + 1;
    if (end + 1 == s.size()) return false;  // a trailing dot
  }
  return true;
}

std::string quoted(const std::string& s) { return "'" + support::printable_excerpt(s) + "'"; }

}  // namespace

OnnxConverter::OnnxConverter(const onnx::ModelProto& model, std::filesystem::path file)
    : model_(model), file_(std::move(file)) {}

void OnnxConverter::fail(const std::string& cause) const {
  if (!node_) throw support::FileError(file_, cause);
  std::string where = "node " + std::to_string(node_index_ + 1) + " of " + std::to_string(node_count_);
  if (!node_->name().empty()) where += " " + quoted(node_->name());
  throw support::FileError(file_, where + " (" + support::printable_excerpt(node_->op_type()) + "): " + cause);
}

std::size_t OnnxConverter::input_count() const { return static_cast<std::size_t>(node_->input_size()); }

bool OnnxConverter::has_input(std::size_t i) const {
  return i < input_count() && !node_->input(static_cast<int>(i)).empty();
}

const Value& OnnxConverter::value(const std::string& name) {
  if (const auto it = values_.find(name); it != values_.end()) return it->second;
  if (const auto it = initializers_.find(name); it != initializers_.end()) {
    Value v;
    try {
      v.constant = read_tensor(*it->second, "initializer " + quoted(name));
    } catch (const std::invalid_argument& e) {
      fail(e.what());
    }
    return values_.emplace(name, std::move(v)).first->second;
  }
  fail("its input " + quoted(name) +
       " is not made by an earlier node, an initializer or the graph's input: the graph is not in "
       "topological order, or has a cycle");
}

const Value& OnnxConverter::input(std::size_t i) {
  if (!has_input(i)) fail("input " + std::to_string(i + 1) + " is missing");
  return value(node_->input(static_cast<int>(i)));
}

bool OnnxConverter::input_is_layer(std::size_t i) { return input(i).is_layer; }

nn::Architecture::Ref OnnxConverter::layer_input(std::size_t i) {
  const Value& v = input(i);
  if (!v.is_layer)
    fail("input " + std::to_string(i + 1) + " " + quoted(node_->input(static_cast<int>(i))) +
         " is a constant where netdim needs the output of a layer (a computation on constants alone "
         "is folded only for shape arithmetic)");
  if (v.pending_pad) fail("it reads a Pad node; netdim folds a zero Pad only into the Conv or AveragePool that reads it");
  if (v.pending_shuffle)
    fail("it reads channels reshaped into groups; netdim reads that only as ShuffleNet's channel shuffle "
         "(Reshape to [N, g, c/g, h, w], Transpose [0, 2, 1, 3, 4], Reshape to [N, c, h, w])");
  if (v.pending_dense) return build_pending_dense(node_->input(static_cast<int>(i)), nullptr);
  return v.layer;
}

const ConstantTensor& OnnxConverter::constant_input(std::size_t i, const char* role) {
  const Value& v = input(i);
  if (v.is_layer)
    fail("its " + std::string(role) + " (input " + std::to_string(i + 1) + " " + quoted(node_->input(static_cast<int>(i))) +
         ") is computed by the graph; netdim needs it to be an initializer or a constant");
  return v.constant;
}

std::size_t OnnxConverter::readers_of(const std::string& name) const {
  const auto it = readers_.find(name);
  return it == readers_.end() ? 0 : it->second;
}

std::size_t OnnxConverter::readers_of_output(std::size_t i) const {
  if (i >= static_cast<std::size_t>(node_->output_size())) return 0;
  return readers_of(node_->output(static_cast<int>(i)));
}

void OnnxConverter::set_output(std::size_t i, Value v) {
  if (i >= static_cast<std::size_t>(node_->output_size()) || node_->output(static_cast<int>(i)).empty()) return;
  const std::string& name = node_->output(static_cast<int>(i));
  if (values_.count(name) || initializers_.count(name)) fail("its output " + quoted(name) + " is already defined");
  values_.emplace(name, std::move(v));
}

void OnnxConverter::set_layer_output(nn::Architecture::Ref layer, std::vector<std::int64_t> example_dims, std::size_t i) {
  Value v;
  v.is_layer = true;
  v.layer = layer;
  v.example_dims = std::move(example_dims);
  set_output(i, std::move(v));
}

void OnnxConverter::set_parameters(nn::Architecture::Ref layer, std::vector<std::vector<double>> blocks) {
  parameters_[layer] = std::move(blocks);
}

void OnnxConverter::note(const std::string& line) {
  if (std::find(notes_.begin(), notes_.end(), line) == notes_.end()) notes_.push_back(line);
}

std::string OnnxConverter::layer_name(const std::string& weight_initializer) const {
  const auto unused = [&](const std::string& n) { return valid_layer_name(n) && architecture_.find(n) == architecture_.layers().size(); };
  for (const char* suffix : {".weight", "_weight", ".W"}) {
    const std::string s(suffix);
    if (weight_initializer.size() > s.size() && weight_initializer.ends_with(s)) {
      const std::string stem = weight_initializer.substr(0, weight_initializer.size() - s.size());
      if (unused(stem)) return stem;
    }
  }
  if (unused(node_->name())) return node_->name();
  return "";
}

nn::Architecture::Ref OnnxConverter::build_pending_dense(const std::string& name, const std::vector<double>* bias) {
  Value& v = values_.at(name);
  const Value::PendingDense d = *v.pending_dense;
  nn::DenseOptions options;
  options.bias = bias != nullptr;
  options.name = d.name;
  const nn::Architecture::Ref r = architecture_.dense(d.from, d.units, options);
  std::vector<std::vector<double>> blocks{d.weight};
  if (bias) blocks.push_back(*bias);
  parameters_[r] = std::move(blocks);
  v.pending_dense.reset();
  v.layer = r;
  return r;
}

void OnnxConverter::allow_attributes(std::initializer_list<const char*> names) const {
  for (const onnx::AttributeProto& a : node_->attribute()) {
    if (std::none_of(names.begin(), names.end(), [&](const char* n) { return a.name() == n; }))
      fail("attribute " + quoted(a.name()) + " is not one netdim reads for " + node_->op_type() + " at opset " +
           std::to_string(opset_));
  }
}

const onnx::AttributeProto* OnnxConverter::attribute(const char* name) const {
  for (const onnx::AttributeProto& a : node_->attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

std::int64_t OnnxConverter::int_attribute(const char* name, std::int64_t fallback) const {
  const onnx::AttributeProto* a = attribute(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::INT) fail("attribute " + std::string(name) + " is not an integer");
  return a->i();
}

double OnnxConverter::float_attribute(const char* name, double fallback) const {
  const onnx::AttributeProto* a = attribute(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::FLOAT) fail("attribute " + std::string(name) + " is not a float");
  // ONNX's float attributes are float32: PyTorch's slope 0.01 arrives as 0.0099999998. The shortest
  // decimal that is the same float32 ("0.01") is what the exporter meant, and reads back the same.
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, a->f()).ptr;
  double v = a->f();
  std::from_chars(buf, end, v);
  return v;
}

std::string OnnxConverter::string_attribute(const char* name, const std::string& fallback) const {
  const onnx::AttributeProto* a = attribute(name);
  if (!a) return fallback;
  if (a->type() != onnx::AttributeProto::STRING) fail("attribute " + std::string(name) + " is not a string");
  return a->s();
}

std::vector<std::int64_t> OnnxConverter::ints_attribute(const char* name) const {
  const onnx::AttributeProto* a = attribute(name);
  if (!a) return {};
  if (a->type() != onnx::AttributeProto::INTS) fail("attribute " + std::string(name) + " is not a list of integers");
  return {a->ints().begin(), a->ints().end()};
}

void OnnxConverter::convert_node() {
  if (!node_->domain().empty() && node_->domain() != "ai.onnx")
    fail("operator domain " + quoted(node_->domain()) + " is not ONNX's own; netdim reads the default domain only");
  try {
    convert_operator(*this);
  } catch (const support::FileError&) {
    throw;
  } catch (const std::exception& e) {  // the architecture's own checks (shapes, names, sizes)
    fail(e.what());
  }
}

OnnxImport OnnxConverter::run() {
  const onnx::GraphProto& graph = model_.graph();
  for (const onnx::OperatorSetIdProto& set : model_.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx") opset_ = set.version();
  if (opset_ == 0) fail("the model imports no opset of ONNX's default domain");
  if (opset_ < kMinOnnxOpset || opset_ > kMaxOnnxOpset)
    fail("opset " + std::to_string(opset_) + " is outside the opsets netdim reads (" + std::to_string(kMinOnnxOpset) +
         " to " + std::to_string(kMaxOnnxOpset) + "); convert it with onnx.version_converter.convert_version(model, 17)");
  if (graph.sparse_initializer_size() > 0) fail("the graph has sparse initializers, which netdim does not read");

  for (const onnx::TensorProto& t : graph.initializer()) {
    if (!initializers_.emplace(t.name(), &t).second) fail("two initializers are named " + quoted(t.name()));
  }

  // The data input: the one graph input that is not an initializer.
  const onnx::ValueInfoProto* data = nullptr;
  for (const onnx::ValueInfoProto& in : graph.input()) {
    if (initializers_.count(in.name())) continue;
    if (data) fail("the graph has two inputs (" + quoted(data->name()) + ", " + quoted(in.name()) + "); netdim's networks have one");
    data = &in;
  }
  if (!data) fail("the graph has no input");
  if (graph.output_size() != 1)
    fail("the graph has " + std::to_string(graph.output_size()) + " outputs; netdim's networks have one");
  if (!data->type().has_tensor_type() || !data->type().tensor_type().has_shape())
    fail("the input " + quoted(data->name()) + " has no tensor shape");
  const int elem = data->type().tensor_type().elem_type();
  if (elem != onnx::TensorProto::FLOAT && elem != onnx::TensorProto::DOUBLE && elem != onnx::TensorProto::FLOAT16)
    fail("the input " + quoted(data->name()) + " is not a float tensor");
  const onnx::TensorShapeProto& shape = data->type().tensor_type().shape();
  if (shape.dim_size() < 2)
    fail("the input " + quoted(data->name()) + " has rank " + std::to_string(shape.dim_size()) +
         "; netdim needs a batch axis and the example's axes");
  std::vector<std::int64_t> example;
  for (int i = 0; i < shape.dim_size(); ++i) {
    const onnx::TensorShapeProto::Dimension& d = shape.dim(i);
    if (i == 0) {
      if (d.has_dim_value()) batch_ = d.dim_value();
      continue;
    }
    if (!d.has_dim_value() || d.dim_value() <= 0)
      fail("axis " + std::to_string(i) + " of the input " + quoted(data->name()) + " has no fixed size (" +
           (d.has_dim_param() ? quoted(d.dim_param()) : std::string("unknown")) +
           "); export the model with a fixed example shape (only the batch axis may be dynamic)");
    example.push_back(d.dim_value());
  }
  Shape netdim_shape(example.begin(), example.end());
  const std::string input_name = "input";  // as the language names it: imports write back to the same fingerprint
  Value in;
  in.is_layer = true;
  in.layer = architecture_.input(netdim_shape, input_name);
  in.example_dims = example;
  values_.emplace(data->name(), std::move(in));

  // Only the nodes the output depends on are converted.
  std::unordered_map<std::string, std::size_t> producer;
  for (int i = 0; i < graph.node_size(); ++i)
    for (const std::string& out : graph.node(i).output())
      if (!out.empty()) producer.emplace(out, static_cast<std::size_t>(i));
  std::vector<bool> live(static_cast<std::size_t>(graph.node_size()), false);
  std::vector<std::string> todo{graph.output(0).name()};
  while (!todo.empty()) {
    const std::string name = todo.back();
    todo.pop_back();
    const auto it = producer.find(name);
    if (it == producer.end() || live[it->second]) continue;
    live[it->second] = true;
    for (const std::string& in_name : graph.node(static_cast<int>(it->second)).input()) todo.push_back(in_name);
  }
  for (int i = 0; i < graph.node_size(); ++i)
    if (live[static_cast<std::size_t>(i)])
      for (const std::string& in_name : graph.node(i).input())
        if (!in_name.empty()) ++readers_[in_name];
  ++readers_[graph.output(0).name()];

  node_count_ = static_cast<std::size_t>(graph.node_size());
  for (int i = 0; i < graph.node_size(); ++i) {
    if (!live[static_cast<std::size_t>(i)]) continue;
    node_ = &graph.node(i);
    node_index_ = static_cast<std::size_t>(i);
    convert_node();
  }
  node_ = nullptr;

  const std::string& out_name = graph.output(0).name();
  const auto out = values_.find(out_name);
  if (out == values_.end()) fail("the graph's output " + quoted(out_name) + " is made by no node");
  if (!out->second.is_layer) fail("the graph's output " + quoted(out_name) + " is a constant");
  if (out->second.pending_pad) fail("the graph's output is a Pad node's");
  if (out->second.pending_shuffle) fail("the graph's output is channels reshaped into groups");
  if (out->second.pending_dense) build_pending_dense(out_name, nullptr);
  if (out->second.layer != architecture_.output())
    fail("the graph's output " + quoted(out_name) + " is not its last layer");

  OnnxImport result;
  result.output_dims = out->second.example_dims;
  const std::vector<nn::ParameterBlock> blocks = architecture_.parameter_blocks();
  result.parameters = Tensor<double>::from_shape({architecture_.parameter_count()});
  std::map<nn::Architecture::Ref, std::size_t> next_block;
  for (const nn::ParameterBlock& b : blocks) {
    const auto it = parameters_.find(b.layer);
    const std::size_t k = next_block[b.layer]++;
    if (it == parameters_.end() || k >= it->second.size() || it->second[k].size() != b.size())
      throw std::logic_error("onnx import: the values of parameter block " + b.name + " were not set to its size");
    std::copy(it->second[k].begin(), it->second[k].end(), result.parameters.data() + b.offset);
  }
  result.architecture = std::move(architecture_);
  result.opset = opset_;
  result.producer = model_.producer_name() + (model_.producer_version().empty() ? "" : " " + model_.producer_version());
  result.notes = std::move(notes_);
  return result;
}

OnnxImport import_onnx_bytes(std::string_view bytes, const std::filesystem::path& file_name) {
  if (bytes.size() > kMaxOnnxBytes) throw support::FileError(file_name, "larger than 2 GiB, protobuf's limit");
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw support::FileError(file_name, "not an ONNX model: the protobuf is malformed or truncated");
  if (!model.has_graph()) throw support::FileError(file_name, "not an ONNX model: it has no graph");
  return OnnxConverter(model, file_name).run();
}

OnnxImport import_onnx_file(const std::filesystem::path& path) {
  const std::string bytes = support::read_input(path, kMaxOnnxBytes);
  return import_onnx_bytes(bytes, path);
}

}  // namespace netdim::interop
