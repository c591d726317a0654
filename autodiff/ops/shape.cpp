#include "netdim/autodiff/ops/shape.hpp"

#include <xtensor/xmanipulation.hpp>

#include <numeric>

#include "netdim/autodiff/checked.hpp"
#include "netdim/autodiff/ops.hpp"

namespace netdim {

template <class T>
Tensor<T> reshape(const Tensor<T>& x, const Shape& shape) {
  if (shape_size(shape, "reshape") != x.size())
    throw ShapeError("reshape: cannot reshape " + shape_string(shape_of(x)) + " (" + std::to_string(x.size()) +
                     " elements) to " + shape_string(shape));
  Tensor<T> r = x;
  r.reshape(shape);
  return r;
}

template <class T>
Tensor<T> permute(const Tensor<T>& x, const std::vector<std::size_t>& perm) {
  return Tensor<T>(xt::transpose(x, perm));
}

namespace {

std::vector<std::size_t> inverse_permutation(const std::vector<std::size_t>& perm) {
  std::vector<std::size_t> inv(perm.size());
  for (std::size_t i = 0; i < perm.size(); ++i) inv[perm[i]] = i;
  return inv;
}

struct ReshapeRule {
  Shape to;
  Shape from;
  std::string name() const { return "reshape"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return reshape(*x[0], to); }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, reshape(g, from)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return reshape(dx[0], to); }
};

struct BroadcastToRule {
  Shape to;
  Shape from;
  std::string name() const { return "broadcast_to"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return broadcast_to(*x[0], to); }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, sum_to(g, from)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return broadcast_to(dx[0], to); }
};

struct SumToRule {
  Shape to;
  Shape from;
  std::string name() const { return "sum_to"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return sum_to(*x[0], to); }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const { out.add(0, broadcast_to(g, from)); }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return sum_to(dx[0], to); }
};

struct PermuteRule {
  std::vector<std::size_t> perm;
  std::string name() const { return "permute"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const { return permute(*x[0], perm); }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, permute(g, inverse_permutation(perm)));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return permute(dx[0], perm); }
};

// A tensor seen as [outer, len, inner] around one axis (row-major), so that a
// strided selection along that axis is a loop of contiguous inner blocks.
struct AxisLayout {
  std::size_t outer = 1, len = 1, inner = 1;
  AxisLayout(const Shape& s, std::size_t axis) {
    for (std::size_t i = 0; i < axis; ++i) outer *= s[i];
    len = s[axis];
    for (std::size_t i = axis + 1; i < s.size(); ++i) inner *= s[i];
  }
};

// dst[o, k, :] (op)= src[o, start + k*step, :] for k < count (gather), or the reverse (scatter).
template <class T, bool Scatter, bool Accumulate>
void copy_along_axis(const T* src, T* dst, const AxisLayout& big, std::size_t count, std::size_t start,
                     std::size_t step) {
  for (std::size_t o = 0; o < big.outer; ++o)
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t big_at = (o * big.len + start + k * step) * big.inner;
      const std::size_t small_at = (o * count + k) * big.inner;
      const T* from = src + (Scatter ? small_at : big_at);
      T* to = dst + (Scatter ? big_at : small_at);
      for (std::size_t i = 0; i < big.inner; ++i) {
        if constexpr (Accumulate) to[i] += from[i];
        else to[i] = from[i];
      }
    }
}

std::size_t selection_count(std::size_t start, std::size_t stop, std::size_t step) {
  return stop > start ? (stop - start - 1) / step + 1 : 0;  // never adds to step: no wrap for huge steps
}

// Strided selection along one axis; `drop` removes the axis (index), else keeps it (slice).
struct SelectRule {
  std::size_t axis, start, stop, step;
  bool drop;
  Shape from;
  std::string name() const { return drop ? "index" : "slice"; }
  std::size_t count() const { return selection_count(start, stop, step); }
  Shape to() const {
    Shape s = from;
    if (drop) s.erase(s.begin() + static_cast<std::ptrdiff_t>(axis));
    else s[axis] = count();
    return s;
  }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = Tensor<T>::from_shape(to());
    copy_along_axis<T, false, false>(x[0]->data(), r.data(), AxisLayout(from, axis), count(), start, step);
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

// The adjoint of a selection: places g into zeros of the input's shape.
struct ScatterRule {
  SelectRule select;
  std::string name() const { return select.name() + "_adjoint"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = zeros_of<T>(select.from);
    copy_along_axis<T, true, false>(x[0]->data(), r.data(), AxisLayout(select.from, select.axis), select.count(),
                                    select.start, select.step);
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, call_rule(select, g));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class X>
void SelectRule::vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
  if constexpr (is_var_v<X>) {
    out.add(0, apply(ScatterRule{*this}, g));
  } else {
    // In place: only the selected part of the cotangent is touched.
    X& b = out.buffer(0, from);
    copy_along_axis<scalar_of_t<X>, true, true>(g.data(), b.data(), AxisLayout(from, axis), count(), start, step);
  }
}

struct ConcatRule {
  std::size_t axis;
  std::vector<std::size_t> sizes;  // each input's length along axis
  std::string name() const { return "concat"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Shape s = shape_of(*x[0]);
    s[axis] = std::accumulate(sizes.begin(), sizes.end(), std::size_t{0});
    Tensor<T> r = Tensor<T>::from_shape(s);
    std::size_t at = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
      copy_along_axis<T, true, false>(x[i]->data(), r.data(), AxisLayout(s, axis), sizes[i], at, 1);
      at += sizes[i];
    }
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    std::size_t at = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
      if (out.wanted(i)) {
        if constexpr (is_var_v<X>) out.add(i, slice(g, static_cast<long>(axis), at, at + sizes[i]));
        else out.add(i, call_rule(SelectRule{axis, at, at + sizes[i], 1, false, shape_of(g)}, g));
      }
      at += sizes[i];
    }
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X> x, const X&) const {
    using T = scalar_of_t<X>;
    std::vector<X> parts;
    parts.reserve(dx.size());
    for (std::size_t i = 0; i < dx.size(); ++i)
      parts.push_back(dx.has(i) ? dx[i] : lift(*x[i], zeros_of<T>(shape_of(*x[i]))));
    if constexpr (is_var_v<X>) {
      return concat(parts, static_cast<long>(axis));
    } else {
      std::vector<const X*> ptrs;
      for (const X& p : parts) ptrs.push_back(&p);
      return value<T>(Args<X>(ptrs));
    }
  }
};

struct SegmentRule {
  std::size_t offset;
  Shape shape;
  std::size_t total;  // length of the flat vector
  std::string name() const { return "segment"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = Tensor<T>::from_shape(shape);
    std::copy(x[0]->data() + offset, x[0]->data() + offset + r.size(), r.data());
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const;
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

struct SegmentAdjointRule {
  SegmentRule seg;
  std::string name() const { return "segment_adjoint"; }
  template <class T>
  Tensor<T> value(Args<Tensor<T>> x) const {
    Tensor<T> r = zeros_of<T>(Shape{seg.total});
    std::copy(x[0]->begin(), x[0]->end(), r.data() + seg.offset);
    return r;
  }
  template <class X>
  void vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
    out.add(0, call_rule(seg, g));
  }
  template <class X>
  X jvp(const Tangents<X>& dx, Args<X>, const X&) const { return call_rule(*this, dx[0]); }
};

template <class X>
void SegmentRule::vjp(const X& g, Args<X>, const X&, Cotangents<X>& out) const {
  if constexpr (is_var_v<X>) {
    out.add(0, apply(SegmentAdjointRule{*this}, g));
  } else {
    // In place: only this layer's part of the flat gradient is touched.
    X& b = out.buffer(0, Shape{total});
    auto* dst = b.data() + offset;
    const auto* src = g.data();
    for (std::size_t i = 0, n = g.size(); i < n; ++i) dst[i] += src[i];
  }
}

}  // namespace

template <Scalar T>
Var<T> reshape(const Var<T>& x, const Shape& shape) {
  if (shape_size(shape, "reshape") != x.size())
    throw ShapeError("reshape: cannot reshape " + shape_string(x.shape()) + " (" + std::to_string(x.size()) +
                     " elements) to " + shape_string(shape));
  return apply(ReshapeRule{shape, x.shape()}, x);
}

template <Scalar T>
Var<T> broadcast_to(const Var<T>& x, const Shape& shape) {
  shape_size(shape, "broadcast_to");  // the target must be countable before anything is allocated
  if (broadcast_shapes(x.shape(), shape, "broadcast_to") != shape)
    throw ShapeError("broadcast_to: cannot broadcast " + shape_string(x.shape()) + " to " + shape_string(shape));
  return apply(BroadcastToRule{shape, x.shape()}, x);
}

template <Scalar T>
Var<T> sum_to(const Var<T>& x, const Shape& shape) {
  if (x.shape() == shape) return x;
  if (broadcast_shapes(x.shape(), shape, "sum_to") != x.shape())
    throw ShapeError("sum_to: cannot reduce " + shape_string(x.shape()) + " to " + shape_string(shape));
  return apply(SumToRule{shape, x.shape()}, x);
}

template <Scalar T>
Var<T> permute(const Var<T>& x, const std::vector<std::size_t>& perm) {
  std::vector<std::size_t> sorted = perm;
  std::sort(sorted.begin(), sorted.end());
  for (std::size_t i = 0; i < sorted.size(); ++i)
    if (sorted[i] != i || sorted.size() != x.rank())
      throw ShapeError("permute: not a permutation of the " + std::to_string(x.rank()) + " axes of " +
                       shape_string(x.shape()));
  return apply(PermuteRule{perm}, x);
}

template <Scalar T>
Var<T> transpose(const Var<T>& x) {
  std::vector<std::size_t> perm(x.rank());
  std::iota(perm.rbegin(), perm.rend(), std::size_t{0});
  return permute(x, perm);
}

template <Scalar T>
Var<T> slice(const Var<T>& x, long axis, std::size_t start, std::size_t stop, std::size_t step) {
  const std::size_t a = normalize_axis(axis, x.rank(), "slice");
  const std::size_t len = x.shape()[a];
  if (step == 0 || start > stop || stop > len)
    throw ShapeError("slice: range " + std::to_string(start) + ":" + std::to_string(stop) + ":" + std::to_string(step) +
                     " is invalid for axis " + std::to_string(a) + " of " + shape_string(x.shape()));
  return apply(SelectRule{a, start, stop, step, false, x.shape()}, x);
}

template <Scalar T>
Var<T> index(const Var<T>& x, long axis, std::size_t i) {
  const std::size_t a = normalize_axis(axis, x.rank(), "index");
  if (i >= x.shape()[a])
    throw ShapeError("index: " + std::to_string(i) + " is out of range for axis " + std::to_string(a) + " of " +
                     shape_string(x.shape()));
  return apply(SelectRule{a, i, i + 1, 1, true, x.shape()}, x);
}

template <Scalar T>
Var<T> concat(const std::vector<Var<T>>& xs, long axis) {
  if (xs.empty()) throw ShapeError("concat: no inputs");
  const Shape first = xs[0].shape();
  const std::size_t a = normalize_axis(axis, first.size(), "concat");
  std::vector<std::size_t> sizes;
  for (const Var<T>& x : xs) {
    Shape s = x.shape();
    Shape f = first;
    if (s.size() == f.size()) s[a] = f[a] = 0;
    if (s != f)
      throw ShapeError("concat: shapes " + shape_string(first) + " and " + shape_string(x.shape()) +
                       " differ outside axis " + std::to_string(a));
    sizes.push_back(x.shape()[a]);
  }
  return apply_rule<T>(ConcatRule{a, sizes}, std::span<const Var<T>>(xs));
}

template <Scalar T>
Var<T> segment(const Var<T>& flat, std::size_t offset, const Shape& shape) {
  if (flat.rank() != 1) throw ShapeError("segment: expects a 1-D vector, got " + shape_string(flat.shape()));
  const std::size_t end = checked_add(offset, shape_size(shape, "segment"), "segment: offset + size");
  if (end > flat.size())
    throw ShapeError("segment: [" + std::to_string(offset) + ", " + std::to_string(end) + ") is outside a vector of " +
                     std::to_string(flat.size()));
  return apply(SegmentRule{offset, shape, flat.size()}, flat);
}

#define NETDIM_SHAPE_INSTANTIATE(T)                                                     \
  template Var<T> reshape(const Var<T>&, const Shape&);                                 \
  template Var<T> broadcast_to(const Var<T>&, const Shape&);                            \
  template Var<T> sum_to(const Var<T>&, const Shape&);                                  \
  template Var<T> permute(const Var<T>&, const std::vector<std::size_t>&);              \
  template Var<T> transpose(const Var<T>&);                                             \
  template Var<T> slice(const Var<T>&, long, std::size_t, std::size_t, std::size_t);   \
  template Var<T> index(const Var<T>&, long, std::size_t);                             \
  template Var<T> concat(const std::vector<Var<T>>&, long);                             \
  template Var<T> segment(const Var<T>&, std::size_t, const Shape&);                    \
  template Tensor<T> reshape(const Tensor<T>&, const Shape&);                           \
  template Tensor<T> permute(const Tensor<T>&, const std::vector<std::size_t>&);
NETDIM_SHAPE_INSTANTIATE(float)
NETDIM_SHAPE_INSTANTIATE(double)
NETDIM_SHAPE_INSTANTIATE(Rational)
NETDIM_SHAPE_INSTANTIATE(Modular)

}  // namespace netdim
