#include "analysis/jacobian/layer_sweep.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "autodiff/ops/conv2d.hpp"
#include "nn/layer_forward.hpp"

namespace netdim::analysis {
namespace {

template <class T>
void check_arguments(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                     OutputReduction reduce, const std::string& who) {
  const std::size_t m = model.parameter_count();
  if (theta.dimension() != 1 || theta.size() != m)
    throw ShapeError(who + ": parameter vector has shape " + shape_string(shape_of(theta)) + ", expected [" +
                     std::to_string(m) + "]");
  const Shape& in_shape = model.architecture().input_shape();
  const Shape xs = shape_of(inputs);
  if (xs.size() != in_shape.size() + 1 || !std::equal(in_shape.begin(), in_shape.end(), xs.begin() + 1))
    throw ShapeError(who + ": inputs have shape " + shape_string(xs) + ", expected [N, " +
                     shape_string(in_shape).substr(1));
  if (xs[0] == 0) throw std::invalid_argument(who + ": no inputs (the batch is empty)");
  if (m == 0) throw std::invalid_argument(who + ": the network has no parameters");
  const std::size_t k = shape_size(model.architecture().output_shape());
  if (reduce.kind == OutputReduction::Kind::PerOutput && reduce.output >= k)
    throw std::invalid_argument(who + ": " + reduce.name() + " asked of a network with " + std::to_string(k) +
                                " output" + (k == 1 ? "" : "s"));
}

// Each example's part of the seed: its own output entry `c` set to one.
template <class T>
Tensor<T> unit_seed(const Shape& y_shape, std::size_t k, std::size_t c) {
  Tensor<T> seed = zeros_of<T>(y_shape);
  for (std::size_t i = 0; i < y_shape[0]; ++i) seed.flat(i * k + c) = T(1);
  return seed;
}

}  // namespace

template <Scalar T>
LayerSweep<T> layer_sweep(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                          OutputReduction reduce, const char* who) {
  check_arguments(model, theta, inputs, reduce, who);
  const std::size_t n = inputs.shape()[0];
  const std::size_t k = shape_size(model.architecture().output_shape());
  LayerSweep<T> sweep;
  sweep.examples = n;
  sweep.rows_per_example = reduce.rows_per_example(k);

  Tape<T> tape;
  const nn::TracedForward<T> traced = model.forward_traced(tape.variable(theta), tape.constant(inputs));
  const Shape y_shape = traced.output.shape();
  // The seeds: examples do not interact, so one sweep gives every example its own row.
  std::vector<std::vector<Tensor<T>>> per_seed;
  switch (reduce.kind) {
    case OutputReduction::Kind::First: per_seed.push_back(nn::layer_cotangents(traced, unit_seed<T>(y_shape, k, 0))); break;
    case OutputReduction::Kind::PerOutput:
      per_seed.push_back(nn::layer_cotangents(traced, unit_seed<T>(y_shape, k, reduce.output)));
      break;
    case OutputReduction::Kind::SumSquares: {  // d/dy sum y^2 = 2 y
      Tensor<T> seed = traced.output.value();
      for (T& v : seed) v = v + v;
      per_seed.push_back(nn::layer_cotangents(traced, seed));
      break;
    }
    case OutputReduction::Kind::Stack:
      for (std::size_t c = 0; c < k; ++c) per_seed.push_back(nn::layer_cotangents(traced, unit_seed<T>(y_shape, k, c)));
      break;
  }

  const std::vector<nn::ParameterBlock>& blocks = model.blocks();
  const std::vector<nn::Layer>& layers = model.architecture().layers();
  for (std::size_t l = 0; l < traced.layers.size(); ++l) {
    const nn::LayerTrace<T>& t = traced.layers[l];
    LayerFactors<T> f;
    f.layer = &layers[t.layer];
    bool first = true;
    for (const nn::ParameterBlock& b : blocks) {
      if (b.layer != t.layer) continue;
      if (first) f.offset = b.offset, f.weight_shape = b.shape;
      else f.has_bias = true;
      first = false;
      f.size += b.size();
    }
    f.inputs = t.input.value();
    if (per_seed.size() == 1) {
      f.cotangents = std::move(per_seed[0][l]);
    } else {  // stack: row i * k + c is example i's cotangent for output c
      Shape s = shape_of(per_seed[0][l]);
      const std::size_t width = shape_size(s) / n;
      s[0] = n * k;
      f.cotangents = Tensor<T>::from_shape(s);
      for (std::size_t c = 0; c < k; ++c)
        for (std::size_t i = 0; i < n; ++i)
          std::copy_n(per_seed[c][l].data() + i * width, width, f.cotangents.data() + (i * k + c) * width);
    }
    sweep.layers.push_back(std::move(f));
  }
  return sweep;
}

bool has_gradient_rule(const nn::Layer& layer) {
  switch (layer.kind) {
    case nn::LayerKind::Dense:
    case nn::LayerKind::Projection:
    case nn::LayerKind::Conv2d:
    case nn::LayerKind::BatchNorm: return true;
    default: return false;
  }
}

template <Scalar T>
void layer_gradients(const LayerFactors<T>& f, std::size_t k, T* out, std::size_t stride) {
  const nn::Layer& layer = *f.layer;
  const Tensor<T>& a = f.inputs;
  const Tensor<T>& d = f.cotangents;
  const std::size_t rows = d.shape()[0];
  const std::size_t a_width = a.size() / a.shape()[0], d_width = d.size() / rows;
  const bool image = a.dimension() == 4;
  switch (layer.kind) {
    case nn::LayerKind::Dense:
    case nn::LayerKind::Projection:
      if (!image) {  // weight [out, in]: row r is outer(D_r, A_r), then the bias D_r
        for (std::size_t r = 0; r < rows; ++r) {
          const T* ar = a.data() + (r / k) * a_width;
          const T* dr = d.data() + r * d_width;
          T* o = out + r * stride;
          for (std::size_t i = 0; i < d_width; ++i)
            for (std::size_t j = 0; j < a_width; ++j) o[i * a_width + j] = dr[i] * ar[j];
          if (f.has_bias) std::copy_n(dr, d_width, o + d_width * a_width);
        }
        return;
      }
      [[fallthrough]];
    case nn::LayerKind::Conv2d: {  // D_r times the im2col of A_r, then the bias: D_r summed over positions
      const Shape& w = f.weight_shape;
      conv2d_weight_grad_rows(d, a, w[2], w[3], nn::conv_geometry(layer), k, out, stride);
      if (f.has_bias) {
        const std::size_t channels = d.shape()[1], positions = d_width / channels;
        const std::size_t at = shape_size(w);
        for (std::size_t r = 0; r < rows; ++r)
          for (std::size_t c = 0; c < channels; ++c) {
            const T* dc = d.data() + r * d_width + c * positions;
            T s(0);
            for (std::size_t p = 0; p < positions; ++p) s += dc[p];
            out[r * stride + at + c] = s;
          }
      }
      return;
    }
    case nn::LayerKind::BatchNorm: {  // per channel: scale sum_p D A, shift sum_p D
      const std::size_t channels = d.shape()[1], positions = d_width / channels;
      for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < channels; ++c) {
          const T* dc = d.data() + r * d_width + c * positions;
          const T* ac = a.data() + (r / k) * a_width + c * positions;
          T scale(0), shift(0);
          for (std::size_t p = 0; p < positions; ++p) scale += dc[p] * ac[p], shift += dc[p];
          out[r * stride + c] = scale;
          out[r * stride + channels + c] = shift;
        }
      return;
    }
    default:
      break;
  }
  throw std::logic_error("layer_gradients: layer '" + layer.name + "' of kind " +
                         std::string(nn::layer_kind_name(layer.kind)) + " has no per-example gradient rule");
}

#define NETDIM_LAYER_SWEEP_INSTANTIATE(T)                                                                   \
  template LayerSweep<T> layer_sweep(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&, OutputReduction, \
                                     const char*);                                                          \
  template void layer_gradients(const LayerFactors<T>&, std::size_t, T*, std::size_t);
NETDIM_LAYER_SWEEP_INSTANTIATE(float)
NETDIM_LAYER_SWEEP_INSTANTIATE(double)
NETDIM_LAYER_SWEEP_INSTANTIATE(Rational)
#undef NETDIM_LAYER_SWEEP_INSTANTIATE

}  // namespace netdim::analysis
