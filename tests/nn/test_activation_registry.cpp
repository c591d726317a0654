// The activation registry: the built-ins' names, order and exactness; every activation's
// derivatives through check_op; the refusals over Q and Z/p; a user's own activation in the
// language and the exact analyses; and the lists the docs and the fuzz dictionary keep.
#include <cmath>
#include <doctest/doctest.h>
#include <fstream>
#include <sstream>

#include "netdim/analysis/exact/network_degree.hpp"
#include "netdim/autodiff/check_op.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/activation.hpp"
#include "in_child.hpp"

namespace netdim {
namespace {

using nn::Activation;
using nn::ActivationExactness;
using testing::in_child;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("activation registry: the built-ins, in the order of the named constants") {
  const std::vector<Activation> all = nn::registered_activations();
  REQUIRE(all.size() >= 11);
  const std::vector<std::pair<Activation, std::string>> named{
      {Activation::Identity, "identity"}, {Activation::Relu, "relu"},         {Activation::LeakyRelu, "leaky_relu"},
      {Activation::Sigmoid, "sigmoid"},   {Activation::Tanh, "tanh"},         {Activation::Softplus, "softplus"},
      {Activation::Square, "square"},     {Activation::Cube, "cube"},         {Activation::Sin, "sin"},
      {Activation::Relu6, "relu6"}};
  for (std::size_t i = 0; i < named.size(); ++i) {
    CHECK(all[i] == named[i].first);
    CHECK(named[i].first.name() == named[i].second);
    CHECK(nn::activation_from_name(named[i].second) == named[i].first);
  }
  CHECK(nn::activation_from_name("silu").has_value());
  CHECK_FALSE(nn::activation_from_name("Relu").has_value());
  CHECK(Activation() == Activation::Identity);
  CHECK(nn::activation_names(ActivationExactness::Polynomial) == "identity, square, cube");
  CHECK(nn::activation_names(ActivationExactness::PiecewiseLinear) == "relu, leaky_relu, relu6");
  CHECK(Activation::Square.kind().degree == 2);
  CHECK(Activation::Cube.kind().degree == 3);
  CHECK(Activation::LeakyRelu.kind().has_slope);
  CHECK_FALSE(Activation::Relu.kind().has_slope);
  CHECK(nn::activation_layer_prefix(Activation::Relu6) == "relu6_");
}

TEST_CASE("activation registry: every activation's derivatives agree with central differences, both modes") {
  // Points away from the kinks of relu (0) and relu6 (0, 6).
  Tensor<double> at = xt::xarray<double>{{-7.3, -2.1, -0.7, 0.35}, {0.9, 1.7, 5.2, 6.8}};
  for (Activation a : nn::registered_activations()) {
    const double slope = a.kind().has_slope ? 0.2 : 0.01;
    CheckOptions options;
    options.output_shape = Shape{2, 4};
    const CheckReport r = check_op(std::string(a.name()), [a, slope](const std::vector<Var<double>>& x) {
      return nn::activate(x[0], a, slope);
    }, {at}, options);
    INFO(r.summary());
    CHECK(r.ok);
  }
}

TEST_CASE("activation registry: silu, mish and leaky_relu take the values of their formulas") {
  Tape<double> tape;
  const Var<double> x = tape.constant(Tensor<double>(xt::xarray<double>{-2.0, 0.0, 1.0, 3.0}));
  const Tensor<double> silu = nn::activate(x, *nn::activation_from_name("silu"), 0.01).value();
  // x / (1 + exp(-x)), which is torch.nn.functional.silu
  const double expected[] = {-0.2384058440442351, 0.0, 0.7310585786300049, 2.8577223804672998};
  for (std::size_t i = 0; i < 4; ++i) CHECK(silu.flat(i) == doctest::Approx(expected[i]).epsilon(1e-15));
  const Tensor<double> mish = nn::activate(x, *nn::activation_from_name("mish"), 0.01).value();
  // x * tanh(log1p(exp(x))), which is torch.nn.functional.mish
  const double expected_mish[] = {-0.2525014826957089, 0.0, 0.8650983882673103, 2.9865350049679575};
  for (std::size_t i = 0; i < 4; ++i) CHECK(mish.flat(i) == doctest::Approx(expected_mish[i]).epsilon(1e-14));
  const Tensor<double> leaky = nn::activate(x, Activation::LeakyRelu, 0.25).value();
  CHECK(leaky.flat(0) == -0.5);
  CHECK(leaky.flat(3) == 3.0);
}

TEST_CASE("activation registry: exact scalars are refused where the activation is not defined over them") {
  Tape<Rational> q;
  const Var<Rational> xq = q.constant(Tensor<Rational>(xt::xarray<Rational>{Rational(1, 3), Rational(-2)}));
  Tape<Modular> z;
  const Var<Modular> xz = z.constant(Tensor<Modular>(xt::xarray<Modular>{Modular(3), Modular(5)}));
  for (Activation a : nn::registered_activations()) {
    const ActivationExactness e = a.kind().exactness;
    INFO(a.name());
    if (e == ActivationExactness::NotExact)
      CHECK_THROWS_WITH_AS(nn::activate(xq, a), doctest::Contains("is not polynomial"), std::invalid_argument);
    else
      CHECK_NOTHROW(nn::activate(xq, a));
    if (e == ActivationExactness::Polynomial)
      CHECK_NOTHROW(nn::activate(xz, a));
    else if (e == ActivationExactness::PiecewiseLinear)
      CHECK_THROWS_WITH_AS(nn::activate(xz, a), doctest::Contains("has no meaning mod p"), std::invalid_argument);
    else
      CHECK_THROWS_AS(nn::activate(xz, a), std::invalid_argument);
  }
  // square over Q is exact: (1/3)^2 = 1/9.
  CHECK(nn::activate(xq, Activation::Square).value().flat(0) == Rational(1, 9));
}

TEST_CASE("activation registry: a user's own activation works in the language and in the exact analyses") {
  const std::string failure = in_child([]() -> std::string {
    // x^3 + x: a polynomial of degree 3, defined over every scalar type.
    const Activation mine = nn::register_activation(nn::make_activation<ActivationExactness::Polynomial>(
        "cubic_plus", "x^3 + x", [](const auto& x, double) { return pow(x, 3) + x; }, 3));
    if (mine.name() != "cubic_plus") return "the handle does not name it";
    const dsl::LoadResult r = dsl::load_source(
        "netdim 1\nx = input(2)\nh = dense(x, 3, activation=cubic_plus)\ny = dense(h, 1) | cubic_plus\n", "user.net");
    if (!r.ok()) return "the language refused it: " + dsl::render(r.diagnostics);
    const auto& layers = r.architecture->layers();
    std::size_t uses = 0;
    for (const auto& l : layers) uses += l.kind == nn::LayerKind::Activation && l.activation == mine;
    if (uses != 2) return "expected 2 cubic_plus layers, found " + std::to_string(uses);
    const analysis::NetworkDegree d = analysis::network_degree(*r.architecture);
    // theta: dense 1, cubed 3, dense 4, cubed 12; x: 1, 3, 3, 9.
    if (d.exactness != analysis::Exactness::Polynomial || d.theta != 12 || d.x != 9)
      return "network_degree gave theta " + std::to_string(d.theta) + ", x " + std::to_string(d.x);
    // Its derivatives, through check_op like every built-in.
    const CheckReport c = check_op("cubic_plus", [mine](const std::vector<Var<double>>& x) {
      return nn::activate(x[0], mine);
    }, {Tensor<double>(xt::xarray<double>{-1.5, 0.25, 2.0})});
    if (!c.ok) return "check_op: " + c.summary();
    // A misspelling is suggested from the registry, the user's name included.
    const dsl::LoadResult typo =
        dsl::load_source("netdim 1\nx = input(2)\ny = dense(x, 3, activation=cubic_pluss)\n", "typo.net");
    if (typo.ok() || dsl::render(typo.diagnostics).find("cubic_plus") == std::string::npos)
      return "no suggestion of cubic_plus: " + dsl::render(typo.diagnostics);
    return "";
  });
  CHECK_MESSAGE(failure.empty(), failure);
}

TEST_CASE("activation registry: refuses a taken name, a bad name and a descriptor that contradicts itself") {
  const std::string failure = in_child([]() -> std::string {
    auto refused = [](nn::ActivationKind k, const std::string& part) {
      return testing::refusal([&] { nn::register_activation(std::move(k)); }, part);
    };
    auto plain = [](std::string name) {
      return nn::make_activation<ActivationExactness::NotExact>(std::move(name), "", [](const auto& x, double) { return x; });
    };
    for (const std::string& f : {refused(plain("relu"), "already registered"), refused(plain("Relu"), "lowercase"),
                                 refused(plain(""), "lowercase"), refused(plain("a-b"), "lowercase")})
      if (!f.empty()) return f;
    nn::ActivationKind no_rational = nn::make_activation<ActivationExactness::Polynomial>(
        "poly_without_q", "", [](const auto& x, double) { return x; });
    no_rational.rational = nullptr;
    if (auto f = refused(no_rational, "needs its Rational function"); !f.empty()) return f;
    nn::ActivationKind with_modular = nn::make_activation<ActivationExactness::PiecewiseLinear>(
        "pwl_with_zp", "", [](const auto& x, double) { return x; });
    with_modular.modular = [](const Var<Modular>& x, double) { return x; };
    if (auto f = refused(with_modular, "cannot have a Modular function"); !f.empty()) return f;
    nn::ActivationKind no_float = plain("no_float");
    no_float.f32 = nullptr;
    if (auto f = refused(no_float, "float and double"); !f.empty()) return f;
    if (nn::activation_from_name("poly_without_q")) return "a refused activation was registered";
    return "";
  });
  CHECK_MESSAGE(failure.empty(), failure);
}

TEST_CASE("activation registry: docs/language.md and the fuzz dictionary list every activation") {
  const std::string language = read_text(NETDIM_EXAMPLES_DIR "/../docs/language.md");
  const std::string dict = read_text(NETDIM_EXAMPLES_DIR "/../tests/fuzz/dsl.dict");
  REQUIRE_FALSE(language.empty());
  REQUIRE_FALSE(dict.empty());
  // The attribute table's row and the sentence "are `identity relu ...`": each names every
  // activation without a slope; leaky_relu has its own row.
  std::string plain_row, all_sentence;
  for (Activation a : nn::registered_activations()) {
    if (!a.kind().has_slope) plain_row += (plain_row.empty() ? "" : " ") + std::string(a.name());
    all_sentence += (all_sentence.empty() ? "" : " ") + std::string(a.name());
    CHECK_MESSAGE(dict.find("\"" + std::string(a.name()) + "\"") != std::string::npos, a.name(), " is not in dsl.dict");
  }
  CHECK_MESSAGE(language.find("| `" + plain_row + " (x)` |") != std::string::npos,
                "docs/language.md's activation row should read `", plain_row, " (x)`");
  CHECK_MESSAGE(language.find("are `" + all_sentence + "`;") != std::string::npos,
                "docs/language.md's list should read `", all_sentence, "`");
}

}  // namespace netdim
