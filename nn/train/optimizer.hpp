// Optimisers over ONE flat parameter vector, the layout a Model keeps its
// parameters in (design.md): a step reads the whole gradient and updates the
// whole vector in place, in one loop, with no per-element allocation.
//
// The update rules are exactly those of torch.optim.SGD and torch.optim.Adam
// (PyTorch 1.13), so a run here and a run there can be compared number by number.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/autodiff/tensor.hpp"

namespace netdim::nn {

template <FloatingScalar T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  // One update of `params` in place from `grad`; both 1-D and of one size. The
  // first step sizes the state to that length; a later step with another length
  // throws std::invalid_argument (reset() first to move to another vector).
  // step() validates once here so that the rules below only do arithmetic.
  void step(Tensor<T>& params, const Tensor<T>& grad);

  // Forgets the state (buffers, moments, step count): the next step is a first step.
  void reset() { steps_ = 0; }

  std::size_t steps() const { return steps_; }
  double lr() const { return lr_; }
  const std::string& name() const { return name_; }
  // For learning-rate schedules; throws std::invalid_argument like the constructor.
  void set_lr(double lr);

 protected:
  // `name` ("SGD", "Adam") starts every error message.
  Optimizer(std::string name, double lr);
  // Sizes the state for vectors of length n (called on every first step).
  virtual void start(std::size_t n) = 0;
  // The rule itself; `step` counts from 1.
  virtual void update(std::span<T> params, std::span<const T> grad, std::size_t step) = 0;

 private:
  std::string name_;
  double lr_;
  std::size_t size_ = 0;
  std::size_t steps_ = 0;
};

// torch.optim.SGD: with d = grad + weight_decay * param,
//   buf = d on the first step, else momentum * buf + (1 - dampening) * d;
//   d   = d + momentum * buf (nesterov) or buf (momentum > 0) or d;
//   param -= lr * d.
template <FloatingScalar T>
class SGD final : public Optimizer<T> {
 public:
  // Throws std::invalid_argument for a negative or non-finite lr, momentum or
  // weight_decay, and for nesterov without momentum > 0 and dampening == 0.
  explicit SGD(double lr, double momentum = 0, double dampening = 0, double weight_decay = 0, bool nesterov = false);

 private:
  void start(std::size_t n) override;
  void update(std::span<T> params, std::span<const T> grad, std::size_t step) override;

  double momentum_, dampening_, weight_decay_;
  bool nesterov_;
  std::vector<T> buffer_;
};

// torch.optim.Adam (amsgrad=False): with g = grad + weight_decay * param and step t,
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
//   param -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps).
template <FloatingScalar T>
class Adam final : public Optimizer<T> {
 public:
  // Throws std::invalid_argument for lr, eps or weight_decay negative or
  // non-finite, and for a beta outside [0, 1).
  explicit Adam(double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0);

 private:
  void start(std::size_t n) override;
  void update(std::span<T> params, std::span<const T> grad, std::size_t step) override;

  double beta1_, beta2_, eps_, weight_decay_;
  std::vector<T> m_, v_;
};

// An optimiser by the name the commands take: "sgd" (lr, momentum) or "adam" (lr,
// torch's default betas and eps). Throws std::invalid_argument for another name.
template <FloatingScalar T>
std::unique_ptr<Optimizer<T>> make_optimizer(std::string_view name, double lr, double momentum);

extern template class Optimizer<float>;
extern template class Optimizer<double>;
extern template class SGD<float>;
extern template class SGD<double>;
extern template class Adam<float>;
extern template class Adam<double>;
extern template std::unique_ptr<Optimizer<float>> make_optimizer(std::string_view, double, double);
extern template std::unique_ptr<Optimizer<double>> make_optimizer(std::string_view, double, double);

}  // namespace netdim::nn
