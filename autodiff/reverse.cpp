#include "netdim/autodiff/reverse.hpp"

#include "netdim/autodiff/ops.hpp"

namespace netdim {
namespace {

template <class T>
void check_same_tape(const Var<T>& y, std::span<const Var<T>> wrt, const char* what) {
  Tape<T>& tape = y.tape();
  tape.node(y);  // throws for a stale y
  for (const Var<T>& w : wrt) {
    if (&w.tape() != &tape) throw std::logic_error(std::string(what) + ": a Var in wrt belongs to another tape");
    tape.node(w);
  }
}

// Marks the nodes through which a cotangent from `out` can reach a Var of `wrt`.
template <class T>
std::vector<char> nodes_between(const Tape<T>& tape, std::size_t out, std::span<const Var<T>> wrt) {
  std::vector<char> reach(out + 1, 0);
  // Gradients flow only into what requires them: a constant in wrt gets zeros.
  for (const Var<T>& w : wrt)
    if (w.index() <= out && tape.node_at(w.index()).requires_grad) reach[w.index()] = 1;
  for (std::size_t i = 0; i <= out; ++i) {
    if (reach[i]) continue;
    const Node<T>& n = tape.node_at(i);
    if (!n.op) continue;
    for (std::uint32_t in : n.inputs)
      if (reach[in]) {
        reach[i] = 1;
        break;
      }
  }
  return reach;
}

// One sweep for either cotangent type: X = Tensor<T> computes numbers,
// X = Var<T> records the sweep on the tape.
template <class T, class X>
std::vector<X> sweep(const Var<T>& y, X seed, std::span<const Var<T>> wrt) {
  Tape<T>& tape = y.tape();
  const std::size_t out = y.index();
  const std::vector<char> reach = nodes_between(tape, out, wrt);
  std::vector<char> keep(out + 1, 0);
  for (const Var<T>& w : wrt)
    if (w.index() <= out) keep[w.index()] = 1;

  std::vector<std::optional<X>> grads(out + 1);
  grads[out] = std::move(seed);
  std::vector<const X*> args;
  std::vector<X> arg_vars;
  std::vector<std::optional<X>*> slots;
  for (std::size_t i = out + 1; i-- > 0;) {
    if (!grads[i] || !reach[i]) continue;
    // Copy what the step needs: a recorded sweep appends nodes, which may move the tape's storage.
    const std::shared_ptr<const Operation<T>> op = tape.node_at(i).op;
    if (op) {
      const std::vector<std::uint32_t> inputs = tape.node_at(i).inputs;
      args.clear();
      slots.clear();
      arg_vars.clear();
      if constexpr (is_var_v<X>) {
        for (std::uint32_t in : inputs) arg_vars.push_back(tape.var_at(in));
        for (const X& v : arg_vars) args.push_back(&v);
      } else {
        for (std::uint32_t in : inputs) args.push_back(&tape.node_at(in).value);
      }
      for (std::uint32_t in : inputs) slots.push_back(reach[in] ? &grads[in] : nullptr);
      Cotangents<X> cot{std::span<std::optional<X>*>(slots), Args<X>(args), op.get()};
      const X g = std::move(*grads[i]);
      if constexpr (is_var_v<X>) op->vjp(g, Args<X>(args), tape.var_at(i), cot);
      else op->vjp(g, Args<X>(args), tape.node_at(i).value, cot);
      if (keep[i]) grads[i] = g;
    }
    if (!keep[i]) grads[i].reset();  // free intermediate cotangents as soon as they are spent
  }

  // Hand the cotangents over without copying them; a Var named twice in wrt gets a copy
  // for all but its last occurrence.
  std::vector<std::uint32_t> uses(out + 1, 0);
  for (const Var<T>& w : wrt)
    if (w.index() <= out) ++uses[w.index()];
  std::vector<X> result;
  result.reserve(wrt.size());
  for (const Var<T>& w : wrt) {
    if (w.index() <= out && grads[w.index()]) {
      if (--uses[w.index()] > 0) result.push_back(*grads[w.index()]);
      else result.push_back(std::move(*grads[w.index()]));
    } else if constexpr (is_var_v<X>) result.push_back(tape.constant(zeros_of<T>(w.shape())));
    else result.push_back(zeros_of<T>(w.shape()));
  }
  return result;
}

}  // namespace

template <Scalar T>
std::vector<Tensor<T>> backward(const Var<T>& y, const Tensor<T>& seed, std::span<const Var<T>> wrt) {
  check_same_tape(y, wrt, "backward");
  if (shape_of(seed) != y.shape())
    throw ShapeError("backward: seed shape " + shape_string(shape_of(seed)) + " differs from output shape " +
                     shape_string(y.shape()));
  return sweep<T, Tensor<T>>(y, seed, wrt);
}

template <Scalar T>
std::vector<Var<T>> backward_recorded(const Var<T>& y, const Var<T>& seed, std::span<const Var<T>> wrt) {
  check_same_tape(y, wrt, "backward_recorded");
  if (seed.shape() != y.shape())
    throw ShapeError("backward_recorded: seed shape " + shape_string(seed.shape()) + " differs from output shape " +
                     shape_string(y.shape()));
  return sweep<T, Var<T>>(y, seed, wrt);
}

template <Scalar T>
std::vector<Tensor<T>> grad(const Var<T>& y, std::span<const Var<T>> wrt) {
  if (y.size() != 1)
    throw ShapeError("grad: the output must have one element, got shape " + shape_string(y.shape()) +
                     " (use backward with a seed, or a Jacobian)");
  return backward(y, Tensor<T>(y.value().shape(), T(1)), wrt);
}

template <Scalar T>
Tensor<T> grad(const Var<T>& y, const Var<T>& x) {
  const std::array<Var<T>, 1> wrt{x};
  return std::move(grad(y, std::span<const Var<T>>(wrt))[0]);
}

#define NETDIM_REVERSE_INSTANTIATE(T)                                                                     \
  template std::vector<Tensor<T>> backward(const Var<T>&, const Tensor<T>&, std::span<const Var<T>>);     \
  template std::vector<Var<T>> backward_recorded(const Var<T>&, const Var<T>&, std::span<const Var<T>>);  \
  template std::vector<Tensor<T>> grad(const Var<T>&, std::span<const Var<T>>);                           \
  template Tensor<T> grad(const Var<T>&, const Var<T>&);
NETDIM_REVERSE_INSTANTIATE(float)
NETDIM_REVERSE_INSTANTIATE(double)
NETDIM_REVERSE_INSTANTIATE(Rational)
NETDIM_REVERSE_INSTANTIATE(Modular)

}  // namespace netdim
