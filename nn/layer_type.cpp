#include "netdim/nn/layer_type.hpp"

#include <cmath>
#include <stdexcept>

#include "netdim/nn/layers/builtin_layer_types.hpp"
#include "netdim/nn/named_registry.hpp"

namespace netdim::nn {
namespace {

// The language's words for the core kinds (every LayerKind before Registered) and its
// other layer functions, which no registered type or activation may take.
bool is_core_layer_word(std::string_view name) {
  for (int k = 0; k < static_cast<int>(LayerKind::Registered); ++k)
    if (layer_kind_name(static_cast<LayerKind>(k)) == name) return true;
  return name == "shortcut";
}

void validate_attributes(const std::string& what, const std::vector<AttributeSpec>& specs) {
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const AttributeSpec& s = specs[i];
    check_registered_name(what + ": attribute '" + s.name + "'", s.name);
    if (s.name == "x") throw std::invalid_argument(what + ": `x` is the layer's input, not an attribute");
    for (std::size_t j = 0; j < i; ++j)
      if (specs[j].name == s.name) throw std::invalid_argument(what + ": attribute '" + s.name + "' is declared twice");
    if (!(s.min <= s.max)) throw std::invalid_argument(what + ": attribute '" + s.name + "' has an empty range");
    if (s.fallback) {
      // The default must pass the checks a given value passes.
      LayerAttributes probe;
      probe.resolved({s}, what + ": the default of attribute '" + s.name + "'");
    }
  }
}

class LayerTypeRegistry {
 public:
  static LayerTypeRegistry& instance() {
    static LayerTypeRegistry r;
    return r;
  }
  const NamedRegistry<LayerType>& types() const { return registry_; }
  std::uint32_t add(LayerType type) { return registry_.add(std::move(type), validate); }
  // A user's type must not take an activation's name (the built-ins are disjoint by test).
  std::uint32_t add_user(LayerType type) {
    if (activation_from_name(type.name))
      throw std::invalid_argument("layer type '" + type.name + "': the name is an activation");
    return add(std::move(type));
  }

 private:
  LayerTypeRegistry() {
    for (LayerType& t : builtin_layer_types()) add(std::move(t));
  }
  static void validate(const LayerType& t) {
    const std::string what = "layer type '" + t.name + "'";
    if (is_core_layer_word(t.name)) throw std::invalid_argument(what + ": the name is a layer function of the language");
    if (!t.f32 || !t.f64) throw std::invalid_argument(what + " needs its float and double forwards");
    check_exactness_contract(what, t.exactness, static_cast<bool>(t.rational), static_cast<bool>(t.modular), t.degree,
                             "forward");
    if (t.degree_of && t.exactness != LayerExactness::Polynomial)
      throw std::invalid_argument(what + ": only a polynomial has a degree that depends on its attributes");
    validate_attributes(what, t.attributes);
  }

  NamedRegistry<LayerType> registry_{"layer type"};
};

template <Scalar T>
const LayerFunction<T>& forward_of(const LayerType& t) {
  if constexpr (std::is_same_v<T, float>) return t.f32;
  else if constexpr (std::is_same_v<T, double>) return t.f64;
  else if constexpr (std::is_same_v<T, Rational>) return t.rational;
  else return t.modular;
}

}  // namespace

std::uint32_t register_layer_type(LayerType type) { return LayerTypeRegistry::instance().add_user(std::move(type)); }

const LayerType& layer_type(std::uint32_t id) { return LayerTypeRegistry::instance().types().at(id); }

std::optional<std::uint32_t> find_layer_type(std::string_view name) {
  return LayerTypeRegistry::instance().types().find(name);
}

std::vector<std::uint32_t> registered_layer_types() {
  std::vector<std::uint32_t> out;
  const std::size_t n = LayerTypeRegistry::instance().types().size();
  for (std::uint32_t i = 0; i < n; ++i) out.push_back(i);
  return out;
}

bool is_layer_word(std::string_view name) { return is_core_layer_word(name) || find_layer_type(name).has_value(); }

std::vector<ParameterBlock> registered_parameter_blocks(const Layer& l, std::size_t index, const Shape& input) {
  const LayerType& t = layer_type(l.type);
  std::vector<ParameterBlock> blocks;
  if (!t.parameters) return blocks;
  for (ParameterSpec& s : t.parameters(input, l.shape, l.attributes)) {
    const bool is_bias = s.suffix == "bias";
    if (!(s.suffix == "weight" && blocks.empty()) && !(is_bias && (blocks.empty() || !blocks.back().is_bias)))
      throw std::logic_error("layer type '" + t.name + "': parameter blocks are a weight, a bias, or a weight then a bias; found '" +
                             s.suffix + "'");
    ParameterBlock b;
    b.name = l.name + "." + s.suffix;
    b.layer = index;
    b.shape = std::move(s.shape);
    b.fans = s.fans;
    b.init = s.init;
    b.is_bias = is_bias;
    blocks.push_back(std::move(b));
  }
  return blocks;
}

unsigned registered_degree(const Layer& l) {
  const LayerType& t = layer_type(l.type);
  if (!t.degree_of) return t.degree;
  const unsigned d = t.degree_of(l.attributes);
  if (d == 0) throw std::logic_error("layer type '" + t.name + "': degree_of gave 0 for layer '" + l.name + "'");
  return d;
}

template <Scalar T>
Var<T> registered_forward(const Layer& l, const Var<T>& x, const LayerParameters<T>& params) {
  const LayerType& t = layer_type(l.type);
  if (const LayerFunction<T>& f = forward_of<T>(t)) return f(x, params, l);
  if (t.exactness == LayerExactness::PiecewiseLinear)
    throw std::invalid_argument("layer '" + l.name + "' (" + t.name +
                                ") compares, which has no meaning mod p: a modular evaluation needs a polynomial network");
  throw std::invalid_argument("layer '" + l.name + "' (" + t.name +
                              ") is not polynomial, so the network cannot be evaluated exactly (over the rationals or "
                              "mod p)");
}

template Var<float> registered_forward(const Layer&, const Var<float>&, const LayerParameters<float>&);
template Var<double> registered_forward(const Layer&, const Var<double>&, const LayerParameters<double>&);
template Var<Rational> registered_forward(const Layer&, const Var<Rational>&, const LayerParameters<Rational>&);
template Var<Modular> registered_forward(const Layer&, const Var<Modular>&, const LayerParameters<Modular>&);

}  // namespace netdim::nn
