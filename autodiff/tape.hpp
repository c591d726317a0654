// Tape<T>: records tensor-valued nodes in order of creation.
//
// Forward mode lives on the tape too: when an input carries a tangent, every
// node computed from it gets its tangent at once through the operation's jvp,
// so J*v comes out of one forward evaluation with no reverse sweep.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "netdim/autodiff/operation.hpp"
#include "netdim/autodiff/var.hpp"

namespace netdim {

template <class T>
struct Node {
  Tensor<T> value;
  std::optional<Tensor<T>> tangent;               // forward-mode tangent; empty means zero
  std::shared_ptr<const Operation<T>> op;         // null for leaves and constants
  std::vector<std::uint32_t> inputs;              // tape indices of the operation's inputs
  std::uint64_t stamp = 0;                        // unique per node ever created on this tape
  bool requires_grad = false;
};

template <class T>
class Tape {
 public:
  Tape() = default;
  Tape(const Tape&) = delete;  // Vars point at their tape: it must not move
  Tape& operator=(const Tape&) = delete;

  // A leaf whose gradient can be asked for.
  Var<T> variable(Tensor<T> value);
  // A leaf that is data: no gradient flows into it.
  Var<T> constant(Tensor<T> value);
  // Records `op` applied to `inputs` and computes its value (and tangent, in forward mode).
  Var<T> apply(std::shared_ptr<const Operation<T>> op, std::span<const Var<T>> inputs);

  // Forward mode: gives leaf `v` the tangent `t` (same shape). Nodes created after
  // this call carry tangents; `tangent(y)` reads them (zeros when none reached y).
  void set_tangent(const Var<T>& v, Tensor<T> t);
  Tensor<T> tangent(const Var<T>& v) const;
  bool has_tangent(const Var<T>& v) const { return node(v).tangent.has_value(); }

  // Drops every node; Vars made before become invalid. Storage is kept for reuse.
  void clear() { nodes_.clear(); }
  // Drops the nodes created after `mark` (a size() taken earlier), e.g. the nodes
  // a recorded reverse sweep appended. Vars of dropped nodes become invalid.
  void rewind(std::size_t mark);
  std::size_t size() const { return nodes_.size(); }
  std::size_t capacity() const { return nodes_.capacity(); }

  const Node<T>& node(const Var<T>& v) const;
  const Node<T>& node_at(std::size_t i) const { return nodes_[i]; }
  bool owns(const Var<T>& v) const;
  Var<T> var_at(std::size_t i) { return Var<T>(this, static_cast<std::uint32_t>(i), nodes_[i].stamp); }

 private:
  Var<T> push(Node<T> n);
  std::vector<Node<T>> nodes_;
  std::uint64_t next_stamp_ = 1;
};

template <class T>
Var<T> Tape<T>::push(Node<T> n) {
  if (nodes_.size() >= UINT32_MAX) throw std::length_error("Tape: more than 2^32 nodes");
  n.stamp = next_stamp_++;
  nodes_.push_back(std::move(n));
  return var_at(nodes_.size() - 1);
}

template <class T>
Var<T> Tape<T>::variable(Tensor<T> value) {
  Node<T> n;
  n.value = std::move(value);
  n.requires_grad = true;
  return push(std::move(n));
}

template <class T>
Var<T> Tape<T>::constant(Tensor<T> value) {
  Node<T> n;
  n.value = std::move(value);
  return push(std::move(n));
}

template <class T>
bool Tape<T>::owns(const Var<T>& v) const {
  return v.index() < nodes_.size() && nodes_[v.index()].stamp == v.stamp();
}

template <class T>
const Node<T>& Tape<T>::node(const Var<T>& v) const {
  if (!owns(v))
    throw std::logic_error("autodiff: this Var belongs to a node that no longer exists (its tape was cleared or rewound)");
  return nodes_[v.index()];
}

template <class T>
Var<T> Tape<T>::apply(std::shared_ptr<const Operation<T>> op, std::span<const Var<T>> inputs) {
  std::vector<const Tensor<T>*> values;
  std::vector<const Tensor<T>*> tangents;
  values.reserve(inputs.size());
  tangents.reserve(inputs.size());
  Node<T> n;
  bool any_tangent = false;
  n.inputs.reserve(inputs.size());
  for (const Var<T>& in : inputs) {
    if (&in.tape() != this)
      throw std::logic_error("autodiff: " + op->name() + " mixes Vars of different tapes");
    const Node<T>& src = node(in);
    values.push_back(&src.value);
    tangents.push_back(src.tangent ? &*src.tangent : nullptr);
    any_tangent = any_tangent || src.tangent.has_value();
    n.requires_grad = n.requires_grad || src.requires_grad;
    n.inputs.push_back(in.index());
  }
  n.value = op->value(Args<Tensor<T>>(values));
  if (any_tangent) {
    n.tangent = op->jvp(Tangents<Tensor<T>>(tangents, op.get()), Args<Tensor<T>>(values), n.value);
    if (!detail::same_shape(*n.tangent, n.value))
      throw ShapeError(op->name() + ": jvp gave a tangent of shape " + shape_string(shape_of(*n.tangent)) +
                       ", expected exactly the value's shape " + shape_string(shape_of(n.value)));
  }
  // Nodes nothing differentiates through need not keep their operation alive.
  if (n.requires_grad) n.op = std::move(op);
  return push(std::move(n));
}

template <class T>
void Tape<T>::set_tangent(const Var<T>& v, Tensor<T> t) {
  const Node<T>& n = node(v);
  if (shape_of(t) != shape_of(n.value))
    throw ShapeError("set_tangent: tangent shape " + shape_string(shape_of(t)) + " differs from value shape " +
                     shape_string(shape_of(n.value)));
  nodes_[v.index()].tangent = std::move(t);
}

template <class T>
Tensor<T> Tape<T>::tangent(const Var<T>& v) const {
  const Node<T>& n = node(v);
  return n.tangent ? *n.tangent : zeros_of<T>(shape_of(n.value));
}

template <class T>
void Tape<T>::rewind(std::size_t mark) {
  if (mark < nodes_.size()) nodes_.erase(nodes_.begin() + static_cast<std::ptrdiff_t>(mark), nodes_.end());
}

// Var's accessors need the complete Tape.
template <class T>
Tape<T>& Var<T>::tape() const {
  if (!tape_) throw std::logic_error("autodiff: use of an empty Var");
  return *tape_;
}
template <class T>
bool Var<T>::valid() const {
  return tape_ && tape_->owns(*this);
}
template <class T>
const Tensor<T>& Var<T>::value() const {
  return tape().node(*this).value;
}
template <class T>
bool Var<T>::requires_grad() const {
  return tape().node(*this).requires_grad;
}

extern template class Tape<float>;
extern template class Tape<double>;
extern template class Tape<Rational>;
extern template class Tape<Modular>;

}  // namespace netdim
