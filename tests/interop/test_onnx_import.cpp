// ONNX in and out: conversions checked against hand computations, the round trip of netdim's own
// networks (export, import: same fingerprint, same parameters, same outputs), ONNX's checker on
// every export, and one test per refusal.
#include <doctest/doctest.h>

#include <cmath>

#include "netdim/dsl/dsl.hpp"
#include "netdim/interop/onnx_export.hpp"
#include "netdim/interop/onnx_import.hpp"
#include "netdim/interop/onnx_tensor.hpp"
#include "netdim/nn/model.hpp"
#include "onnx/checker.h"
#include "tests/helpers.hpp"

using namespace netdim;

namespace {

// A graph written node by node, for conversions the exporter never writes.
struct GraphBuilder {
  onnx::ModelProto model;
  onnx::GraphProto& g = *model.mutable_graph();

  explicit GraphBuilder(std::vector<std::int64_t> example, std::int64_t opset = 17) {
    model.set_ir_version(8);
    onnx::OperatorSetIdProto* set = model.add_opset_import();
    set->set_version(opset);
    onnx::ValueInfoProto* in = g.add_input();
    in->set_name("x");
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    t->mutable_shape()->add_dim()->set_dim_param("N");
    for (const std::int64_t d : example) t->mutable_shape()->add_dim()->set_dim_value(d);
  }
  void initializer(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<double>& values) {
    interop::write_tensor(*g.add_initializer(), name, dims, values.data(), false);
  }
  onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, const std::string& output) {
    onnx::NodeProto& n = *g.add_node();
    n.set_op_type(op);
    for (const std::string& s : inputs) n.add_input(s);
    n.add_output(output);
    return n;
  }
  static void attribute(onnx::NodeProto& n, const char* name, std::int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INT);
    a->set_i(v);
  }
  static void attribute(onnx::NodeProto& n, const char* name, float v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::FLOAT);
    a->set_f(v);
  }
  static void attribute(onnx::NodeProto& n, const char* name, std::vector<std::int64_t> v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(onnx::AttributeProto::INTS);
    for (const std::int64_t x : v) a->add_ints(x);
  }
  void output(const std::string& name) { g.add_output()->set_name(name); }
  std::string bytes() const {
    std::string s;
    model.SerializeToString(&s);
    return s;
  }
  interop::OnnxImport import() const { return interop::import_onnx_bytes(bytes(), "m.onnx"); }
};

std::string refusal(const std::string& bytes) {
  try {
    interop::import_onnx_bytes(bytes, "m.onnx");
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(accepted)";
}

Tensor<double> outputs(const nn::Architecture& a, const Tensor<double>& theta, const Tensor<double>& x) {
  nn::Model<double> m(a);
  m.set_parameters(theta);
  return m.predict(x);
}

nn::Architecture load(const std::string& relative) {
  dsl::LoadResult r = dsl::load_file(std::string(NETDIM_EXAMPLES_DIR) + "/" + relative);
  REQUIRE_MESSAGE(r.ok(), dsl::render(r.diagnostics));
  return *r.architecture;
}

}  // namespace

TEST_CASE("Gemm with transB=0, alpha and beta is a dense layer: weight alpha B^T, bias beta C") {
  GraphBuilder b({2});
  b.initializer("fc.weight", {2, 3}, {1, 2, 3, 4, 5, 6});  // [K=2, N=3]
  b.initializer("fc.bias", {3}, {1, -1, 0.5});
  onnx::NodeProto& n = b.node("Gemm", {"x", "fc.weight", "fc.bias"}, "y");
  GraphBuilder::attribute(n, "alpha", 2.0f);
  GraphBuilder::attribute(n, "beta", 0.5f);
  b.output("y");
  const interop::OnnxImport m = b.import();
  REQUIRE(m.architecture.layers().size() == 2);
  CHECK(m.architecture.layers()[1].name == "fc");
  CHECK(m.architecture.parameter_count() == 9);
  const Tensor<double> y = outputs(m.architecture, m.parameters, Tensor<double>{{1.0, -2.0}});
  // y_j = 2 (1 B[0][j] - 2 B[1][j]) + 0.5 C_j
  const Tensor<double> want{{2 * (1 - 8) + 0.5, 2 * (2 - 10) - 0.5, 2 * (3 - 12) + 0.25}};
  CHECK(testing::max_abs_diff(y, want) < 1e-12);
}

TEST_CASE("MatMul then Add of a constant is one dense layer with a bias; MatMul alone has none") {
  GraphBuilder b({2});
  b.initializer("W", {2, 2}, {1, 2, 3, 4});
  b.initializer("c", {2}, {10, 20});
  b.node("MatMul", {"x", "W"}, "h");
  b.node("Add", {"h", "c"}, "y");
  b.output("y");
  const interop::OnnxImport m = b.import();
  REQUIRE(m.architecture.layers().size() == 2);
  CHECK(m.architecture.layers()[1].bias);
  const Tensor<double> y = outputs(m.architecture, m.parameters, Tensor<double>{{1.0, 1.0}});
  CHECK(testing::max_abs_diff(y, Tensor<double>{{1 + 3 + 10.0, 2 + 4 + 20.0}}) == 0);

  GraphBuilder plain({2});
  plain.initializer("W", {2, 2}, {1, 2, 3, 4});
  plain.node("MatMul", {"x", "W"}, "y");
  plain.output("y");
  CHECK_FALSE(plain.import().architecture.layers()[1].bias);
}

TEST_CASE("BatchNormalization folds its running statistics into netdim's scale and shift") {
  GraphBuilder b({2, 1, 1});
  b.initializer("bn.weight", {2}, {2, 3});
  b.initializer("bn.bias", {2}, {1, -1});
  b.initializer("bn.running_mean", {2}, {0.5, 4});
  b.initializer("bn.running_var", {2}, {4, 0.25});
  onnx::NodeProto& n = b.node("BatchNormalization", {"x", "bn.weight", "bn.bias", "bn.running_mean", "bn.running_var"}, "y");
  GraphBuilder::attribute(n, "epsilon", 0.0f);
  b.output("y");
  const interop::OnnxImport m = b.import();
  CHECK(m.architecture.layers()[1].name == "bn");
  CHECK(m.architecture.parameter_count() == 4);  // 2 per channel: the statistics are not parameters
  // scale = gamma / sqrt(var), shift = beta - mean scale
  CHECK(testing::max_abs_diff(m.parameters, Tensor<double>{1.0, 6.0, 0.5, -25.0}) < 1e-12);
  REQUIRE(m.notes.size() == 1);
}

TEST_CASE("a zero Pad before AveragePool is its padding, counted in the divisor as the Pad's zeros are") {
  GraphBuilder b({1, 2, 2});
  b.initializer("pads", {8}, {0, 0, 1, 1, 0, 0, 1, 1});
  b.g.mutable_initializer(0)->set_data_type(onnx::TensorProto::INT64);
  b.g.mutable_initializer(0)->clear_raw_data();
  for (const std::int64_t p : {0, 0, 1, 1, 0, 0, 1, 1}) b.g.mutable_initializer(0)->add_int64_data(p);
  b.node("Pad", {"x", "pads"}, "p");
  onnx::NodeProto& n = b.node("AveragePool", {"p"}, "y");
  GraphBuilder::attribute(n, "kernel_shape", std::vector<std::int64_t>{2, 2});
  GraphBuilder::attribute(n, "strides", std::vector<std::int64_t>{2, 2});
  b.output("y");
  const interop::OnnxImport m = b.import();
  REQUIRE(m.architecture.layers().size() == 2);
  CHECK(m.architecture.layers()[1].window.padding == std::array<std::size_t, 2>{1, 1});
  const Tensor<double> x = Tensor<double>{{{{1.0, 2.0}, {3.0, 4.0}}}};
  const Tensor<double> y = outputs(m.architecture, m.parameters, x);
  // Each 2x2 window holds one input and three zeros of the padding.
  CHECK(testing::max_abs_diff(y, Tensor<double>{{{{0.25, 0.5}, {0.75, 1.0}}}}) < 1e-12);
}

TEST_CASE("ShuffleNet's export: shape arithmetic folded, Reshape-Transpose-Reshape a channel shuffle, Slice a chunk, ReduceMean a pooling") {
  // As torch.onnx writes torchvision's channel_shuffle(x, 2) and x.chunk(2, dim=1), at opset 13.
  GraphBuilder b({4, 2, 3}, 13);
  const auto ints = [&](const std::string& name, std::vector<std::int64_t> dims, std::vector<std::int64_t> values) {
    onnx::TensorProto& t = *b.g.add_initializer();
    t.set_name(name);
    t.set_data_type(onnx::TensorProto::INT64);
    for (const std::int64_t d : dims) t.add_dims(d);
    for (const std::int64_t v : values) t.add_int64_data(v);
  };
  b.node("Shape", {"x"}, "shape");
  ints("i0", {}, {0});
  ints("i1", {}, {1});
  ints("i2", {}, {2});
  ints("i3", {}, {3});
  ints("two", {}, {2});
  ints("axis0", {1}, {0});
  GraphBuilder::attribute(b.node("Gather", {"shape", "i0"}, "n"), "axis", std::int64_t{0});
  GraphBuilder::attribute(b.node("Gather", {"shape", "i1"}, "c"), "axis", std::int64_t{0});
  GraphBuilder::attribute(b.node("Gather", {"shape", "i2"}, "h"), "axis", std::int64_t{0});
  GraphBuilder::attribute(b.node("Gather", {"shape", "i3"}, "w"), "axis", std::int64_t{0});
  b.node("Div", {"c", "two"}, "per_group");
  GraphBuilder::attribute(b.node("Cast", {"per_group"}, "per_group64"), "to", std::int64_t{onnx::TensorProto::INT64});
  for (const char* v : {"n", "two", "per_group64", "h", "w"}) b.node("Unsqueeze", {v, "axis0"}, std::string(v) + "_1");
  GraphBuilder::attribute(b.node("Concat", {"n_1", "two_1", "per_group64_1", "h_1", "w_1"}, "grouped"), "axis", std::int64_t{0});
  b.node("Reshape", {"x", "grouped"}, "g");
  GraphBuilder::attribute(b.node("Transpose", {"g"}, "t"), "perm", std::vector<std::int64_t>{0, 2, 1, 3, 4});
  ints("back", {4}, {-1, 4, 2, 3});
  b.node("Reshape", {"t", "back"}, "shuffled");
  ints("starts", {1}, {2});
  ints("ends", {1}, {4});
  ints("axes", {1}, {1});
  b.node("Slice", {"shuffled", "starts", "ends", "axes"}, "half");
  onnx::NodeProto& mean = b.node("ReduceMean", {"half"}, "y");
  GraphBuilder::attribute(mean, "axes", std::vector<std::int64_t>{2, 3});
  GraphBuilder::attribute(mean, "keepdims", std::int64_t{0});
  b.output("y");
  const interop::OnnxImport m = b.import();
  std::vector<std::string> kinds;
  for (const nn::Layer& l : m.architecture.layers()) kinds.emplace_back(nn::layer_kind_name(l));
  CHECK(kinds == std::vector<std::string>{"input", "channel_shuffle", "chunk", "global_avg_pool"});
  CHECK(m.architecture.layers()[1].groups == 2);
  CHECK(m.architecture.layers()[2].chunks == 2);
  CHECK(m.architecture.layers()[2].chunk == 1);
  // Channels 0..3 shuffled in 2 groups are 0, 2, 1, 3: the second half is channels 1 and 3.
  Tensor<double> x = Tensor<double>::from_shape({1, 4, 2, 3});
  for (std::size_t k = 0; k < 4; ++k)
    for (std::size_t i = 0; i < 6; ++i) x.data()[k * 6 + i] = 10.0 * static_cast<double>(k) + static_cast<double>(i);
  const Tensor<double> y = outputs(m.architecture, m.parameters, x);
  CHECK(testing::max_abs_diff(y, Tensor<double>{{12.5, 32.5}}) < 1e-12);
}

TEST_CASE("netdim's networks go out to ONNX and come back the same: fingerprint, parameters, outputs") {
  for (const char* file : {"esd2020/fig5_mlp.net", "esd2020/fig5_add_shortcuts.net", "zoo/resnet18.net",
                           "zoo/mobilenet_v2.net", "zoo/densenet121.net"}) {
    CAPTURE(std::string(file));
    const nn::Architecture a = load(file);
    const nn::Model<double> model(a, 3);
    std::string bytes;
    try {
      bytes = interop::export_onnx(a, model.parameters(), {.float32 = false});
    } catch (const std::invalid_argument& e) {
      FAIL_CHECK(e.what());
      continue;
    }
    onnx::ModelProto proto;
    REQUIRE(proto.ParseFromString(bytes));
    CHECK_NOTHROW(onnx::checker::check_model(proto));
    const interop::OnnxImport back = interop::import_onnx_bytes(bytes, file);
    CHECK(back.architecture.describe() == a.describe());
    CHECK(back.architecture.fingerprint() == a.fingerprint());
    CHECK(testing::max_abs_diff(back.parameters, model.parameters()) == 0);
    // And the written .net loads to the same network.
    const dsl::LoadResult text = dsl::load_source(dsl::write_network(back.architecture), "back.net");
    REQUIRE_MESSAGE(text.ok(), dsl::render(text.diagnostics));
    CHECK(text.architecture->fingerprint() == a.fingerprint());
  }
}

TEST_CASE("adaptive pooling goes out as AveragePool and comes back as avg_pool2d: the same outputs") {
  for (const char* file : {"zoo/squeezenet1_1.net", "zoo/googlenet.net"}) {
  CAPTURE(std::string(file));
  const nn::Architecture a = load(file);
  const nn::Model<double> model(a, 2);
  const interop::OnnxImport back = interop::import_onnx_bytes(interop::export_onnx(a, model.parameters(), {.float32 = false}), "m.onnx");
  CHECK(back.architecture.fingerprint() != a.fingerprint());
  CHECK(back.architecture.parameter_count() == a.parameter_count());
  const Tensor<double> x = testing::uniform<double>({1, 3, 224, 224}, -1, 1, 5);
  const Tensor<double> want = model.predict(x), got = outputs(back.architecture, back.parameters, x);
  CHECK(testing::max_abs_diff(got, want) < 1e-9 * (1 + xt::amax(xt::abs(want))()));
  }
}

TEST_CASE("what the exporter cannot write is refused by name") {
  const nn::Architecture a = load("esd2020/sec53_resnet.net");
  CHECK_THROWS_WITH_AS(interop::export_onnx(a, nn::Model<double>(a).parameters()),
                       doctest::Contains("(sample): not exported yet"), std::invalid_argument);
}

TEST_CASE("a float32 export reads back to the float32-rounded parameters") {
  const nn::Architecture a = load("esd2020/fig5_mlp.net");
  const nn::Model<double> model(a, 1);
  const interop::OnnxImport back = interop::import_onnx_bytes(interop::export_onnx(a, model.parameters()), "m.onnx");
  Tensor<double> rounded = model.parameters();
  for (double& v : rounded) v = static_cast<float>(v);
  CHECK(testing::max_abs_diff(back.parameters, rounded) == 0);
}

TEST_CASE("what the importer refuses, each in one line naming the cause") {
  SUBCASE("bytes that are not a model") {
    CHECK(refusal("not a protobuf at all \xff\xff\xff") == "m.onnx: not an ONNX model: the protobuf is malformed or truncated");
    const nn::Architecture a = load("esd2020/fig5_mlp.net");
    const std::string bytes = interop::export_onnx(a, nn::Model<double>(a).parameters());
    CHECK(refusal(bytes.substr(0, bytes.size() / 2)).find("malformed or truncated") != std::string::npos);
    CHECK(refusal("").find("no graph") != std::string::npos);
  }
  SUBCASE("an operator netdim does not read: its node, position and the nearest alternative") {
    GraphBuilder b({3});
    b.node("Relu", {"x"}, "h");
    b.node("Elu", {"h"}, "y").set_name("act2");
    b.output("y");
    CHECK(refusal(b.bytes()) ==
          "m.onnx: node 2 of 2 'act2' (Elu): not an operator netdim reads; nearest: an activation netdim has: Relu, "
          "LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)");
  }
  SUBCASE("an attribute it does not know") {
    GraphBuilder b({3});
    GraphBuilder::attribute(b.node("Relu", {"x"}, "y"), "alpha", 1.0f);
    b.output("y");
    CHECK(refusal(b.bytes()).find("attribute 'alpha' is not one netdim reads for Relu at opset 17") != std::string::npos);
  }
  SUBCASE("an opset outside 1 to 17") {
    GraphBuilder b({3}, 18);
    b.node("Relu", {"x"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("opset 18 is outside the opsets netdim reads (1 to 17)") != std::string::npos);
  }
  SUBCASE("external data") {
    GraphBuilder b({2});
    b.initializer("W", {2, 2}, {1, 2, 3, 4});
    onnx::TensorProto& w = *b.g.mutable_initializer(0);
    w.clear_raw_data();
    w.set_data_location(onnx::TensorProto::EXTERNAL);
    auto* e = w.add_external_data();
    e->set_key("location");
    e->set_value("../../etc/passwd");
    b.node("MatMul", {"x", "W"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("initializer 'W': its data is in an external file, which netdim does not read") !=
          std::string::npos);
  }
  SUBCASE("a tensor whose data does not match its declared size") {
    GraphBuilder b({2});
    b.initializer("W", {2, 2}, {1, 2, 3, 4});
    b.g.mutable_initializer(0)->set_dims(0, 3);
    b.node("MatMul", {"x", "W"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("its shape declares 6 double entries (48 bytes) but raw_data holds 32 bytes") !=
          std::string::npos);
  }
  SUBCASE("a node reading a value no earlier node made: out of order, or a cycle") {
    GraphBuilder b({3});
    b.node("Relu", {"z"}, "y");
    b.node("Relu", {"y"}, "z");
    b.output("y");
    CHECK(refusal(b.bytes()).find("is not made by an earlier node, an initializer or the graph's input") != std::string::npos);
  }
  SUBCASE("a dynamic example axis") {
    GraphBuilder b({3});
    b.g.mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape()->mutable_dim(1)->set_dim_param("features");
    b.node("Relu", {"x"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("axis 1 of the input 'x' has no fixed size ('features')") != std::string::npos);
  }
  SUBCASE("a NaN weight") {
    GraphBuilder b({2});
    b.initializer("W", {2, 1}, {1, std::nan("")});
    b.node("MatMul", {"x", "W"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("initializer 'W': entry 1 is NaN") != std::string::npos);
  }
  SUBCASE("a shape entry that is no integer, or too large for one") {
    GraphBuilder b({4});
    b.initializer("shape", {2}, {0, 1e30});
    b.node("Reshape", {"x", "shape"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("its shape holds 1000000000000000019884624838656.000000, not an integer netdim can take") !=
          std::string::npos);
  }
  SUBCASE("a second input") {
    GraphBuilder b({2});
    *b.g.add_input() = b.g.input(0);
    b.g.mutable_input(1)->set_name("x2");
    b.node("Add", {"x", "x2"}, "y");
    b.output("y");
    CHECK(refusal(b.bytes()).find("the graph has two inputs ('x', 'x2')") != std::string::npos);
  }
}
