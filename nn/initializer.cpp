#include "netdim/nn/initializer.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

namespace netdim::nn {

std::string Initializer::describe() const {
  std::ostringstream os;
  switch (kind) {
    case Kind::PyTorchDefault: return "pytorch";
    case Kind::Normal: os << "normal(" << value << ")"; break;
    case Kind::Uniform: os << "uniform(" << value << ")"; break;
    case Kind::He: return "he";
    case Kind::Glorot: return "glorot";
    case Kind::Zeros: return "zeros";
    case Kind::Constant: os << "constant(" << value << ")"; break;
  }
  return os.str();
}

template <class T>
void initialize(Tensor<T>& out, const Initializer& init, const BlockFans& fans, std::mt19937_64& rng) {
  // Rational blocks get the exact value of each double draw (a dyadic rational);
  // Modular blocks that rational mod p (a power-of-two denominator is invertible).
  const auto fill = [&](auto&& draw) {
    for (auto& v : out) {
      if constexpr (std::is_same_v<T, Modular>) v = Modular(Rational(draw()));
      else v = T(draw());
    }
  };
  const double fan_in = static_cast<double>(std::max<std::size_t>(fans.fan_in, 1));
  const double fan_out = static_cast<double>(std::max<std::size_t>(fans.fan_out, 1));
  switch (init.kind) {
    case Initializer::Kind::PyTorchDefault: {
      if (fans.is_scale) return fill([] { return 1.0; });
      if (fans.is_bias && fans.fan_in == 0) return fill([] { return 0.0; });
      // kaiming_uniform(a = sqrt(5)) for weights reduces to this bound, as does the bias rule.
      std::uniform_real_distribution<double> d(-1.0 / std::sqrt(fan_in), 1.0 / std::sqrt(fan_in));
      return fill([&] { return d(rng); });
    }
    case Initializer::Kind::Normal: {
      if (!(init.value > 0)) throw std::invalid_argument("normal initialiser: sigma must be positive");
      std::normal_distribution<double> d(0.0, init.value);
      return fill([&] { return d(rng); });
    }
    case Initializer::Kind::Uniform: {
      if (!(init.value > 0)) throw std::invalid_argument("uniform initialiser: a must be positive");
      std::uniform_real_distribution<double> d(-init.value, init.value);
      return fill([&] { return d(rng); });
    }
    case Initializer::Kind::He: {
      std::normal_distribution<double> d(0.0, std::sqrt(2.0 / fan_in));
      return fill([&] { return d(rng); });
    }
    case Initializer::Kind::Glorot: {
      const double a = std::sqrt(6.0 / (fan_in + fan_out));
      std::uniform_real_distribution<double> d(-a, a);
      return fill([&] { return d(rng); });
    }
    case Initializer::Kind::Zeros: return fill([] { return 0.0; });
    case Initializer::Kind::Constant: return fill([&] { return init.value; });
  }
}

template void initialize(Tensor<float>&, const Initializer&, const BlockFans&, std::mt19937_64&);
template void initialize(Tensor<double>&, const Initializer&, const BlockFans&, std::mt19937_64&);
template void initialize(Tensor<Rational>&, const Initializer&, const BlockFans&, std::mt19937_64&);
template void initialize(Tensor<Modular>&, const Initializer&, const BlockFans&, std::mt19937_64&);

}  // namespace netdim::nn
