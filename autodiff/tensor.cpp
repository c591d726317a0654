#include "netdim/autodiff/tensor.hpp"

#include <xtensor/xbroadcast.hpp>
#include <xtensor/xreducer.hpp>
#include <xtensor/xview.hpp>

#include <sstream>

#include "netdim/autodiff/checked.hpp"

namespace netdim {

std::string shape_string(const Shape& s) {
  std::ostringstream os;
  os << '[';
  for (std::size_t i = 0; i < s.size(); ++i) os << (i ? ", " : "") << s[i];
  os << ']';
  return os.str();
}

std::size_t shape_size(const Shape& s, std::string_view op) {
  // Every extent must fit, zeros included: a zero makes the size 0 but does not
  // excuse the other extents, whose products are the strides.
  std::size_t nonzero = 1;
  bool empty = false;
  try {
    for (auto d : s) {
      if (d == 0) empty = true;
      else nonzero = checked_mul(nonzero, d, "shape_size");
    }
  } catch (const ShapeError&) {
    throw ShapeError((op.empty() ? std::string() : std::string(op) + ": ") + "shape " + shape_string(s) +
                     " has more elements than the size type can count");
  }
  return empty ? 0 : nonzero;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, std::string_view op) {
  const std::size_t rank = std::max(a.size(), b.size());
  Shape out(rank, 1);
  for (std::size_t i = 0; i < rank; ++i) {
    const std::size_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    const std::size_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      throw ShapeError(std::string(op) + ": shapes " + shape_string(a) + " and " + shape_string(b) +
                       " do not broadcast (axis " + std::to_string(i) + ": " + std::to_string(da) +
                       " vs " + std::to_string(db) + ")");
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::size_t normalize_axis(long axis, std::size_t rank, std::string_view op) {
  const long r = static_cast<long>(rank);
  if (axis < -r || axis >= r)
    throw ShapeError(std::string(op) + ": axis " + std::to_string(axis) + " is out of range for rank " +
                     std::to_string(rank));
  return static_cast<std::size_t>(axis < 0 ? axis + r : axis);
}

template <class T>
Tensor<T> sum_axis(const Tensor<T>& x, std::size_t axis, bool keepdims) {
  Tensor<T> r = xt::sum(x, std::array<std::size_t, 1>{axis});
  if (keepdims) {
    Shape s = shape_of(x);
    s[axis] = 1;
    r.reshape(s);
  }
  return r;
}

template <class T>
Tensor<T> sum_to(const Tensor<T>& g, const Shape& shape) {
  const Shape gs = shape_of(g);
  if (gs == shape) return g;
  if (gs.size() < shape.size())
    throw ShapeError("sum_to: cannot reduce " + shape_string(gs) + " to " + shape_string(shape));
  // Each reduction reads the previous result (g itself at first: no copy of g).
  Tensor<T> r;
  const Tensor<T>* cur = &g;
  // Leading axes that broadcasting prepended are summed away first.
  const std::size_t lead = gs.size() - shape.size();
  for (std::size_t i = 0; i < lead; ++i) {
    r = sum_axis(*cur, 0, false);
    cur = &r;
  }
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == cur->shape()[i]) continue;
    if (shape[i] != 1)
      throw ShapeError("sum_to: cannot reduce " + shape_string(gs) + " to " + shape_string(shape));
    r = sum_axis(*cur, i, true);
    cur = &r;
  }
  return cur == &g ? g : r;
}

template <class T>
Tensor<T> broadcast_to(const Tensor<T>& x, const Shape& shape) {
  const Shape xs = shape_of(x);
  if (xs == shape) return x;
  shape_size(shape, "broadcast_to");  // the target must be countable before anything is allocated
  if (broadcast_shapes(xs, shape, "broadcast_to") != shape)
    throw ShapeError("broadcast_to: cannot broadcast " + shape_string(xs) + " to " + shape_string(shape));
  return Tensor<T>(xt::broadcast(x, shape));
}

template <class T>
Tensor<T> ipow(const Tensor<T>& x, int n) {
  if (n < 0) throw std::domain_error("ipow: negative exponent " + std::to_string(n));
  Tensor<T> r(x.shape(), T(1));
  Tensor<T> base = x;
  // Square-and-multiply keeps the number of multiplications logarithmic in n.
  while (n > 0) {
    if (n & 1) r *= base;
    n >>= 1;
    if (n) base *= base;
  }
  return r;
}

#define NETDIM_TENSOR_INSTANTIATE(T)                                \
  template Tensor<T> sum_to(const Tensor<T>&, const Shape&);        \
  template Tensor<T> broadcast_to(const Tensor<T>&, const Shape&);  \
  template Tensor<T> sum_axis(const Tensor<T>&, std::size_t, bool); \
  template Tensor<T> ipow(const Tensor<T>&, int);
NETDIM_TENSOR_INSTANTIATE(float)
NETDIM_TENSOR_INSTANTIATE(double)
NETDIM_TENSOR_INSTANTIATE(Rational)
NETDIM_TENSOR_INSTANTIATE(Modular)

}  // namespace netdim
