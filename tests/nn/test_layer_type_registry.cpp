// The layer-type registry: the built-in layer_norm against its formula (torch.nn.LayerNorm)
// and central differences; its parameter blocks, canonical names and fingerprint; the
// language's checks of its attributes; a user's own layer type in the language, the
// per-example Jacobian (the generic path against the reference) and the exact analyses;
// the refusals of a descriptor that contradicts itself; and the lists the docs and the fuzz
// dictionary keep.
#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/analysis/jacobian/batched_jacobian.hpp"
#include "netdim/autodiff/check_op.hpp"
#include "netdim/dsl/dsl.hpp"
#include "helpers.hpp"
#include "in_child.hpp"
#include "netdim/nn/layer_type.hpp"
#include "netdim/nn/model.hpp"

namespace netdim {
namespace {

using nn::AttributeType;
using nn::LayerExactness;
using testing::in_child;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

nn::Architecture load(const std::string& text) {
  const dsl::LoadResult r = dsl::load_source(text, "test.net");
  INFO(dsl::render(r.diagnostics));
  REQUIRE(r.ok());
  return *r.architecture;
}

std::string diagnostics_of(const std::string& text) {
  const dsl::LoadResult r = dsl::load_source(text, "bad.net");
  return r.ok() ? "" : dsl::render(r.diagnostics);
}

// The default of every attribute as docs/language.md's table spells it.
std::string signature_text(const nn::LayerType& t) {
  std::string s = t.name + "(x";
  for (const nn::AttributeSpec& a : t.attributes) {
    s += ", " + a.name;
    if (!a.fallback) continue;
    nn::AttributeValue v{a.name, a.type, {*a.fallback, *a.fallback}};
    std::string text = nn::attribute_text(v).substr(a.name.size() + 1);
    if (a.type == AttributeType::Boolean) text = *a.fallback != 0 ? "true" : "false";
    s += "=" + text;
  }
  return s + ")";
}

}  // namespace

TEST_CASE("layer types: layer_norm is built in and takes torch.nn.LayerNorm's values") {
  REQUIRE(nn::find_layer_type("layer_norm").has_value());
  CHECK(nn::is_layer_word("layer_norm"));
  CHECK(nn::is_layer_word("dense"));
  CHECK(nn::is_layer_word("shortcut"));
  CHECK_FALSE(nn::is_layer_word("relu"));
  const nn::Architecture a = load("netdim 1\nx = input(4)\ny = layer_norm(x) as ln\n");
  const nn::Layer& ln = a.layer(1);
  CHECK(ln.kind == nn::LayerKind::Registered);
  CHECK(nn::layer_kind_name(ln) == "layer_norm");
  CHECK(ln.shape == Shape{4});
  // The blocks, in canonical order: weight then bias, each of the normalised shape.
  const std::vector<nn::ParameterBlock> blocks = a.parameter_blocks();
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].name == "ln.weight");
  CHECK(blocks[0].shape == Shape{4});
  CHECK_FALSE(blocks[0].is_bias);
  CHECK(blocks[1].name == "ln.bias");
  CHECK(blocks[1].offset == 4);
  CHECK(blocks[1].is_bias);
  // PyTorch's initial values: weight 1, bias 0.
  nn::Model<double> model(a, 7);
  const Tensor<double> theta0 = model.parameters();
  for (std::size_t i = 0; i < 8; ++i) CHECK(theta0.flat(i) == (i < 4 ? 1.0 : 0.0));
  Tensor<double> theta = Tensor<double>(xt::xarray<double>{1.5, -0.5, 2.0, 1.0, 0.1, 0.2, -0.3, 0.0});
  model.set_parameters(theta);
  const Tensor<double> x = Tensor<double>(xt::xarray<double>{{1.0, -2.0, 0.5, 3.0}, {0.25, 0.25, -1.0, 2.0}});
  const Tensor<double> y = model.predict(x);
  // (x - mean) / sqrt(var + 1e-5) * weight + bias, the biased variance, as torch.
  const double expected[] = {0.41583758498295564, 0.9369543649602299,  -0.4403722599924247, 1.333536469928035,
                             -0.07556095121363068, 0.25852031707121026, -2.8748939511332496, 1.521528243851466};
  REQUIRE(shape_of(y) == Shape{2, 4});
  for (std::size_t i = 0; i < 8; ++i) CHECK(y.flat(i) == doctest::Approx(expected[i]).epsilon(1e-14));
}

TEST_CASE("layer types: layer_norm over an image normalises the whole example; affine=false has no parameters") {
  const nn::Architecture a = load("netdim 1\nx = input(2, 1, 2)\ny = layer_norm(x, eps=1e-3, affine=false)\n");
  CHECK(a.parameter_count() == 0);
  CHECK(a.layer(1).shape == Shape{2, 1, 2});
  CHECK(a.describe().find("layer_norm1 layer_norm in=[input] shape=[2, 1, 2] eps=0.001 affine=0") != std::string::npos);
  const nn::Model<double> model(a, 0);
  const Tensor<double> x =
      Tensor<double>(xt::xarray<double>{{{{1.0, -2.0}}, {{0.5, 3.0}}}, {{{0.25, 0.25}}, {{-1.0, 2.0}}}});
  const Tensor<double> y = model.predict(x);
  const double expected[] = {0.21052553822659484, -1.4736787675861638, -0.07017517940886495, 1.333328408768434,
                             -0.11698987519840304, -0.11698987519840304, -1.2868886271824334, 1.5208683775792393};
  REQUIRE(shape_of(y) == Shape{2, 2, 1, 2});
  for (std::size_t i = 0; i < 8; ++i) CHECK(y.flat(i) == doctest::Approx(expected[i]).epsilon(1e-14));
  // eps is part of the network: another eps, another fingerprint.
  CHECK(a.fingerprint() != load("netdim 1\nx = input(2, 1, 2)\ny = layer_norm(x, eps=1e-4, affine=false)\n").fingerprint());
}

TEST_CASE("layer types: softmax takes torch.softmax(x, dim=1)'s values, stably, over features or channels") {
  const nn::Architecture v = load("netdim 1\nx = input(3)\ny = softmax(x)\n");
  CHECK(v.parameter_count() == 0);
  CHECK(nn::layer_kind_name(v.layer(1)) == "softmax");
  const Tensor<double> y = nn::Model<double>(v, 0).predict(
      Tensor<double>(xt::xarray<double>{{1.0, -2.0, 0.5}, {300.0, 301.0, 299.0}}));  // exp(300) overflows unless shifted
  const double expected[] = {0.6037488961486258, 0.030058887569574023, 0.3661922162818002,
                             0.24472847105479764, 0.6652409557748218, 0.09003057317038046};
  REQUIRE(shape_of(y) == Shape{2, 3});
  for (std::size_t i = 0; i < 6; ++i) CHECK(y.flat(i) == doctest::Approx(expected[i]).epsilon(1e-14));
  // An image: over the two channels at each of the two positions.
  const nn::Architecture image = load("netdim 1\nx = input(2, 1, 2)\ny = softmax(x)\n");
  const Tensor<double> yi = nn::Model<double>(image, 0).predict(
      Tensor<double>(xt::xarray<double>{{{{0.5, 2.0}}, {{-1.0, 3.0}}}}));
  const double expected_image[] = {0.8175744761936437, 0.2689414213699951, 0.18242552380635632, 0.7310585786300049};
  REQUIRE(shape_of(yi) == Shape{1, 2, 1, 2});
  for (std::size_t i = 0; i < 4; ++i) CHECK(yi.flat(i) == doctest::Approx(expected_image[i]).epsilon(1e-14));
  CheckOptions options;
  options.output_shape = Shape{2, 3};
  const CheckReport r = check_op("softmax", [&v](const std::vector<Var<double>>& in) {
    return nn::registered_forward(v.layer(1), in[0], nn::LayerParameters<double>{});
  }, {Tensor<double>(xt::xarray<double>{{0.3, -1.2, 2.0}, {1.0, 1.5, -2.5}})}, options);
  INFO(r.summary());
  CHECK(r.ok);
}

TEST_CASE("layer types: layer_norm's derivatives agree with central differences in both modes, input and parameters") {
  const nn::Architecture a = load("netdim 1\nx = input(5)\ny = layer_norm(x)\n");
  const nn::Layer& l = a.layer(1);
  CheckOptions options;
  options.output_shape = Shape{3, 5};
  const Tensor<double> x = Tensor<double>(
      xt::xarray<double>{{0.3, -1.2, 2.0, 0.7, -0.4}, {1.0, 1.5, -2.5, 0.2, 0.9}, {-0.6, 0.1, 0.4, -1.9, 3.1}});
  const Tensor<double> w = Tensor<double>(xt::xarray<double>{1.2, -0.7, 0.5, 2.0, 1.1});
  const Tensor<double> b = Tensor<double>(xt::xarray<double>{0.1, -0.2, 0.3, 0.0, 0.5});
  const CheckReport r = check_op("layer_norm", [&l](const std::vector<Var<double>>& in) {
    nn::LayerParameters<double> p;
    p.weight = in[1];
    p.bias = in[2];
    return nn::registered_forward(l, in[0], p);
  }, {x, w, b}, options);
  INFO(r.summary());
  CHECK(r.ok);
}

TEST_CASE("layer types: layer_norm is not exact, and says so over Q and Z/p") {
  const nn::Architecture a = load("netdim 1\nx = input(3)\nh = dense(x, 3) | layer_norm\ny = dense(h, 1)\n");
  const analysis::NetworkDegree d = analysis::network_degree(a);
  CHECK(d.exactness == analysis::Exactness::NotExact);
  CHECK(d.culprit == "layer 'layer_norm1' (layer_norm)");
  Tape<Rational> q;
  const Var<Rational> xq = q.constant(Tensor<Rational>(xt::xarray<Rational>{{Rational(1, 3), Rational(2), Rational(-1)}}));
  CHECK_THROWS_WITH_AS(nn::registered_forward(a.layer(2), xq, nn::LayerParameters<Rational>{}),
                       doctest::Contains("is not polynomial"), std::invalid_argument);
}

TEST_CASE("layer types: the language checks a registered type's attributes and suggests its name") {
  const std::string head = "netdim 1\nx = input(4)\n";
  CHECK(diagnostics_of(head + "y = layer_norm(x, eps=0)\n").find("`eps` of layer_norm must be between") != std::string::npos);
  CHECK(diagnostics_of(head + "y = layer_norm(x, eps=true)\n").find("`eps` of layer_norm must be a number") !=
        std::string::npos);
  CHECK(diagnostics_of(head + "y = layer_norm(x, affine=1)\n").find("`affine` of layer_norm must be true or false") !=
        std::string::npos);
  const std::string typo = diagnostics_of(head + "y = layer_norm(x, epss=0.1)\n");
  CHECK(typo.find("has no attribute `epss`") != std::string::npos);
  CHECK(typo.find("eps") != std::string::npos);
  CHECK(diagnostics_of(head + "y = layer_nrm(x)\n").find("layer_norm") != std::string::npos);
  CHECK(diagnostics_of(head + "y = layer_norm(x, 0.1, true, 3)\n").find("takes at most 3 arguments") != std::string::npos);
  // By position, in the declared order.
  CHECK(load(head + "y = layer_norm(x, 0.5, false)\n").describe().find("eps=0.5 affine=0") != std::string::npos);
}

TEST_CASE("layer types: C++ builds them through Architecture::registered, with the same checks") {
  nn::Architecture a;
  const auto x = a.input({3});
  CHECK_THROWS_WITH_AS(a.registered(x, "layer_nrm"), doctest::Contains("no layer type named 'layer_nrm'"),
                       std::invalid_argument);
  CHECK_THROWS_WITH_AS(a.registered(x, "layer_norm", nn::LayerAttributes().set("epsilon", 0.1)),
                       doctest::Contains("has no attribute 'epsilon'"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(a.registered(x, "layer_norm", nn::LayerAttributes().set("eps", -1.0)),
                       doctest::Contains("out of range"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(a.registered(x, "layer_norm", nn::LayerAttributes().set("affine", 0.5)),
                       doctest::Contains("must be true or false"), std::invalid_argument);
  const auto ln = a.registered(x, "layer_norm", nn::LayerAttributes().set("eps", 0.01));
  CHECK(a.layer(ln).name == "layer_norm1");
  CHECK(a.layer(ln).attributes.real("eps") == 0.01);
  CHECK(a.layer(ln).attributes.boolean("affine"));  // the default, filled in
  CHECK(a.parameter_count() == 6);
}

TEST_CASE("layer types: a user's own type works in the language, the Jacobian and the exact analyses") {
  const std::string failure = in_child([]() -> std::string {
    // y = (w * x)^power + bias per feature: a polynomial of degree `power` in x, with parameters.
    nn::LayerType t = nn::make_layer_type<LayerExactness::Polynomial>(
        "scaled_power", "(weight * x)^power + bias, per feature",
        {{"power", AttributeType::Integer, 2.0, 1, 4, "the exponent"}},
        []<Scalar T>(const Var<T>& x, const nn::LayerParameters<T>& p, const nn::Layer& l) {
          Shape per_example = x.shape();
          per_example[0] = 1;
          return pow(x * reshape(*p.weight, per_example), static_cast<int>(l.attributes.integer("power"))) +
                 reshape(*p.bias, per_example);
        });
    t.degree_of = [](const nn::LayerAttributes& a) { return static_cast<unsigned>(a.integer("power")); };
    t.parameters = [](const Shape& in, const Shape&, const nn::LayerAttributes&) {
      return std::vector<nn::ParameterSpec>{{"weight", in, {1, 1, false, true}}, {"bias", in, {0, 1, true, false}}};
    };
    nn::register_layer_type(std::move(t));
    const dsl::LoadResult r = dsl::load_source(
        "netdim 1\nx = input(2)\nh = dense(x, 3) | scaled_power\ny = dense(h, 1)\n", "user.net");
    if (!r.ok()) return "the language refused it: " + dsl::render(r.diagnostics);
    const nn::Architecture& a = *r.architecture;
    if (a.parameter_count() != 9 + 6 + 4) return "parameter count " + std::to_string(a.parameter_count());
    if (a.parameter_blocks()[2].name != "scaled_power1.weight") return "block " + a.parameter_blocks()[2].name;
    const analysis::NetworkDegree d = analysis::network_degree(a);
    // theta: dense 1, squared 2, own weight +1 = 3, dense 4; x: 1, 2, 2.
    if (d.exactness != analysis::Exactness::Polynomial || d.theta != 4 || d.x != 2)
      return "network_degree gave theta " + std::to_string(d.theta) + ", x " + std::to_string(d.x);
    const dsl::LoadResult cubed =
        dsl::load_source("netdim 1\nx = input(2)\nh = dense(x, 3) | scaled_power(power=3)\n", "cubed.net");
    if (!cubed.ok()) return "power=3 refused: " + dsl::render(cubed.diagnostics);
    // theta: dense 1, cubed 3, own weight +1 = 4; x: 3.
    const analysis::NetworkDegree d3 = analysis::network_degree(*cubed.architecture);
    if (d3.theta != 4 || d3.x != 3) return "power=3: theta " + std::to_string(d3.theta) + ", x " + std::to_string(d3.x);
    // The per-example Jacobian: the generic path for the user's layer equals the reference.
    const nn::Model<double> model(a, 3);
    const Tensor<double> xs = Tensor<double>(xt::xarray<double>{{0.5, -1.0}, {2.0, 0.25}, {-0.3, 0.8}});
    const Tensor<double> batched = analysis::batched_jacobian(model, xs, analysis::OutputReduction::first());
    const Tensor<double> reference = analysis::reference_jacobian(model, xs, analysis::OutputReduction::first());
    if (shape_of(batched) != shape_of(reference)) return "the Jacobians' shapes differ";
    if (testing::max_abs_diff(batched, reference) > 1e-12) return "batched and reference Jacobians differ";
    // Exactly over Q: the forward runs, and the rank of J at rational points is at most n.
    nn::Model<Rational> exact(a, 3);
    Tensor<Rational> xq = Tensor<Rational>::from_shape({3, 2});
    for (std::size_t i = 0; i < 6; ++i) xq.flat(i) = Rational(static_cast<long>(i) - 2, 3);
    const Tensor<Rational> jq = analysis::batched_jacobian(exact, xq, analysis::OutputReduction::first());
    if (analysis::exact_rank(jq) > 3) return "rank above the number of examples";
    // A misspelling suggests it.
    const std::string typo = dsl::render(
        dsl::load_source("netdim 1\nx = input(2)\ny = scaled_powr(x)\n", "typo.net").diagnostics);
    if (typo.find("scaled_power") == std::string::npos) return "no suggestion: " + typo;
    const std::string range = dsl::render(
        dsl::load_source("netdim 1\nx = input(2)\ny = scaled_power(x, power=5)\n", "range.net").diagnostics);
    if (range.find("`power` of scaled_power") == std::string::npos) return "no range check: " + range;
    return "";
  });
  CHECK_MESSAGE(failure.empty(), failure);
}

TEST_CASE("layer types: refuses a taken name, a bad name and a descriptor that contradicts itself") {
  const std::string failure = in_child([]() -> std::string {
    auto refused = [](nn::LayerType k, const std::string& part) {
      return testing::refusal([&] { nn::register_layer_type(std::move(k)); }, part);
    };
    auto plain = [](std::string name, std::vector<nn::AttributeSpec> attributes = {}) {
      return nn::make_layer_type<LayerExactness::NotExact>(
          std::move(name), "", std::move(attributes),
          []<Scalar T>(const Var<T>& x, const nn::LayerParameters<T>&, const nn::Layer&) { return x; });
    };
    for (const std::string& f :
         {refused(plain("layer_norm"), "already registered"), refused(plain("dense"), "layer function"),
          refused(plain("shortcut"), "layer function"), refused(plain("relu"), "is an activation"),
          refused(plain("Norm"), "lowercase"), refused(plain("x", {{"x", AttributeType::Real, 1.0}}), "`x` is the layer's input"),
          refused(plain("twice", {{"a", AttributeType::Real, 1.0}, {"a", AttributeType::Real, 2.0}}), "declared twice"),
          refused(plain("bad_default", {{"k", AttributeType::Integer, 0.5, 0, 4}}), "must be an integer"),
          refused(plain("outside", {{"k", AttributeType::Real, 9.0, 0, 4}}), "out of range")})
      if (!f.empty()) return f;
    nn::LayerType with_q = plain("with_q");
    with_q.rational = [](const Var<Rational>& x, const nn::LayerParameters<Rational>&, const nn::Layer&) { return x; };
    if (auto f = refused(with_q, "cannot have a Rational forward"); !f.empty()) return f;
    nn::LayerType no_double = plain("no_double");
    no_double.f64 = nullptr;
    if (auto f = refused(no_double, "float and double"); !f.empty()) return f;
    // An activation cannot take a layer type's name either.
    try {
      nn::register_activation(nn::make_activation<nn::ActivationExactness::NotExact>(
          "layer_norm", "", [](const auto& x, double) { return x; }));
      return "an activation took layer_norm's name";
    } catch (const std::invalid_argument& e) {
      if (std::string(e.what()).find("layer function") == std::string::npos) return "wrong message: " + std::string(e.what());
    }
    if (nn::find_layer_type("with_q")) return "a refused type was registered";
    return "";
  });
  CHECK_MESSAGE(failure.empty(), failure);
}

TEST_CASE("layer types: docs/language.md and the fuzz dictionary list every built-in type and its attributes") {
  const std::string language = read_text(NETDIM_EXAMPLES_DIR "/../docs/language.md");
  const std::string dict = read_text(NETDIM_EXAMPLES_DIR "/../tests/fuzz/dsl.dict");
  REQUIRE_FALSE(language.empty());
  REQUIRE_FALSE(dict.empty());
  for (std::uint32_t id : nn::registered_layer_types()) {
    const nn::LayerType& t = nn::layer_type(id);
    CHECK_MESSAGE(language.find("| `" + signature_text(t) + "` |") != std::string::npos,
                  "docs/language.md's table should have the row `", signature_text(t), "`");
    CHECK_MESSAGE(dict.find("\"" + t.name + "\"") != std::string::npos, t.name, " is not in dsl.dict");
    for (const nn::AttributeSpec& a : t.attributes)
      CHECK_MESSAGE(dict.find("\"" + a.name + "=\"") != std::string::npos, a.name, "= is not in dsl.dict");
  }
  // Activations and layer types share the language's names: the built-ins are disjoint.
  for (nn::Activation a : nn::registered_activations()) CHECK_FALSE(nn::is_layer_word(a.name()));
}

}  // namespace netdim
