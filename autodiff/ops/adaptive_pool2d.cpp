#include "netdim/autodiff/ops/adaptive_pool2d.hpp"

#include <memory>
#include <vector>

#include "netdim/autodiff/checked.hpp"
#include "netdim/autodiff/ops/window_average.hpp"

namespace netdim {
namespace {

// [start, end) of every output position along one axis: torch's start_index and end_index.
struct Spans {
  std::vector<std::size_t> start, end;
};

Spans spans(std::size_t in, std::size_t out) {
  Spans s;
  for (std::size_t i = 0; i < out; ++i) {
    s.start.push_back(checked_mul(i, in, "adaptive_avg_pool2d") / out);
    const std::size_t upper = checked_mul(i + 1, in, "adaptive_avg_pool2d");
    s.end.push_back(upper / out + (upper % out != 0));
  }
  return s;
}

std::shared_ptr<const WindowAverage> adaptive_windows(const Shape& xs, Size2d output) {
  const auto fail = [&](const std::string& why) {
    throw ShapeError("adaptive_avg_pool2d: input " + shape_string(xs) + " to " + std::to_string(output.h) + "x" +
                     std::to_string(output.w) + ": " + why);
  };
  if (xs.size() != 4) fail("expects a 4-D input [N, C, H, W]");
  if (xs[2] == 0 || xs[3] == 0) fail("the input has no pixels");
  if (output.h == 0 || output.w == 0) fail("the output size must be positive");
  auto t = std::make_shared<WindowAverage>();
  t->name = "adaptive_avg_pool2d";
  t->n = xs[0], t->c = xs[1], t->h = xs[2], t->w = xs[3], t->ho = output.h, t->wo = output.w;
  shape_size(t->output(), "adaptive_avg_pool2d");
  const Spans rows = spans(t->h, t->ho), cols = spans(t->w, t->wo);
  t->windows.reserve(t->ho * t->wo);
  for (std::size_t oh = 0; oh < t->ho; ++oh)
    for (std::size_t ow = 0; ow < t->wo; ++ow)
      t->windows.push_back({rows.start[oh], rows.end[oh], cols.start[ow], cols.end[ow],
                            (rows.end[oh] - rows.start[oh]) * (cols.end[ow] - cols.start[ow])});
  return t;
}

}  // namespace

template <Scalar T>
Var<T> adaptive_avg_pool2d(const Var<T>& x, Size2d output) {
  return window_average(x, adaptive_windows(x.shape(), output));
}

template Var<float> adaptive_avg_pool2d(const Var<float>&, Size2d);
template Var<double> adaptive_avg_pool2d(const Var<double>&, Size2d);
template Var<Rational> adaptive_avg_pool2d(const Var<Rational>&, Size2d);
template Var<Modular> adaptive_avg_pool2d(const Var<Modular>&, Size2d);

}  // namespace netdim
