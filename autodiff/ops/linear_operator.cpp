#include "netdim/autodiff/ops/linear_operator.hpp"

#include "netdim/autodiff/ops.hpp"

#include <type_traits>
#include <utility>

namespace netdim {
namespace {

// A x (or A^T x) for x of shape [in] or [N, in], row by row.
template <class T>
Tensor<T> multiply(const LinearOperator<T>& a, const Tensor<T>& x, bool transposed) {
  const std::size_t in = transposed ? a.rows() : a.cols(), out = transposed ? a.cols() : a.rows();
  const bool batch = x.dimension() == 2;
  if ((x.dimension() != 1 && !batch) || x.shape()[x.dimension() - 1] != in)
    throw ShapeError(a.name() + (transposed ? "^T" : "") + ": an operator of shape [" + std::to_string(out) + ", " +
                     std::to_string(in) + "] cannot multiply a tensor of shape " + shape_string(shape_of(x)) +
                     " (expected [" + std::to_string(in) + "] or [N, " + std::to_string(in) + "])");
  const std::size_t n = batch ? x.shape()[0] : 1;
  Tensor<T> y = Tensor<T>::from_shape(batch ? Shape{n, out} : Shape{out});
  for (std::size_t r = 0; r < n; ++r) {
    const std::span<const T> src(x.data() + r * in, in);
    const std::span<T> dst(y.data() + r * out, out);
    if (transposed) a.apply_transpose(src, dst);
    else a.apply(src, dst);
  }
  return y;
}

// The rule for A (or, with `transposed`, for A^T). Each mode's derivative is the
// other product, itself recorded as this rule when differentiating on a tape, so
// every order of derivative comes from the same two functions.
template <FloatingScalar S>
struct LinearOperatorRule {
  std::shared_ptr<const LinearOperator<S>> a;
  bool transposed = false;

  std::string name() const { return a->name() + (transposed ? "^T" : ""); }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    static_assert(std::is_same_v<T, S>, "a LinearOperator<S> multiplies tensors of S only");
    return multiply(*a, *x[0], transposed);
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    if (out.wanted(0)) out.add(0, call_rule(LinearOperatorRule{a, !transposed}, g));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X& y) const {
    if (!dx.has(0)) return lift(y, zeros_of<S>(shape_of(y)));
    return call_rule(*this, dx[0]);
  }
};

template <FloatingScalar T>
class FunctionOperator final : public LinearOperator<T> {
 public:
  using Product = std::function<void(std::span<const T>, std::span<T>)>;
  FunctionOperator(std::string name, std::size_t rows, std::size_t cols, Product apply, Product apply_transpose)
      : name_(std::move(name)), rows_(rows), cols_(cols), apply_(std::move(apply)),
        apply_transpose_(std::move(apply_transpose)) {}
  std::string name() const override { return name_; }
  std::size_t rows() const override { return rows_; }
  std::size_t cols() const override { return cols_; }
  void apply(std::span<const T> x, std::span<T> y) const override { apply_(x, y); }
  void apply_transpose(std::span<const T> g, std::span<T> x) const override { apply_transpose_(g, x); }

 private:
  std::string name_;
  std::size_t rows_, cols_;
  Product apply_, apply_transpose_;
};

}  // namespace

template <FloatingScalar T>
std::shared_ptr<const LinearOperator<T>> make_linear_operator(
    std::string name, std::size_t rows, std::size_t cols, std::function<void(std::span<const T>, std::span<T>)> apply,
    std::function<void(std::span<const T>, std::span<T>)> apply_transpose) {
  if (!apply || !apply_transpose)
    throw std::invalid_argument(name + ": a linear operator needs both its product and its transpose product");
  return std::make_shared<const FunctionOperator<T>>(std::move(name), rows, cols, std::move(apply),
                                                     std::move(apply_transpose));
}

template <FloatingScalar T>
Var<T> apply_operator(std::shared_ptr<const LinearOperator<T>> a, const Var<T>& x) {
  if (!a) throw std::invalid_argument("apply_operator: no operator");
  if ((x.rank() != 1 && x.rank() != 2) || x.shape()[x.rank() - 1] != a->cols())
    throw ShapeError(a->name() + ": an operator of shape [" + std::to_string(a->rows()) + ", " +
                     std::to_string(a->cols()) + "] cannot multiply " + shape_string(x.shape()) + " (expected [" +
                     std::to_string(a->cols()) + "] or [N, " + std::to_string(a->cols()) + "])");
  return apply(LinearOperatorRule<T>{std::move(a), false}, x);
}

template <FloatingScalar T>
Tensor<T> apply_operator(const LinearOperator<T>& a, const Tensor<T>& x) {
  return multiply(a, x, false);
}

template <FloatingScalar T>
Tensor<T> apply_operator_transpose(const LinearOperator<T>& a, const Tensor<T>& g) {
  return multiply(a, g, true);
}

#define NETDIM_LINEAR_OPERATOR_INSTANTIATE(T)                                                             \
  template std::shared_ptr<const LinearOperator<T>> make_linear_operator(                                \
      std::string, std::size_t, std::size_t, std::function<void(std::span<const T>, std::span<T>)>,      \
      std::function<void(std::span<const T>, std::span<T>)>);                                             \
  template Var<T> apply_operator(std::shared_ptr<const LinearOperator<T>>, const Var<T>&);               \
  template Tensor<T> apply_operator(const LinearOperator<T>&, const Tensor<T>&);                         \
  template Tensor<T> apply_operator_transpose(const LinearOperator<T>&, const Tensor<T>&);
NETDIM_LINEAR_OPERATOR_INSTANTIATE(float)
NETDIM_LINEAR_OPERATOR_INSTANTIATE(double)

}  // namespace netdim
