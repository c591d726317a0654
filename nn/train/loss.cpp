#include "netdim/nn/train/loss.hpp"

#include <xtensor/xmath.hpp>
#include <xtensor/xreducer.hpp>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

#include "netdim/autodiff/ops.hpp"

namespace netdim::nn {
namespace {

template <class T>
void check_same_shape(const Var<T>& pred, const Var<T>& target, const char* loss) {
  if (pred.shape() != target.shape())
    throw ShapeError(std::string(loss) + ": prediction shape " + shape_string(pred.shape()) +
                     " differs from target shape " + shape_string(target.shape()));
  if (pred.size() == 0) throw ShapeError(std::string(loss) + ": empty prediction " + shape_string(pred.shape()));
}

template <class T>
Tensor<T> scalar_tensor(T v) {
  Tensor<T> r = Tensor<T>::from_shape({});
  r() = v;
  return r;
}

// Cross-entropy as one operation: one node instead of the five that
// log_softmax, one-hot selection, negation and mean would record, and a
// gradient (softmax - onehot) / N computed in one pass.
struct CrossEntropyRule {
  std::vector<std::size_t> labels;  // validated: one per row, each in [0, C)

  std::string name() const { return "cross_entropy"; }

  template <class T>
  Tensor<T> one_hot(const Shape& shape) const {
    Tensor<T> h(shape, T(0));
    for (std::size_t i = 0; i < labels.size(); ++i) h(i, labels[i]) = T(1);
    return h;
  }

  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    const Tensor<T> ls = log_softmax(*x[0], std::size_t{1});
    const std::size_t classes = ls.shape()[1];
    const T* row = ls.data();
    // Accumulated in double so that a float loss over a large batch does not drift.
    double total = 0;
    for (std::size_t i = 0; i < labels.size(); ++i, row += classes) total -= static_cast<double>(row[labels[i]]);
    return scalar_tensor<T>(static_cast<T>(total / static_cast<double>(labels.size())));
  }

  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    using T = scalar_of_t<X>;
    const X& logits = *x[0];
    const T inv_n = T(1) / static_cast<T>(labels.size());
    if constexpr (is_var_v<X>) {
      // Recorded from Var operations, so that differentiating the gradient
      // (Hessian-vector products) sees the softmax's own derivative.
      const X p = exp(log_softmax(logits, 1));
      out.add(0, X((p - lift(logits, one_hot<T>(shape_of(logits)))) * X(g * inv_n)));
    } else {
      // Numbers only: softmax in place, minus one at each label, no one-hot matrix.
      Tensor<T> d = xt::exp(log_softmax(logits, std::size_t{1}));
      const std::size_t classes = d.shape()[1];
      const T scale = g() * inv_n;
      T* row = d.data();
      for (std::size_t i = 0; i < labels.size(); ++i, row += classes) {
        row[labels[i]] -= T(1);
        for (std::size_t c = 0; c < classes; ++c) row[c] *= scale;
      }
      out.add(0, std::move(d));
    }
  }

  // d loss = mean over rows of (sum_c softmax * dx - dx[label]) = sum((softmax - onehot) * dx) / N.
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const {
    using T = scalar_of_t<X>;
    const X& logits = *x[0];
    const X p = exp(log_softmax(logits, 1));
    return X(X(sum(X((p - lift(logits, one_hot<T>(shape_of(logits)))) * dx[0]))) / static_cast<T>(labels.size()));
  }
};

// Binary cross-entropy on logits as one operation over (logits, targets):
// the gradient sigmoid(x) - t is stable on both tails, and one pass replaces
// the softplus, product, difference and mean nodes a composition would record.
struct BinaryCrossEntropyRule {
  std::string name() const { return "binary_cross_entropy_with_logits"; }

  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    const T* logit = x[0]->data();
    const T* target = x[1]->data();
    const std::size_t n = x[0]->size();
    double total = 0;  // in double, as in cross_entropy
    for (std::size_t i = 0; i < n; ++i) {
      const T v = logit[i];
      total += static_cast<double>(std::max(v, T(0)) - v * target[i] + std::log1p(std::exp(-std::abs(v))));
    }
    return scalar_tensor<T>(static_cast<T>(total / static_cast<double>(n)));
  }

  template <class X>
  void vjp(const X& g, Args<X> x, const X&, Cotangents<X>& out) const {
    using T = scalar_of_t<X>;
    const X& logits = *x[0];
    const X& targets = *x[1];
    const X scale = X(g / static_cast<T>(logits.size()));
    if (out.wanted(0)) out.add(0, X(X(sigmoid(logits) - targets) * scale));
    if (out.wanted(1)) out.add(1, X(X(-logits) * scale));
  }

  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const {
    using T = scalar_of_t<X>;
    const X& logits = *x[0];
    const X& targets = *x[1];
    // The tape asks only when some input has a tangent; a missing one is zero.
    std::optional<X> d;
    if (dx.has(0)) d = X(X(sigmoid(logits) - targets) * dx[0]);
    if (dx.has(1)) d = d ? X(*d - X(logits * dx[1])) : X(-X(logits * dx[1]));
    if (!d) return lift(logits, scalar_tensor<T>(T(0)));
    return X(X(sum(*d)) / static_cast<T>(logits.size()));
  }
};

}  // namespace

template <Scalar T>
Var<T> mse_loss(const Var<T>& pred, const Var<T>& target) {
  check_same_shape(pred, target, "mse_loss");
  return mean(square(pred - target));
}

template <Scalar T>
Var<T> mse_loss(const Var<T>& pred, const Tensor<T>& target) {
  return mse_loss(pred, pred.tape().constant(target));
}

template <Scalar T>
Var<T> mae_loss(const Var<T>& pred, const Var<T>& target) {
  check_same_shape(pred, target, "mae_loss");
  return mean(abs(pred - target));
}

template <Scalar T>
Var<T> mae_loss(const Var<T>& pred, const Tensor<T>& target) {
  return mae_loss(pred, pred.tape().constant(target));
}

template <FloatingScalar T>
Var<T> cross_entropy(const Var<T>& logits, const std::vector<int>& labels) {
  const Shape s = logits.shape();
  if (s.size() != 2 || s[0] == 0 || s[1] == 0)
    throw ShapeError("cross_entropy: logits must be [N, C] with N, C > 0, got " + shape_string(s));
  if (labels.size() != s[0])
    throw std::invalid_argument("cross_entropy: " + std::to_string(labels.size()) + " labels for " +
                                std::to_string(s[0]) + " rows of logits " + shape_string(s));
  CrossEntropyRule rule;
  rule.labels.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const int label = labels[i];
    if (label < 0 || static_cast<std::size_t>(label) >= s[1])
      throw std::invalid_argument("cross_entropy: label " + std::to_string(label) + " at index " + std::to_string(i) +
                                  " is out of range [0, " + std::to_string(s[1]) + ") for logits " + shape_string(s));
    rule.labels.push_back(static_cast<std::size_t>(label));
  }
  return apply(std::move(rule), logits);
}

template <FloatingScalar T>
Var<T> binary_cross_entropy_with_logits(const Var<T>& logits, const Var<T>& targets) {
  check_same_shape(logits, targets, "binary_cross_entropy_with_logits");
  const Tensor<T>& t = targets.value();
  for (std::size_t i = 0; i < t.size(); ++i) {
    const T v = t.data()[i];
    if (!(v >= T(0) && v <= T(1))) {
      std::ostringstream os;
      os << "binary_cross_entropy_with_logits: target " << v << " at flat index " << i << " is outside [0, 1]";
      throw std::invalid_argument(os.str());
    }
  }
  return apply(BinaryCrossEntropyRule{}, logits, targets);
}

template <FloatingScalar T>
Var<T> binary_cross_entropy_with_logits(const Var<T>& logits, const Tensor<T>& targets) {
  return binary_cross_entropy_with_logits(logits, logits.tape().constant(targets));
}

#define NETDIM_EXACT_LOSS_INSTANTIATE(T)                              \
  template Var<T> mse_loss(const Var<T>&, const Var<T>&);             \
  template Var<T> mse_loss(const Var<T>&, const Tensor<T>&);          \
  template Var<T> mae_loss(const Var<T>&, const Var<T>&);             \
  template Var<T> mae_loss(const Var<T>&, const Tensor<T>&);
#define NETDIM_FLOAT_LOSS_INSTANTIATE(T)                                              \
  template Var<T> cross_entropy(const Var<T>&, const std::vector<int>&);              \
  template Var<T> binary_cross_entropy_with_logits(const Var<T>&, const Var<T>&);     \
  template Var<T> binary_cross_entropy_with_logits(const Var<T>&, const Tensor<T>&);
NETDIM_EXACT_LOSS_INSTANTIATE(float)
NETDIM_EXACT_LOSS_INSTANTIATE(double)
NETDIM_EXACT_LOSS_INSTANTIATE(Rational)
NETDIM_FLOAT_LOSS_INSTANTIATE(float)
NETDIM_FLOAT_LOSS_INSTANTIATE(double)

}  // namespace netdim::nn
