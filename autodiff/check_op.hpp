// check_op: verifies an operation's derivative rules at random points.
//
// For a function f of several tensors (usually one operation), at random
// directions v and cotangents u it checks
//   - the value's shape, against CheckOptions::output_shape when given;
//   - forward mode J v against central differences of f, with all inputs
//     carrying tangents and with each input's tangent alone (a jvp that reads a
//     tangent it was not given fails here);
//   - reverse mode <vjp(u), v> against the central-difference <u, J v>, and the
//     cotangent of each input asked for alone against the one from the full sweep;
//   - the adjoint identity <vjp(u), v> == <u, jvp(v)>;
//   - the recorded rules (X = Var) against the numeric ones: the recorded vjp
//     (reverse over reverse) and the recorded jvp (reverse over forward);
//   - second order: H v of s(x) = <u, f(x)> three ways, forward over reverse,
//     reverse over forward, and central differences of the vjp.
// Any exception a rule throws (a cotangent of the wrong shape, an absent
// tangent read) is caught and reported. Each failure is one line in
// `failures`; `ok` is true when there is none. Every built-in operation is
// tested with it; it is the tool for checking a user-defined operation too.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "netdim/autodiff/tape.hpp"

namespace netdim {

struct CheckOptions {
  std::uint64_t seed = 1;
  int trials = 3;                      // random (u, v) pairs
  double step = 1e-6;                  // central-difference step
  double tolerance = 1e-6;             // worst acceptable relative error
  std::optional<Shape> output_shape;   // the declared shape of f's value, when known
  bool second_order = true;            // check H v (off for functions that are not twice differentiable)
};

struct CheckReport {
  std::string name;
  double forward_vs_differences = 0;  // |J v - FD(v)|, relative, all tangents and each alone
  double reverse_vs_differences = 0;  // |<vjp(u), v> - <u, FD(v)>|, relative
  double adjoint = 0;                 // |<vjp(u), v> - <u, jvp(v)>|, relative
  double subsets = 0;                 // tangents alone vs together, a cotangent alone vs in the full sweep
  double recorded_vs_tensor = 0;      // recorded vjp and jvp vs the tensor ones
  double second_order = 0;            // H v: forward over reverse vs reverse over forward vs FD of the vjp
  std::vector<std::string> failures;  // one line each
  bool ok = false;
  double worst() const;
  std::string summary() const;  // one line of measures, then one line per failure
};

template <class T>
using MultiFunction = std::function<Var<T>(const std::vector<Var<T>>&)>;

template <FloatingScalar T>
CheckReport check_op(const std::string& name, const MultiFunction<T>& f, const std::vector<Tensor<T>>& at,
                     const CheckOptions& options = {});

// The scalar type comes from the points: check_op("f", lambda, {x, w}).
template <FloatingScalar T, class F>
  requires(!std::is_same_v<std::decay_t<F>, MultiFunction<T>>)
CheckReport check_op(const std::string& name, F&& f, const std::vector<Tensor<T>>& at,
                     const CheckOptions& options = {}) {
  return check_op<T>(name, MultiFunction<T>(std::forward<F>(f)), at, options);
}
template <FloatingScalar T, class F>
CheckReport check_op(const std::string& name, F&& f, std::initializer_list<Tensor<T>> at,
                     const CheckOptions& options = {}) {
  return check_op<T>(name, MultiFunction<T>(std::forward<F>(f)), std::vector<Tensor<T>>(at), options);
}

extern template CheckReport check_op(const std::string&, const MultiFunction<float>&,
                                     const std::vector<Tensor<float>>&, const CheckOptions&);
extern template CheckReport check_op(const std::string&, const MultiFunction<double>&,
                                     const std::vector<Tensor<double>>&, const CheckOptions&);

}  // namespace netdim
