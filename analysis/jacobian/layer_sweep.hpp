// The per-layer factors of a per-example Jacobian, from ONE batched forward and
// ONE reverse sweep per row of cotangents an example contributes (one; k for
// `stack`): for each parameterised layer its inputs A and output cotangents D.
// A batch whose tape would outgrow about 128 MB (big images) is swept in runs of
// examples, each still one batched forward and backward.
// Every parameterised layer kind's per-example gradient is a function of its own
// A_i and D_i (dense: outer(D_i, A_i) and D_i; conv: D_i times the im2col of A_i;
// batch norm: per-channel sums of D_i A_i and D_i), as in Opacus and BackPACK.
// The batched Jacobian and the structured Gram are both built on this.
#pragma once

#include <cstddef>
#include <vector>

#include "netdim/analysis/jacobian/reference_jacobian.hpp"

namespace netdim::analysis {

template <Scalar T>
struct LayerFactors {
  const nn::Layer* layer = nullptr;
  std::size_t offset = 0, size = 0;  // the layer's parameters: J's columns [offset, offset + size)
  Shape weight_shape;                // its weight block ([out, in], [O, C/groups, kh, kw] or [C])
  bool has_bias = false;             // a bias (or batch-norm shift) block follows the weight
  Tensor<T> inputs;                  // A: [n, in...]
  Tensor<T> cotangents;              // D: [n * rows_per_example, out...], row i * k + c
};

template <Scalar T>
struct LayerSweep {
  std::size_t examples = 0, rows_per_example = 1;
  std::vector<LayerFactors<T>> layers;
  std::size_t rows() const { return examples * rows_per_example; }
};

// The sweep at parameters `theta` for the batch `inputs`, reduced by `reduce`. Checks
// its arguments like reference_jacobian (messages start with `who`). At most
// `examples_per_sweep` examples go through one forward and backward (0: as many as
// the tape budget allows); the factors do not depend on it.
template <Scalar T>
LayerSweep<T> layer_sweep(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                          OutputReduction reduce, const char* who, std::size_t examples_per_sweep = 0);

// The bytes batched_jacobian holds at its peak for `examples` inputs and `rows_per_example` rows
// each: J (rows x m) and the copy its caller makes, the factors A (each parameterised layer's
// input) and D (its output's cotangent, per row) for every example, and the tape of one run of
// examples (each layer's output, a few nodes each); with a parameterised layer that has no
// structured rule (a registered type), the reference J and its tape too. The activations can outweigh J many times:
// 16 images through a 64-channel 3x3 convolution at 224x224 hold 7 MB of J and 420 MB of A and D.
double batched_jacobian_bytes(const nn::Architecture& architecture, std::size_t examples,
                              std::size_t rows_per_example, std::size_t scalar_bytes = sizeof(double));

// Whether layer_gradients has a rule for this layer kind (every parameterised kind
// today; a kind whose examples interact would not, and falls back to the reference).
bool has_gradient_rule(const nn::Layer& layer);

// Layer `f`'s per-example parameter gradients: row r (of the sweep's rows) written to
// out + r * stride, f.size entries in the canonical layout (weight, then bias).
template <Scalar T>
void layer_gradients(const LayerFactors<T>& f, std::size_t rows_per_example, T* out, std::size_t stride);

#define NETDIM_LAYER_SWEEP_EXTERN(T)                                                                       \
  extern template LayerSweep<T> layer_sweep(const nn::Model<T>&, const Tensor<T>&, const Tensor<T>&,        \
                                            OutputReduction, const char*, std::size_t);                     \
  extern template void layer_gradients(const LayerFactors<T>&, std::size_t, T*, std::size_t);
NETDIM_LAYER_SWEEP_EXTERN(float)
NETDIM_LAYER_SWEEP_EXTERN(double)
NETDIM_LAYER_SWEEP_EXTERN(Rational)
NETDIM_LAYER_SWEEP_EXTERN(Modular)
#undef NETDIM_LAYER_SWEEP_EXTERN

}  // namespace netdim::analysis
