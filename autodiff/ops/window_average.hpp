// What average pooling and adaptive average pooling have in common: each output
// pixel of every [N, C] plane is the sum of one rectangle of its input plane
// divided by a number. The rectangles (and divisors) are the same for every
// plane and are worked out once, by the caller; this is the one kernel, value
// and derivatives, that sums over them. Linear, so exact for every Scalar.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "netdim/autodiff/apply.hpp"

namespace netdim {

struct AveragedWindow {
  std::size_t h0, h1, w0, w1;  // rows [h0, h1) and columns [w0, w1) of the input plane, non-empty
  std::size_t divisor;         // positive
};

struct WindowAverage {
  std::string name;                     // the operation's name on the tape
  std::size_t n = 0, c = 0, h = 0, w = 0, ho = 0, wo = 0;
  std::vector<AveragedWindow> windows;  // ho * wo, row-major over the output plane
  Shape input() const { return {n, c, h, w}; }
  Shape output() const { return {n, c, ho, wo}; }
};

template <Scalar T> Var<T> window_average(const Var<T>& x, std::shared_ptr<const WindowAverage> table);

extern template Var<float> window_average(const Var<float>&, std::shared_ptr<const WindowAverage>);
extern template Var<double> window_average(const Var<double>&, std::shared_ptr<const WindowAverage>);
extern template Var<Rational> window_average(const Var<Rational>&, std::shared_ptr<const WindowAverage>);
extern template Var<Modular> window_average(const Var<Modular>&, std::shared_ptr<const WindowAverage>);

}  // namespace netdim
