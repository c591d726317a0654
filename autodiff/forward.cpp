#include "netdim/autodiff/forward.hpp"

#include "netdim/autodiff/ops.hpp"

namespace netdim {

template <Scalar T>
Var<T> forward_recorded(const Var<T>& y, std::span<const Var<T>> xs, std::span<const Var<T>> tangents) {
  Tape<T>& tape = y.tape();
  tape.node(y);  // throws for a stale y
  if (xs.size() != tangents.size())
    throw std::logic_error("forward_recorded: " + std::to_string(xs.size()) + " Vars but " +
                           std::to_string(tangents.size()) + " tangents");
  const std::size_t out = y.index();
  // Sized once: the loop appends nodes to the tape, never to this vector.
  std::vector<std::optional<Var<T>>> tangent(out + 1);
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const Var<T>& x = xs[k];
    if (&x.tape() != &tape || &tangents[k].tape() != &tape)
      throw std::logic_error("forward_recorded: a Var belongs to another tape");
    if (!x.requires_grad())
      throw std::logic_error("forward_recorded: xs must be variables (a constant carries no derivative)");
    if (tangents[k].shape() != x.shape())
      throw ShapeError("forward_recorded: tangent shape " + shape_string(tangents[k].shape()) +
                       " differs from the Var's shape " + shape_string(x.shape()));
    if (x.index() > out) continue;
    auto& t = tangent[x.index()];
    t = t ? *t + tangents[k] : tangents[k];
  }
  std::size_t first = out + 1;
  for (const Var<T>& x : xs) first = std::min<std::size_t>(first, x.index());

  std::vector<Var<T>> args;
  std::vector<const Var<T>*> arg_ptrs, dx;
  for (std::size_t i = first; i <= out; ++i) {
    if (tangent[i]) continue;  // a seeded x
    // Copied: recording appends nodes, which may move the tape's storage.
    const std::shared_ptr<const Operation<T>> op = tape.node_at(i).op;
    if (!op) continue;
    const std::vector<std::uint32_t> inputs = tape.node_at(i).inputs;
    bool any = false;
    for (std::uint32_t in : inputs) any = any || tangent[in].has_value();
    if (!any) continue;
    args.clear();
    arg_ptrs.clear();
    dx.clear();
    for (std::uint32_t in : inputs) args.push_back(tape.var_at(in));
    for (std::size_t j = 0; j < inputs.size(); ++j) {
      arg_ptrs.push_back(&args[j]);
      dx.push_back(tangent[inputs[j]] ? &*tangent[inputs[j]] : nullptr);
    }
    const Var<T> yi = tape.var_at(i);
    Var<T> t = op->jvp(Tangents<Var<T>>(dx, op.get()), Args<Var<T>>(arg_ptrs), yi);
    if (t.shape() != yi.shape())
      throw ShapeError(op->name() + ": recorded jvp gave a tangent of shape " + shape_string(t.shape()) +
                       ", expected exactly the value's shape " + shape_string(yi.shape()));
    tangent[i] = t;
  }
  return tangent[out] ? *tangent[out] : tape.constant(zeros_of<T>(y.shape()));
}

#define NETDIM_FORWARD_INSTANTIATE(T) \
  template Var<T> forward_recorded(const Var<T>&, std::span<const Var<T>>, std::span<const Var<T>>);
NETDIM_FORWARD_INSTANTIATE(float)
NETDIM_FORWARD_INSTANTIATE(double)
NETDIM_FORWARD_INSTANTIATE(Rational)
NETDIM_FORWARD_INSTANTIATE(Modular)

}  // namespace netdim
