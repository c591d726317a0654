#include "nn/activation.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "nn/activations/builtin_activations.hpp"

namespace netdim::nn {

// Registration appends under a lock; lookups read without one. The slots never move (the
// vector is reserved once), and a slot is published by the release store of the count.
class ActivationRegistry {
 public:
  static constexpr std::size_t kCapacity = 4096;

  static ActivationRegistry& instance() {
    static ActivationRegistry r;
    return r;
  }
  std::size_t size() const { return size_.load(std::memory_order_acquire); }
  const ActivationKind& at(std::uint32_t id) const {
    if (id >= size()) throw std::out_of_range("activation id " + std::to_string(id) + " is not registered");
    return *slots_[id];
  }
  static Activation handle(std::uint32_t id) { return Activation(id); }
  std::optional<Activation> find(std::string_view name) const {
    const std::size_t n = size();
    for (std::uint32_t i = 0; i < n; ++i)
      if (slots_[i]->name == name) return Activation(i);
    return std::nullopt;
  }
  Activation add(ActivationKind kind) {
    std::lock_guard lock(mutex_);
    validate(kind);
    if (find(kind.name)) throw std::invalid_argument("activation '" + kind.name + "' is already registered");
    const std::size_t n = size_.load(std::memory_order_relaxed);
    if (n == kCapacity) throw std::invalid_argument("too many activations (at most " + std::to_string(kCapacity) + ")");
    slots_.push_back(std::make_unique<const ActivationKind>(std::move(kind)));
    size_.store(n + 1, std::memory_order_release);
    return Activation(static_cast<std::uint32_t>(n));
  }

 private:
  ActivationRegistry() {
    slots_.reserve(kCapacity);
    for (ActivationKind& k : builtin_activations()) add(std::move(k));
  }
  static void validate(const ActivationKind& k) {
    const std::string what = "activation '" + k.name + "'";
    bool word = !k.name.empty() && k.name.size() <= 64 && (k.name[0] == '_' || (k.name[0] >= 'a' && k.name[0] <= 'z'));
    for (char c : k.name) word = word && (c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
    if (!word)
      throw std::invalid_argument(what + ": a name is a lowercase identifier of at most 64 characters ([a-z_][a-z0-9_]*)");
    if (!k.f32 || !k.f64) throw std::invalid_argument(what + " needs its float and double functions");
    const bool rational = k.exactness != ActivationExactness::NotExact;
    const bool modular = k.exactness == ActivationExactness::Polynomial;
    if (static_cast<bool>(k.rational) != rational)
      throw std::invalid_argument(what + (rational ? " is exact and needs its Rational function"
                                                   : " is not exact and cannot have a Rational function"));
    if (static_cast<bool>(k.modular) != modular)
      throw std::invalid_argument(what + (modular ? " is a polynomial and needs its Modular function"
                                                  : " is not a polynomial and cannot have a Modular function"));
    if (k.degree == 0) throw std::invalid_argument(what + ": the degree is at least 1");
    if (k.exactness != ActivationExactness::Polynomial && k.degree != 1)
      throw std::invalid_argument(what + ": only a polynomial has a degree other than 1");
  }

  std::mutex mutex_;
  std::vector<std::unique_ptr<const ActivationKind>> slots_;
  std::atomic<std::size_t> size_{0};
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

const ActivationKind& Activation::kind() const { return ActivationRegistry::instance().at(id_); }

Activation register_activation(ActivationKind kind) { return ActivationRegistry::instance().add(std::move(kind)); }

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

std::string activation_layer_prefix(Activation a) {
  std::string prefix(activation_name(a));
  if (!prefix.empty() && prefix.back() >= '0' && prefix.back() <= '9') prefix += '_';
  return prefix;
}

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
