// Forward mode recorded on the tape: J v as a Var, built from each operation's
// jvp with X = Var, so that it can be differentiated again (reverse over
// forward, e.g. d/dx <u, J(x) v>). The plain forward mode (tangents carried as
// numbers while the function is evaluated) lives on the Tape itself.
#pragma once

#include <span>

#include "netdim/autodiff/tape.hpp"

namespace netdim {

// The tangent of y when each Var xs[k] (a variable recorded before y) moves
// along tangents[k] (same shape). Walks the nodes between xs and y in order,
// never by recursion; nodes that do not depend on xs get no tangent.
template <Scalar T>
Var<T> forward_recorded(const Var<T>& y, std::span<const Var<T>> xs, std::span<const Var<T>> tangents);

#define NETDIM_FORWARD_EXTERN(T) \
  extern template Var<T> forward_recorded(const Var<T>&, std::span<const Var<T>>, std::span<const Var<T>>);
NETDIM_FORWARD_EXTERN(float)
NETDIM_FORWARD_EXTERN(double)
NETDIM_FORWARD_EXTERN(Rational)
NETDIM_FORWARD_EXTERN(Modular)
#undef NETDIM_FORWARD_EXTERN

}  // namespace netdim
