#include "netdim/analysis/jacobian/reference_jacobian.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "netdim/autodiff/ops.hpp"
#include "netdim/autodiff/reverse.hpp"

namespace netdim::analysis {

std::string OutputReduction::name() const {
  switch (kind) {
    case Kind::First: return "first";
    case Kind::SumSquares: return "sum_squares";
    case Kind::Stack: return "stack";
    case Kind::PerOutput: return "per_output(" + std::to_string(output) + ")";
  }
  return "unknown";
}

template <Scalar T>
Tensor<T> reference_jacobian(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                             OutputReduction reduce) {
  const std::size_t m = model.parameter_count();
  if (theta.dimension() != 1 || theta.size() != m)
    throw ShapeError("reference_jacobian: parameter vector has shape " + shape_string(shape_of(theta)) +
                     ", expected [" + std::to_string(m) + "]");
  const Shape& in_shape = model.architecture().input_shape();
  const Shape xs = shape_of(inputs);
  if (xs.size() != in_shape.size() + 1 || !std::equal(in_shape.begin(), in_shape.end(), xs.begin() + 1))
    throw ShapeError("reference_jacobian: inputs have shape " + shape_string(xs) + ", expected [N, " +
                     shape_string(in_shape).substr(1));
  const std::size_t n = xs[0];
  if (n == 0) throw std::invalid_argument("reference_jacobian: no inputs (the batch is empty)");
  if (m == 0) throw std::invalid_argument("reference_jacobian: the network has no parameters");
  const std::size_t k = shape_size(model.architecture().output_shape());
  if (reduce.kind == OutputReduction::Kind::PerOutput && reduce.output >= k)
    throw std::invalid_argument("reference_jacobian: " + reduce.name() + " asked of a network with " +
                                std::to_string(k) + " output" + (k == 1 ? "" : "s"));

  const std::size_t rows = reduce.rows_per_example(k);
  Tensor<T> jac = zeros_of<T>({n * rows, m});
  Shape one_shape = xs;
  one_shape[0] = 1;
  const std::size_t example_size = shape_size(one_shape);
  Tensor<T> example = Tensor<T>::from_shape(one_shape);
  Tape<T> tape;  // one tape, cleared per example, so its storage is reused
  for (std::size_t i = 0; i < n; ++i) {
    tape.clear();
    const std::array<Var<T>, 1> wrt{tape.variable(theta)};
    std::copy_n(inputs.data() + i * example_size, example_size, example.data());
    // Example i alone: J's row is its own gradient even if a layer mixed the batch.
    const Var<T> y = model.forward(wrt[0], tape.constant(example));
    const auto put_row = [&](std::size_t r, const Tensor<T>& g) { std::copy(g.begin(), g.end(), jac.data() + r * m); };
    if (reduce.kind == OutputReduction::Kind::SumSquares) {
      put_row(i, grad(sum(y * y), wrt[0]));
      continue;
    }
    Tensor<T> seed = zeros_of<T>(y.shape());
    const std::size_t first = reduce.kind == OutputReduction::Kind::PerOutput ? reduce.output : 0;
    for (std::size_t r = 0; r < rows; ++r) {
      seed.flat(first + r) = T(1);
      put_row(i * rows + r, backward(y, seed, std::span<const Var<T>>(wrt))[0]);
      seed.flat(first + r) = T(0);
    }
  }
  return jac;
}

#define NETDIM_REFERENCE_JACOBIAN_INSTANTIATE(T) \
  template Tensor<T> reference_jacobian(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&, OutputReduction);
NETDIM_REFERENCE_JACOBIAN_INSTANTIATE(float)
NETDIM_REFERENCE_JACOBIAN_INSTANTIATE(double)
NETDIM_REFERENCE_JACOBIAN_INSTANTIATE(Rational)
NETDIM_REFERENCE_JACOBIAN_INSTANTIATE(Modular)
#undef NETDIM_REFERENCE_JACOBIAN_INSTANTIATE

}  // namespace netdim::analysis
