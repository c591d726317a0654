#include "netdim/interop/onnx_export.hpp"

#include <map>
#include <stdexcept>

#include "netdim/interop/onnx_tensor.hpp"
#include "netdim/nn/activation.hpp"
#include "netdim/nn/layer_type.hpp"

namespace netdim::interop {

namespace {

using nn::Layer;
using nn::LayerKind;

class Exporter {
 public:
  Exporter(const nn::Architecture& a, const Tensor<double>& theta, const OnnxExportOptions& o)
      : a_(a), theta_(theta), options_(o), graph_(*model_.mutable_graph()) {}

  std::string run() {
    if (theta_.dimension() != 1 || theta_.size() != a_.parameter_count())
      throw std::invalid_argument("export: " + std::to_string(theta_.size()) + " parameters for a network of " +
                                  std::to_string(a_.parameter_count()));
    model_.set_ir_version(8);  // ONNX 1.12's, opset 17
    model_.set_producer_name("netdim");
    model_.set_producer_version(options_.producer_version);
    onnx::OperatorSetIdProto* set = model_.add_opset_import();
    set->set_domain("");
    set->set_version(17);
    graph_.set_name("netdim");
    const std::vector<nn::ParameterBlock> blocks = a_.parameter_blocks();
    for (const nn::ParameterBlock& b : blocks) blocks_of_[b.layer].push_back(&b);
    const std::vector<Layer>& layers = a_.layers();
    value_.resize(layers.size());
    for (std::size_t i = 0; i < layers.size(); ++i) layer(i);
    add_value_info(*graph_.add_output(), value_.back(), layers.back().shape);
    std::string bytes;
    if (!model_.SerializeToString(&bytes)) throw std::runtime_error("export: the model does not serialize (over 2 GiB?)");
    return bytes;
  }

 private:
  int elem_type() const { return options_.float32 ? onnx::TensorProto::FLOAT : onnx::TensorProto::DOUBLE; }

  void add_value_info(onnx::ValueInfoProto& v, const std::string& name, const Shape& example) {
    v.set_name(name);
    onnx::TypeProto_Tensor* t = v.mutable_type()->mutable_tensor_type();
    t->set_elem_type(elem_type());
    onnx::TensorShapeProto* s = t->mutable_shape();
    s->add_dim()->set_dim_param("batch");
    for (const std::size_t d : example) s->add_dim()->set_dim_value(static_cast<std::int64_t>(d));
  }

  // An initializer of the layer's k-th parameter block, named as netdim names the block.
  std::string block(std::size_t layer, std::size_t k) {
    const nn::ParameterBlock& b = *blocks_of_.at(layer).at(k);
    std::vector<std::int64_t> dims(b.shape.begin(), b.shape.end());
    write_tensor(*graph_.add_initializer(), b.name, dims, theta_.data() + b.offset, options_.float32);
    return b.name;
  }

  std::string constant(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<double>& values) {
    write_tensor(*graph_.add_initializer(), name, dims, values.data(), options_.float32);
    return name;
  }

  std::string int_constant(const std::string& name, const std::vector<std::int64_t>& values) {
    onnx::TensorProto* t = graph_.add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<std::int64_t>(values.size()));
    for (const std::int64_t v : values) t->add_int64_data(v);
    return name;
  }

  onnx::NodeProto& node(const std::string& op, const std::string& name, std::initializer_list<std::string> inputs,
                        const std::string& output) {
    onnx::NodeProto& n = *graph_.add_node();
    n.set_op_type(op);
    n.set_name(name);
    for (const std::string& in : inputs) n.add_input(in);
    n.add_output(output);
    return n;
  }

  static void ints(onnx::NodeProto& n, const char* name, std::initializer_list<std::size_t> v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (const std::size_t x : v) a->add_ints(static_cast<std::int64_t>(x));
  }
  static void integer(onnx::NodeProto& n, const char* name, std::int64_t v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void real(onnx::NodeProto& n, const char* name, double v) {
    onnx::AttributeProto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(static_cast<float>(v));
  }
  static void window(onnx::NodeProto& n, const nn::Window2d& w, bool dilations) {
    ints(n, "kernel_shape", {w.kernel[0], w.kernel[1]});
    ints(n, "strides", {w.stride[0], w.stride[1]});
    ints(n, "pads", {w.padding[0], w.padding[1], w.padding[0], w.padding[1]});
    if (dilations) ints(n, "dilations", {w.dilation[0], w.dilation[1]});
  }

  [[noreturn]] void refuse(const Layer& l, const std::string& why) const {
    throw std::invalid_argument("export: layer '" + l.name + "' (" + std::string(nn::layer_kind_name(l)) + "): " + why);
  }

  void activation(const Layer& l, const std::string& in, const std::string& out) {
    const std::string_view a = nn::activation_name(l.activation);
    if (a == "relu") node("Relu", l.name, {in}, out);
    else if (a == "sigmoid") node("Sigmoid", l.name, {in}, out);
    else if (a == "tanh") node("Tanh", l.name, {in}, out);
    else if (a == "softplus") node("Softplus", l.name, {in}, out);
    else if (a == "identity") node("Identity", l.name, {in}, out);
    else if (a == "leaky_relu") real(node("LeakyRelu", l.name, {in}, out), "alpha", l.slope);
    else if (a == "relu6")
      node("Clip", l.name, {in, constant(l.name + ".min", {}, {0.0}), constant(l.name + ".max", {}, {6.0})}, out);
    else refuse(l, "activation " + std::string(a) + " has no ONNX operator that netdim reads back");
  }

  void layer(std::size_t i) {
    const Layer& l = a_.layers()[i];
    const std::string out = l.name;
    const auto in = [&](std::size_t k = 0) { return value_.at(l.inputs.at(k)); };
    value_[i] = out;
    switch (l.kind) {
      case LayerKind::Input:
        add_value_info(*graph_.add_input(), out, l.shape);
        return;
      case LayerKind::Dense: {
        std::vector<std::string> ins{in(), block(i, 0)};
        if (l.bias) ins.push_back(block(i, 1));
        onnx::NodeProto& n = node("Gemm", l.name, {}, out);
        for (const std::string& s : ins) n.add_input(s);
        integer(n, "transB", 1);
        return;
      }
      case LayerKind::Conv2d: {
        onnx::NodeProto& n = node("Conv", l.name, {in(), block(i, 0)}, out);
        if (l.bias) n.add_input(block(i, 1));
        window(n, l.window, true);
        integer(n, "group", static_cast<std::int64_t>(l.groups));
        return;
      }
      case LayerKind::MaxPool2d:
      case LayerKind::AvgPool2d: {
        const bool max = l.kind == LayerKind::MaxPool2d;
        if (l.window.dilation != std::array<std::size_t, 2>{1, 1}) refuse(l, "a dilated pooling");
        onnx::NodeProto& n = node(max ? "MaxPool" : "AveragePool", l.name, {in()}, out);
        window(n, l.window, false);
        if (l.ceil_mode) integer(n, "ceil_mode", 1);
        if (!max) integer(n, "count_include_pad", 1);  // netdim's avg_pool2d counts the padding (PyTorch's default)
        return;
      }
      case LayerKind::AdaptiveAvgPool2d: {
        const Shape& s = a_.layers()[l.inputs[0]].shape;
        if (s[1] % l.shape[1] || s[2] % l.shape[2]) refuse(l, "adaptive pooling with overlapping windows");
        nn::Window2d w;
        w.kernel = w.stride = {s[1] / l.shape[1], s[2] / l.shape[2]};
        window(node("AveragePool", l.name, {in()}, out), w, false);  // the same windows, exactly
        return;
      }
      case LayerKind::GlobalAvgPool: {
        node("GlobalAveragePool", l.name, {in()}, out + ".4d");
        integer(node("Flatten", l.name + ".flatten", {out + ".4d"}, out), "axis", 1);
        return;
      }
      case LayerKind::Flatten:
        integer(node("Flatten", l.name, {in()}, out), "axis", 1);
        return;
      case LayerKind::BatchNorm: {
        // netdim's batch norm is the inference form y = weight * x + bias: zero mean, unit variance, no epsilon.
        const std::int64_t c = static_cast<std::int64_t>(l.shape[0]);
        const std::string mean = constant(l.name + ".running_mean", {c}, std::vector<double>(l.shape[0], 0.0));
        const std::string var = constant(l.name + ".running_var", {c}, std::vector<double>(l.shape[0], 1.0));
        real(node("BatchNormalization", l.name, {in(), block(i, 0), block(i, 1), mean, var}, out), "epsilon", 0);
        return;
      }
      case LayerKind::Activation:
        activation(l, in(), out);
        return;
      case LayerKind::Add: {
        std::string acc = in(0);
        for (std::size_t k = 1; k < l.inputs.size(); ++k) {
          const std::string to = k + 1 == l.inputs.size() ? out : out + ".partial" + std::to_string(k);
          node("Add", k + 1 == l.inputs.size() ? l.name : to, {acc, in(k)}, to);
          acc = to;
        }
        return;
      }
      case LayerKind::Concat: {
        onnx::NodeProto& n = node("Concat", l.name, {}, out);
        for (std::size_t k = 0; k < l.inputs.size(); ++k) n.add_input(in(k));
        integer(n, "axis", 1);
        return;
      }
      case LayerKind::Dropout:
      {
        // The ratio in float64 whatever the model's type (ONNX allows it): it reads back exactly.
        const double p = l.p;
        write_tensor(*graph_.add_initializer(), l.name + ".ratio", {}, &p, false);
        node("Dropout", l.name, {in(), l.name + ".ratio"}, out);
      }
        return;
      case LayerKind::Chunk: {
        const std::int64_t part = static_cast<std::int64_t>(a_.layers()[l.inputs[0]].shape[0] / l.chunks);
        onnx::NodeProto& n = node("Split", l.name, {in(), int_constant(l.name + ".split", std::vector<std::int64_t>(l.chunks, part))}, "");
        n.clear_output();
        for (std::size_t k = 0; k < l.chunks; ++k) n.add_output(k == l.chunk ? out : "");
        integer(n, "axis", 1);
        return;
      }
      case LayerKind::Registered:
        if (nn::layer_type(l.type).name == "softmax") {
          integer(node("Softmax", l.name, {in()}, out), "axis", 1);
          return;
        }
        refuse(l, "no ONNX operator that netdim reads back");
      case LayerKind::Projection:
      case LayerKind::Sample:
      case LayerKind::ChannelShuffle:
        refuse(l, "not exported yet (write it as conv2d, or dense, in the .net file)");
    }
  }

  const nn::Architecture& a_;
  const Tensor<double>& theta_;
  OnnxExportOptions options_;
  onnx::ModelProto model_;
  onnx::GraphProto& graph_;
  std::map<std::size_t, std::vector<const nn::ParameterBlock*>> blocks_of_;
  std::vector<std::string> value_;
};

}  // namespace

std::string export_onnx(const nn::Architecture& architecture, const Tensor<double>& parameters, const OnnxExportOptions& options) {
  return Exporter(architecture, parameters, options).run();
}

}  // namespace netdim::interop
