// Architecture: a network as a small graph of named layers with inferred
// shapes, independent of the scalar type. The DSL produces one; C++ users build
// one with the methods below, each of which checks its input shapes at once.
//
// Shapes here never include the batch axis: a dense layer of 16 units has
// shape [16], a 28x28 single-channel image [1, 28, 28] (channels first).
//
// Parameter layout (canonical, PyTorch-compatible): layers in declaration order;
// per layer weight then bias; dense weight [out, in]; conv weight
// [out, in/groups, kh, kw]; batch-norm scale then shift; a projection's weight
// like a dense (vectors) or 1x1 conv (images) without bias.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "netdim/autodiff/tensor.hpp"
#include "netdim/nn/activation.hpp"
#include "netdim/nn/initializer.hpp"
#include "netdim/nn/layer_attributes.hpp"

namespace netdim::nn {

enum class LayerKind {
  Input,
  Dense,
  Conv2d,
  MaxPool2d,
  AvgPool2d,
  GlobalAvgPool,
  Flatten,
  BatchNorm,
  Activation,
  Add,        // strict: all inputs have the same shape
  Concat,     // along the feature/channel axis
  Projection, // learned linear map to a target shape (shortcut adaptation)
  Sample,     // strided sampling plus zero channels (shortcut adaptation, seed 003 section 5.3)
  Dropout,            // the identity: netdim analyses the deterministic network (torch's eval mode)
  AdaptiveAvgPool2d,  // average pooling to a fixed output size (torch's windows)
  ChannelShuffle,     // channels as (groups, c / groups), transposed (ShuffleNet)
  Chunk,              // one of `chunks` equal parts along the channel axis (torch.chunk)
  Registered,         // a registered layer type (nn/layer_type.hpp): Layer::type says which. Stays last.
};

struct Layer;

std::string_view layer_kind_name(LayerKind k);
// The kind's name, or the registered type's name for a LayerKind::Registered layer.
std::string_view layer_kind_name(const Layer& layer);

// How a shortcut meets a layer of another shape. Never a silent pad or truncation.
enum class Adapt {
  Identity,    // shapes must already be equal
  Projection,  // a learned projection (dense or strided 1x1 conv, no bias)
  Sample,      // strided spatial sampling plus zero channels; no parameters
};

struct Window2d {
  std::array<std::size_t, 2> kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1};
};

struct Layer {
  LayerKind kind = LayerKind::Input;
  std::string name;
  std::vector<std::size_t> inputs;  // indices of earlier layers
  Shape shape;                      // output shape of one example
  // Attributes; each kind reads only its own.
  std::size_t units = 0;  // dense: output features; conv: output channels
  bool bias = true;
  Window2d window;        // conv and pooling geometry
  std::size_t groups = 1;
  Activation activation = Activation::Identity;
  double slope = 0.01;    // leaky_relu's negative slope
  bool ceil_mode = false; // pooling: round the output size up (torch's ceil_mode)
  double p = 0.5;         // dropout's probability, recorded only: dropout is the identity here
  std::size_t chunks = 1, chunk = 0;  // chunk: part `chunk` (0-based) of `chunks`
  Initializer weight_init, bias_init;
  std::uint32_t type = 0;         // Registered: the layer type's id (nn::layer_type)
  LayerAttributes attributes;     // Registered: its attributes, in the type's order
};

// One contiguous block of the flat parameter vector.
struct ParameterBlock {
  std::string name;        // e.g. "dense1.weight"
  std::size_t layer = 0;   // index of the owning layer
  std::size_t offset = 0;  // first entry in the flat vector
  Shape shape;
  BlockFans fans;
  Initializer init;
  bool is_bias = false;
  std::size_t size() const { return shape_size(shape); }
};

// The parameter blocks of one layer (the `index`-th, whose first input has shape `in`), in
// canonical order, at offset 0: the one definition of what parameters each kind has, which
// Architecture::parameter_blocks lays out and the language counts (with overflow checks)
// as it builds. Their sizes are not multiplied out here.
std::vector<ParameterBlock> layer_parameter_blocks(const Layer& l, std::size_t index, const Shape& in);

struct LayerCount {
  std::string name;
  LayerKind kind;
  std::string kind_name;  // layer_kind_name of the layer: a registered type's own name
  std::size_t weights = 0, biases = 0;
  std::size_t total() const { return weights + biases; }
};

struct DenseOptions {
  bool bias = true;
  Initializer weight_init{}, bias_init{};
  std::string name;
};

struct Conv2dOptions {
  std::size_t out_channels = 1;
  Window2d window;  // kernel, stride, padding, dilation
  std::size_t groups = 1;
  bool bias = true;
  Initializer weight_init{}, bias_init{};
  std::string name;
};

class Architecture {
 public:
  using Ref = std::size_t;  // a layer's index

  Ref input(const Shape& shape, std::string name = "input");
  Ref dense(Ref from, std::size_t units, const DenseOptions& options = {});
  Ref conv2d(Ref from, const Conv2dOptions& options);
  // Pooling as torch: avg_pool2d counts padding in the divisor (count_include_pad).
  Ref max_pool2d(Ref from, const Window2d& window, std::string name = "", bool ceil_mode = false);
  Ref avg_pool2d(Ref from, const Window2d& window, std::string name = "", bool ceil_mode = false);
  // Average pooling to [c, size[0], size[1]], whatever the input's height and width.
  Ref adaptive_avg_pool2d(Ref from, const std::array<std::size_t, 2>& size, std::string name = "");
  Ref global_avg_pool(Ref from, std::string name = "");
  Ref flatten(Ref from, std::string name = "");
  Ref batch_norm(Ref from, std::string name = "");
  Ref activation(Ref from, Activation a, double slope = 0.01, std::string name = "");
  // The identity, keeping torch's p (0 <= p <= 1) for the record.
  Ref dropout(Ref from, double p = 0.5, std::string name = "");
  // [c, h, w] with groups dividing c: channel g * (c / groups) + i moves to i * groups + g.
  Ref channel_shuffle(Ref from, std::size_t groups, std::string name = "");
  // Channels [index * c / chunks, (index + 1) * c / chunks) of any shape; chunks divides c.
  Ref chunk(Ref from, std::size_t chunks, std::size_t index, std::string name = "");
  Ref add(const std::vector<Ref>& from, std::string name = "");
  Ref concat(const std::vector<Ref>& from, std::string name = "");
  // A learned projection of `from` to `target` (no bias).
  Ref projection(Ref from, const Shape& target, std::string name = "");
  // Strided sampling of `from` to the spatial size of `target`, then zero channels up to its channels.
  Ref sample(Ref from, const Shape& target, std::string name = "");
  // A layer of a registered type (nn/layer_type.hpp) on `from`, its attributes checked against
  // the type's (defaults filled in). Throws std::invalid_argument for an unknown type or attribute.
  Ref registered(Ref from, std::string_view type, const LayerAttributes& attributes = {}, std::string name = "");
  // to + adapt(from): the shortcut kinds of seed 003 (add-shortcuts F(x)+x, add-inputs F(x)+x0).
  Ref shortcut(Ref from, Ref to, Adapt adapt, std::string name = "");

  const std::vector<Layer>& layers() const { return layers_; }
  const Layer& layer(Ref r) const;
  Ref output() const;  // the last layer
  const Shape& input_shape() const;
  const Shape& output_shape() const { return layer(output()).shape; }
  std::size_t find(const std::string& name) const;  // layers().size() when absent

  // The flat parameter layout, counts, and identity.
  std::vector<ParameterBlock> parameter_blocks() const;
  std::size_t parameter_count() const;
  std::vector<LayerCount> parameter_counts() const;  // layers with parameters, in order
  std::string describe() const;                      // canonical text, one layer per line
  std::string fingerprint() const;                   // 16 hex digits of a hash of describe()

 private:
  Ref push(Layer layer, const std::string& prefix);
  std::string unique_name(std::string name, const std::string& prefix) const;
  std::vector<Layer> layers_;
};

}  // namespace netdim::nn
