#include "netdim/nn/activation.hpp"

#include <stdexcept>

#include "netdim/nn/activations/builtin_activations.hpp"
#include "netdim/nn/layer_type.hpp"
#include "netdim/nn/named_registry.hpp"

namespace netdim::nn {

// The registry of activations (nn/named_registry.hpp), with the built-ins first.
class ActivationRegistry {
 public:
  static ActivationRegistry& instance() {
    static ActivationRegistry r;
    return r;
  }
  std::size_t size() const { return registry_.size(); }
  const ActivationKind& at(std::uint32_t id) const { return registry_.at(id); }
  static Activation handle(std::uint32_t id) { return Activation(id); }
  std::optional<Activation> find(std::string_view name) const {
    if (const auto id = registry_.find(name)) return Activation(*id);
    return std::nullopt;
  }
  Activation add(ActivationKind kind) { return Activation(registry_.add(std::move(kind), validate)); }
  // A user's activation must not take a layer function's name (the built-ins are disjoint by test).
  Activation add_user(ActivationKind kind) {
    if (is_layer_word(kind.name))
      throw std::invalid_argument("activation '" + kind.name + "': the name is a layer function of the language");
    return add(std::move(kind));
  }

 private:
  ActivationRegistry() {
    for (ActivationKind& k : builtin_activations()) add(std::move(k));
  }
  static void validate(const ActivationKind& k) {
    const std::string what = "activation '" + k.name + "'";
    if (!k.f32 || !k.f64) throw std::invalid_argument(what + " needs its float and double functions");
    check_exactness_contract(what, k.exactness, static_cast<bool>(k.rational), static_cast<bool>(k.modular), k.degree,
                             "function");
  }

  NamedRegistry<ActivationKind> registry_{"activation"};
};

namespace {

template <Scalar T>
const ActivationFunction<T>& function_of(const ActivationKind& k) {
  if constexpr (std::is_same_v<T, float>) return k.f32;
  else if constexpr (std::is_same_v<T, double>) return k.f64;
  else if constexpr (std::is_same_v<T, Rational>) return k.rational;
  else return k.modular;
}

}  // namespace

void check_exactness_contract(const std::string& what, ActivationExactness exactness, bool has_rational,
                              bool has_modular, unsigned degree, const std::string& noun) {
  const bool rational = exactness != ActivationExactness::NotExact;
  const bool modular = exactness == ActivationExactness::Polynomial;
  if (has_rational != rational)
    throw std::invalid_argument(what + (rational ? " is exact and needs its Rational " + noun
                                                 : " is not exact and cannot have a Rational " + noun));
  if (has_modular != modular)
    throw std::invalid_argument(what + (modular ? " is a polynomial and needs its Modular " + noun
                                                : " is not a polynomial and cannot have a Modular " + noun));
  if (degree == 0) throw std::invalid_argument(what + ": the degree is at least 1");
  if (exactness != ActivationExactness::Polynomial && degree != 1)
    throw std::invalid_argument(what + ": only a polynomial has a degree other than 1");
}

const ActivationKind& Activation::kind() const { return ActivationRegistry::instance().at(id_); }

Activation register_activation(ActivationKind kind) { return ActivationRegistry::instance().add_user(std::move(kind)); }

std::vector<Activation> registered_activations() {
  std::vector<Activation> out;
  const std::size_t n = ActivationRegistry::instance().size();
  for (std::uint32_t i = 0; i < n; ++i) out.push_back(ActivationRegistry::handle(i));
  return out;
}

std::string_view activation_name(Activation a) { return a.name(); }

std::optional<Activation> activation_from_name(std::string_view name) {
  return ActivationRegistry::instance().find(name);
}

std::string activation_names() {
  std::string all;
  for (Activation a : registered_activations()) all += (all.empty() ? "" : ", ") + std::string(a.name());
  return all;
}

std::string activation_names(ActivationExactness exactness) {
  std::string all;
  for (Activation a : registered_activations())
    if (a.kind().exactness == exactness) all += (all.empty() ? "" : ", ") + std::string(a.name());
  return all;
}

std::string activation_layer_prefix(Activation a) { return automatic_name_prefix(a.name()); }

bool is_exact(Activation a) { return a.kind().exactness != ActivationExactness::NotExact; }

template <Scalar T>
Var<T> activate(const Var<T>& x, Activation a, double slope) {
  const ActivationKind& k = a.kind();
  if (const ActivationFunction<T>& f = function_of<T>(k)) return f(x, slope);
  if (k.exactness == ActivationExactness::PiecewiseLinear)
    throw std::invalid_argument("activation " + k.name +
                                " compares with zero, which has no meaning mod p: a modular evaluation needs a "
                                "polynomial network (" + activation_names(ActivationExactness::Polynomial) + ")");
  throw std::invalid_argument("activation " + k.name +
                              " is not polynomial, so the network cannot be evaluated exactly over the rationals "
                              "(exact activations: " + activation_names(ActivationExactness::Polynomial) + ", " +
                              activation_names(ActivationExactness::PiecewiseLinear) + ")");
}

template Var<float> activate(const Var<float>&, Activation, double);
template Var<double> activate(const Var<double>&, Activation, double);
template Var<Rational> activate(const Var<Rational>&, Activation, double);
template Var<Modular> activate(const Var<Modular>&, Activation, double);

}  // namespace netdim::nn
