// Var<T>: a small handle (tape, index, stamp) to one tensor-valued node on a Tape.
#pragma once

#include <cstdint>

#include "netdim/autodiff/tensor.hpp"

namespace netdim {

template <class T>
class Tape;

template <class T>
class Var {
 public:
  Var() = default;  // an empty handle; using it is an error
  Var(Tape<T>* tape, std::uint32_t index, std::uint64_t stamp) : tape_(tape), index_(index), stamp_(stamp) {}

  // Each accessor checks that the node still exists: a Var from a cleared or
  // rewound tape throws std::logic_error instead of reading freed memory.
  const Tensor<T>& value() const;
  Shape shape() const { return shape_of(value()); }
  std::size_t rank() const { return value().dimension(); }
  std::size_t size() const { return value().size(); }
  bool requires_grad() const;

  Tape<T>& tape() const;
  std::uint32_t index() const { return index_; }
  std::uint64_t stamp() const { return stamp_; }
  bool valid() const;

  // Arithmetic reads like math; each operator is an operation on the tape
  // (autodiff/ops/arithmetic.hpp). Hidden friends, so `1 - y` converts the 1.
  friend Var operator+(const Var& a, const Var& b) { return add(a, b); }
  friend Var operator-(const Var& a, const Var& b) { return sub(a, b); }
  friend Var operator*(const Var& a, const Var& b) { return mul(a, b); }
  friend Var operator/(const Var& a, const Var& b) { return div(a, b); }
  friend Var operator-(const Var& a) { return neg(a); }
  friend Var operator+(const Var& a, const T& s) { return add_scalar(a, s); }
  friend Var operator+(const T& s, const Var& a) { return add_scalar(a, s); }
  friend Var operator-(const Var& a, const T& s) { return add_scalar(a, T(-s)); }
  friend Var operator-(const T& s, const Var& a) { return add_scalar(neg(a), s); }
  friend Var operator*(const Var& a, const T& s) { return mul_scalar(a, s); }
  friend Var operator*(const T& s, const Var& a) { return mul_scalar(a, s); }
  friend Var operator/(const Var& a, const T& s) { return div_scalar(a, s); }
  friend Var operator/(const T& s, const Var& a) { return rdiv_scalar(a, s); }

 private:
  Tape<T>* tape_ = nullptr;
  std::uint32_t index_ = 0;
  std::uint64_t stamp_ = 0;
};

template <class T>
Shape shape_of(const Var<T>& v) {
  return v.shape();
}

}  // namespace netdim
