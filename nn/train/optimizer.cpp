#include "netdim/nn/train/optimizer.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace netdim::nn {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::invalid_argument(what);
}

// General notation: std::to_string would print -1e-8 as -0.000000.
std::string number(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

// Written so that NaN fails too.
void require_non_negative(double v, const std::string& optimizer, const char* name) {
  require(v >= 0 && std::isfinite(v), optimizer + ": " + name + " must be finite and >= 0, got " + number(v));
}

void require_beta(double v, const char* name) {
  require(v >= 0 && v < 1, std::string("Adam: ") + name + " must be in [0, 1), got " + number(v));
}

}  // namespace

template <FloatingScalar T>
Optimizer<T>::Optimizer(std::string name, double lr) : name_(std::move(name)), lr_(0) {
  set_lr(lr);
}

template <FloatingScalar T>
void Optimizer<T>::set_lr(double lr) {
  require_non_negative(lr, name_, "lr");
  lr_ = lr;
}

template <FloatingScalar T>
void Optimizer<T>::step(Tensor<T>& params, const Tensor<T>& grad) {
  if (params.dimension() != 1)
    throw ShapeError(name_ + " step: parameters must be one flat 1-D vector, got " + shape_string(shape_of(params)));
  if (shape_of(grad) != shape_of(params))
    throw ShapeError(name_ + " step: gradient shape " + shape_string(shape_of(grad)) +
                     " differs from parameter shape " + shape_string(shape_of(params)));
  const std::size_t n = params.size();
  if (steps_ == 0) {
    size_ = n;
    start(n);
  } else if (n != size_) {
    throw std::invalid_argument(name_ + " step: the parameter vector has " + std::to_string(n) +
                                " entries but the optimizer's state was sized for " + std::to_string(size_) +
                                " on its first step; call reset() to start over with another vector");
  }
  update(std::span<T>(params.data(), n), std::span<const T>(grad.data(), n), steps_ + 1);
  ++steps_;
}

template <FloatingScalar T>
SGD<T>::SGD(double lr, double momentum, double dampening, double weight_decay, bool nesterov)
    : Optimizer<T>("SGD", lr),
      momentum_(momentum),
      dampening_(dampening),
      weight_decay_(weight_decay),
      nesterov_(nesterov) {
  require_non_negative(momentum, "SGD", "momentum");
  require_non_negative(weight_decay, "SGD", "weight_decay");
  require(std::isfinite(dampening), "SGD: dampening must be finite, got " + number(dampening));
  require(!nesterov || (momentum > 0 && dampening == 0),
          "SGD: nesterov momentum needs momentum > 0 and dampening == 0 (as in torch.optim.SGD)");
}

template <FloatingScalar T>
void SGD<T>::start(std::size_t n) {
  buffer_.assign(momentum_ > 0 ? n : 0, T(0));
}

template <FloatingScalar T>
void SGD<T>::update(std::span<T> params, std::span<const T> grad, std::size_t step) {
  const T lr = static_cast<T>(this->lr());
  const T momentum = static_cast<T>(momentum_);
  const T keep = static_cast<T>(1 - dampening_);
  const T wd = static_cast<T>(weight_decay_);
  const bool first = step == 1;
  // Locals and restrict pointers: the settings are loop-invariant, so the compiler
  // can unswitch the loop and vectorise each variant.
  const bool decay = weight_decay_ != 0, use_momentum = momentum_ != 0, nesterov = nesterov_;
  T* __restrict p = params.data();
  const T* __restrict g = grad.data();
  T* __restrict buf = buffer_.data();
  const std::size_t n = params.size();
  for (std::size_t i = 0; i < n; ++i) {
    T d = decay ? g[i] + wd * p[i] : g[i];
    if (use_momentum) {
      // torch starts the buffer at d itself, not at (1 - dampening) d.
      const T b = first ? d : momentum * buf[i] + keep * d;
      buf[i] = b;
      d = nesterov ? d + momentum * b : b;
    }
    p[i] -= lr * d;
  }
}

template <FloatingScalar T>
Adam<T>::Adam(double lr, double beta1, double beta2, double eps, double weight_decay)
    : Optimizer<T>("Adam", lr), beta1_(beta1), beta2_(beta2), eps_(eps), weight_decay_(weight_decay) {
  require_beta(beta1, "beta1");
  require_beta(beta2, "beta2");
  require_non_negative(eps, "Adam", "eps");
  require_non_negative(weight_decay, "Adam", "weight_decay");
}

template <FloatingScalar T>
void Adam<T>::start(std::size_t n) {
  m_.assign(n, T(0));
  v_.assign(n, T(0));
}

template <FloatingScalar T>
void Adam<T>::update(std::span<T> params, std::span<const T> grad, std::size_t step) {
  // Bias corrections in double, as torch computes them from a Python float.
  const double t = static_cast<double>(step);
  const double correction1 = 1 - std::pow(beta1_, t);
  const double correction2 = 1 - std::pow(beta2_, t);
  const T step_size = static_cast<T>(this->lr() / correction1);
  const T correction2_sqrt = static_cast<T>(std::sqrt(correction2));
  const T b1 = static_cast<T>(beta1_), b2 = static_cast<T>(beta2_);
  const T c1 = static_cast<T>(1 - beta1_), c2 = static_cast<T>(1 - beta2_);
  const T eps = static_cast<T>(eps_), wd = static_cast<T>(weight_decay_);
  const bool decay = weight_decay_ != 0;
  T* __restrict p = params.data();
  const T* __restrict g = grad.data();
  T* __restrict m = m_.data();
  T* __restrict v = v_.data();
  const std::size_t n = params.size();
  for (std::size_t i = 0; i < n; ++i) {
    const T d = decay ? g[i] + wd * p[i] : g[i];
    m[i] = m[i] * b1 + c1 * d;
    v[i] = v[i] * b2 + c2 * d * d;
    // eps is added after the bias-corrected square root, as in torch.
    const T denom = std::sqrt(v[i]) / correction2_sqrt + eps;
    p[i] += -step_size * m[i] / denom;
  }
}

template <FloatingScalar T>
std::unique_ptr<Optimizer<T>> make_optimizer(std::string_view name, double lr, double momentum) {
  if (name == "sgd") return std::make_unique<SGD<T>>(lr, momentum);
  if (name == "adam") return std::make_unique<Adam<T>>(lr);
  throw std::invalid_argument("unknown optimiser '" + std::string(name) + "' (sgd or adam)");
}

template class Optimizer<float>;
template class Optimizer<double>;
template class SGD<float>;
template class SGD<double>;
template class Adam<float>;
template class Adam<double>;
template std::unique_ptr<Optimizer<float>> make_optimizer(std::string_view, double, double);
template std::unique_ptr<Optimizer<double>> make_optimizer(std::string_view, double, double);

}  // namespace netdim::nn
