#include "netdim/analysis/jacobian/layer_sweep.hpp"

#include <algorithm>
#include <optional>
#include <stdexcept>
#include <string>

#include "netdim/autodiff/ops/conv2d.hpp"
#include "netdim/nn/layer_forward.hpp"

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

// Examples per batched sweep: the whole batch, unless its tape (every layer's output, a
// few nodes each) would hold more than kTapeBudget entries; then runs of examples, so
// that memory stays near the factors A and D the analyses keep anyway.
constexpr std::size_t kTapeBudget = std::size_t{1} << 24;  // 128 MB of doubles

std::size_t automatic_examples_per_sweep(const nn::Architecture& a, std::size_t n) {
  std::size_t per_example = 0;
  for (const nn::Layer& l : a.layers()) per_example += 3 * shape_size(l.shape);
  return std::clamp<std::size_t>(kTapeBudget / std::max<std::size_t>(per_example, 1), 1, n);
}

}  // namespace

template <Scalar T>
LayerSweep<T> layer_sweep(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                          OutputReduction reduce, const char* who, std::size_t examples_per_sweep) {
  check_arguments(model, theta, inputs, reduce, who);
  const nn::Architecture& arch = model.architecture();
  const std::size_t n = inputs.shape()[0];
  const std::size_t k = shape_size(arch.output_shape());
  LayerSweep<T> sweep;
  sweep.examples = n;
  sweep.rows_per_example = reduce.rows_per_example(k);
  const std::size_t rk = sweep.rows_per_example;

  // The parameterised layers (those forward_traced records, in the same order) and their A and D.
  const std::vector<nn::Layer>& layers = arch.layers();
  for (const nn::ParameterBlock& b : model.blocks()) {
    if (!sweep.layers.empty() && sweep.layers.back().layer == &layers[b.layer]) {
      sweep.layers.back().has_bias = true;
      sweep.layers.back().size += b.size();
      continue;
    }
    LayerFactors<T> f;
    f.layer = &layers[b.layer];
    f.offset = b.offset;
    f.size = b.size();
    f.weight_shape = b.shape;
    Shape a_shape{n}, d_shape{n * rk};
    for (std::size_t v : layers[f.layer->inputs.at(0)].shape) a_shape.push_back(v);
    for (std::size_t v : f.layer->shape) d_shape.push_back(v);
    f.inputs = Tensor<T>::from_shape(a_shape);
    f.cotangents = Tensor<T>::from_shape(d_shape);
    sweep.layers.push_back(std::move(f));
  }

  const std::size_t chunk =
      examples_per_sweep > 0 ? std::min(examples_per_sweep, n) : automatic_examples_per_sweep(arch, n);
  const std::size_t x_width = inputs.size() / n;
  Tape<T> tape;
  for (std::size_t begin = 0; begin < n; begin += chunk) {
    const std::size_t count = std::min(chunk, n - begin);
    Shape xs = shape_of(inputs);
    xs[0] = count;
    Tensor<T> x = Tensor<T>::from_shape(xs);
    std::copy_n(inputs.data() + begin * x_width, count * x_width, x.data());
    tape.clear();
    const nn::TracedForward<T> traced = model.forward_traced(tape.variable(theta), tape.constant(std::move(x)));
    if (traced.layers.size() != sweep.layers.size())
      throw std::logic_error(std::string(who) + ": the trace does not list the parameterised layers");
    // The seeds: examples do not interact, so one sweep gives every example its own row.
    const Shape y_shape = traced.output.shape();
    std::vector<std::vector<Tensor<T>>> per_seed;
    switch (reduce.kind) {
      case OutputReduction::Kind::First:
        per_seed.push_back(nn::layer_cotangents(traced, unit_seed<T>(y_shape, k, 0)));
        break;
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
        for (std::size_t c = 0; c < k; ++c)
          per_seed.push_back(nn::layer_cotangents(traced, unit_seed<T>(y_shape, k, c)));
        break;
    }
    for (std::size_t l = 0; l < sweep.layers.size(); ++l) {
      LayerFactors<T>& f = sweep.layers[l];
      if (&layers[traced.layers[l].layer] != f.layer)
        throw std::logic_error(std::string(who) + ": the trace does not list the parameterised layers");
      const Tensor<T>& a = traced.layers[l].input.value();
      const std::size_t a_width = a.size() / count;
      std::copy_n(a.data(), count * a_width, f.inputs.data() + begin * a_width);
      // Row (begin + i) * rk + c is example begin + i's cotangent for seed c.
      const std::size_t d_width = per_seed[0][l].size() / count;
      for (std::size_t c = 0; c < per_seed.size(); ++c)
        for (std::size_t i = 0; i < count; ++i)
          std::copy_n(per_seed[c][l].data() + i * d_width, d_width,
                      f.cotangents.data() + ((begin + i) * rk + c) * d_width);
    }
  }
  return sweep;
}

namespace {

// The structured per-example gradient rules, one per shape of layer.
enum class GradientRule { DenseOrProjection, Conv2d, BatchNorm };

std::optional<GradientRule> gradient_rule(const nn::Layer& layer) {
  switch (layer.kind) {
    case nn::LayerKind::Dense:
    case nn::LayerKind::Projection: return GradientRule::DenseOrProjection;
    case nn::LayerKind::Conv2d: return GradientRule::Conv2d;
    case nn::LayerKind::BatchNorm: return GradientRule::BatchNorm;
    // The generic path (reverse mode per row) for every other kind, registered types included.
    case nn::LayerKind::Input:
    case nn::LayerKind::MaxPool2d:
    case nn::LayerKind::AvgPool2d:
    case nn::LayerKind::GlobalAvgPool:
    case nn::LayerKind::Flatten:
    case nn::LayerKind::Activation:
    case nn::LayerKind::Add:
    case nn::LayerKind::Concat:
    case nn::LayerKind::Sample:
    case nn::LayerKind::Dropout:
    case nn::LayerKind::AdaptiveAvgPool2d:
    case nn::LayerKind::ChannelShuffle:
    case nn::LayerKind::Chunk:
    case nn::LayerKind::Registered: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

bool has_gradient_rule(const nn::Layer& layer) { return gradient_rule(layer).has_value(); }

double batched_jacobian_bytes(const nn::Architecture& a, std::size_t examples, std::size_t rows_per_example,
                              std::size_t scalar_bytes) {
  const double n = double(examples), rows = n * double(rows_per_example), m = double(a.parameter_count());
  double factors = 0;  // per example: A (the layer's input) and D (its output, per row), once per parameterised layer
  bool reference = false;  // a parameterised layer without a rule: batched_jacobian forms the reference J too
  std::size_t previous = a.layers().size();
  for (const nn::ParameterBlock& b : a.parameter_blocks()) {
    if (b.layer == previous) continue;  // a layer's bias shares its weight's factors
    previous = b.layer;
    const nn::Layer& l = a.layer(b.layer);
    reference = reference || !has_gradient_rule(l);
    factors += double(shape_size(a.layer(l.inputs.at(0)).shape)) + double(shape_size(l.shape)) * double(rows_per_example);
  }
  const double tape = double(std::min(automatic_examples_per_sweep(a, std::max<std::size_t>(examples, 1)), examples)) *
                      [&] {
                        double per_example = 0;
                        for (const nn::Layer& l : a.layers()) per_example += 3.0 * double(shape_size(l.shape));
                        return per_example;
                      }();
  return double(scalar_bytes) * ((reference ? 3 : 2) * rows * m + n * factors + (reference ? 2 : 1) * tape);
}

template <Scalar T>
void layer_gradients(const LayerFactors<T>& f, std::size_t k, T* out, std::size_t stride) {
  const nn::Layer& layer = *f.layer;
  const Tensor<T>& a = f.inputs;
  const Tensor<T>& d = f.cotangents;
  const std::size_t rows = d.shape()[0];
  const std::size_t a_width = a.size() / a.shape()[0], d_width = d.size() / rows;
  const bool image = a.dimension() == 4;
  const std::optional<GradientRule> rule = gradient_rule(layer);
  if (!rule)
    throw std::logic_error("layer_gradients: layer '" + layer.name + "' of kind " +
                           std::string(nn::layer_kind_name(layer)) + " has no per-example gradient rule");
  switch (*rule) {
    case GradientRule::DenseOrProjection:
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
    case GradientRule::Conv2d: {  // D_r times the im2col of A_r, then the bias: D_r summed over positions
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
    case GradientRule::BatchNorm: {  // per channel: scale sum_p D A, shift sum_p D
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
  }
}

#define NETDIM_LAYER_SWEEP_INSTANTIATE(T)                                                                   \
  template LayerSweep<T> layer_sweep(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&, OutputReduction, \
                                     const char*, std::size_t);                                             \
  template void layer_gradients(const LayerFactors<T>&, std::size_t, T*, std::size_t);
NETDIM_LAYER_SWEEP_INSTANTIATE(float)
NETDIM_LAYER_SWEEP_INSTANTIATE(double)
NETDIM_LAYER_SWEEP_INSTANTIATE(Rational)
NETDIM_LAYER_SWEEP_INSTANTIATE(Modular)
#undef NETDIM_LAYER_SWEEP_INSTANTIATE

}  // namespace netdim::analysis
