// check_op: verifies an operation's derivative rules at random points.
//
// For a function f of several tensors (usually one operation), at random
// directions v and cotangents u it compares
//   - forward mode J v against central differences of f,
//   - reverse mode <vjp(u), v> against the central-difference <u, J v>,
//   - the adjoint identity <vjp(u), v> == <u, jvp(v)>,
//   - the recorded (higher-order) vjp against the tensor vjp,
// and reports the worst relative error of each. Every built-in operation is
// tested with it; it is the tool for checking a user-defined operation too.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "autodiff/tape.hpp"

namespace netdim {

struct CheckOptions {
  std::uint64_t seed = 1;
  int trials = 3;             // random (u, v) pairs
  double step = 1e-6;         // central-difference step
  double tolerance = 1e-6;    // worst acceptable relative error
};

struct CheckReport {
  std::string name;
  double forward_vs_differences = 0;  // |J v - FD(v)|, relative
  double reverse_vs_differences = 0;  // |<vjp(u), v> - <u, FD(v)>|, relative
  double adjoint = 0;                 // |<vjp(u), v> - <u, jvp(v)>|, relative
  double recorded_vs_tensor = 0;      // |recorded vjp - tensor vjp|, relative
  bool ok = false;
  double worst() const;
  std::string summary() const;  // one line per measure, for test output
};

template <class T>
using MultiFunction = std::function<Var<T>(const std::vector<Var<T>>&)>;

template <FloatingScalar T>
CheckReport check_op(const std::string& name, const MultiFunction<T>& f, const std::vector<Tensor<T>>& at,
                     const CheckOptions& options = {});

extern template CheckReport check_op(const std::string&, const MultiFunction<float>&,
                                     const std::vector<Tensor<float>>&, const CheckOptions&);
extern template CheckReport check_op(const std::string&, const MultiFunction<double>&,
                                     const std::vector<Tensor<double>>&, const CheckOptions&);

}  // namespace netdim
