#include "netdim/nn/architecture.hpp"

#include <charconv>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "netdim/autodiff/checked.hpp"
#include "netdim/autodiff/window_extent.hpp"
#include "netdim/nn/layer_type.hpp"
#include "netdim/nn/named_registry.hpp"
#include "netdim/support/fnv1a.hpp"

namespace netdim::nn {
namespace {

std::string quoted(const Layer& l) { return "'" + l.name + "'"; }

// The output extent, 0 when the window does not fit (window_extent: the one computation).
std::size_t window_output(std::size_t in, std::size_t kernel, std::size_t stride, std::size_t pad, std::size_t dilation,
                          std::string_view what) {
  return window_extent(in, kernel, stride, pad, dilation, what).value_or(0);
}

void check_window(const Window2d& w, const char* what) {
  for (int i = 0; i < 2; ++i)
    if (w.kernel[i] == 0 || w.stride[i] == 0 || w.dilation[i] == 0)
      throw ShapeError(std::string(what) + ": kernel, stride and dilation must be positive");
}

// The stride that maps a spatial size onto a smaller one by sampling every s-th element.
std::size_t sampling_stride(std::size_t from, std::size_t to) {
  if (to == 0 || to > from) return 0;
  const std::size_t s = from / to;
  return (from - 1) / s + 1 == to ? s : 0;
}

}  // namespace

std::string_view layer_kind_name(LayerKind k) {
  switch (k) {
    case LayerKind::Input: return "input";
    case LayerKind::Dense: return "dense";
    case LayerKind::Conv2d: return "conv2d";
    case LayerKind::MaxPool2d: return "max_pool2d";
    case LayerKind::AvgPool2d: return "avg_pool2d";
    case LayerKind::GlobalAvgPool: return "global_avg_pool";
    case LayerKind::Flatten: return "flatten";
    case LayerKind::BatchNorm: return "batch_norm";
    case LayerKind::Activation: return "activation";
    case LayerKind::Add: return "add";
    case LayerKind::Concat: return "concat";
    case LayerKind::Projection: return "projection";
    case LayerKind::Sample: return "sample";
    case LayerKind::Dropout: return "dropout";
    case LayerKind::AdaptiveAvgPool2d: return "adaptive_avg_pool2d";
    case LayerKind::ChannelShuffle: return "channel_shuffle";
    case LayerKind::Chunk: return "chunk";
    case LayerKind::Registered: return "registered";
  }
  return "unknown";
}

std::string_view layer_kind_name(const Layer& l) {
  return l.kind == LayerKind::Registered ? std::string_view(layer_type(l.type).name) : layer_kind_name(l.kind);
}

const Layer& Architecture::layer(Ref r) const {
  if (r >= layers_.size()) throw std::out_of_range("architecture: no layer " + std::to_string(r));
  return layers_[r];
}

Architecture::Ref Architecture::output() const {
  if (layers_.empty()) throw std::logic_error("architecture: no layers");
  return layers_.size() - 1;
}

const Shape& Architecture::input_shape() const {
  if (layers_.empty() || layers_[0].kind != LayerKind::Input) throw std::logic_error("architecture: no input layer");
  return layers_[0].shape;
}

std::size_t Architecture::find(const std::string& name) const {
  for (std::size_t i = 0; i < layers_.size(); ++i)
    if (layers_[i].name == name) return i;
  return layers_.size();
}

std::string Architecture::unique_name(std::string name, const std::string& prefix) const {
  if (!name.empty()) {
    if (find(name) != layers_.size()) throw std::invalid_argument("architecture: a layer named '" + name + "' already exists");
    return name;
  }
  // Counts the names `prefix` + digits, so that `relu` does not count `relu6_1`.
  const auto numbered = [&](const std::string& n) {
    return n.size() > prefix.size() && n.rfind(prefix, 0) == 0 &&
           n.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
  };
  std::size_t n = 1;
  for (const Layer& l : layers_)
    if (numbered(l.name)) ++n;
  while (find(prefix + std::to_string(n)) != layers_.size()) ++n;
  return prefix + std::to_string(n);
}

Architecture::Ref Architecture::push(Layer l, const std::string& prefix) {
  for (Ref in : l.inputs) layer(in);  // every input must exist
  l.name = unique_name(std::move(l.name), prefix);
  layers_.push_back(std::move(l));
  return layers_.size() - 1;
}

Architecture::Ref Architecture::input(const Shape& shape, std::string name) {
  if (!layers_.empty()) throw std::logic_error("architecture: the input layer must come first, and only once");
  if (shape.empty() || shape_size(shape) == 0)
    throw ShapeError("input: shape " + shape_string(shape) + " must be non-empty with positive sizes");
  Layer l;
  l.kind = LayerKind::Input;
  l.shape = shape;
  l.name = std::move(name);
  return push(std::move(l), "input");
}

Architecture::Ref Architecture::dense(Ref from, std::size_t units, const DenseOptions& o) {
  const Layer& src = layer(from);
  if (src.shape.size() != 1)
    throw ShapeError("dense: expects a vector input [features], got " + shape_string(src.shape) + " from " +
                     quoted(src) + " (flatten it first)");
  if (units == 0) throw ShapeError("dense: units must be positive");
  Layer l;
  l.kind = LayerKind::Dense;
  l.inputs = {from};
  l.units = units;
  l.shape = {units};
  l.bias = o.bias;
  l.weight_init = o.weight_init;
  l.bias_init = o.bias_init;
  l.name = o.name;
  return push(std::move(l), "dense");
}

Architecture::Ref Architecture::conv2d(Ref from, const Conv2dOptions& o) {
  const Layer& src = layer(from);
  if (src.shape.size() != 3)
    throw ShapeError("conv2d: expects an image input [channels, height, width], got " + shape_string(src.shape) +
                     " from " + quoted(src));
  check_window(o.window, "conv2d");
  const std::size_t c = src.shape[0];
  if (o.groups == 0 || c % o.groups != 0 || o.out_channels == 0 || o.out_channels % o.groups != 0)
    throw ShapeError("conv2d: " + std::to_string(c) + " input and " + std::to_string(o.out_channels) +
                     " output channels must both be positive multiples of groups = " + std::to_string(o.groups));
  const std::size_t h =
      window_output(src.shape[1], o.window.kernel[0], o.window.stride[0], o.window.padding[0], o.window.dilation[0], "conv2d");
  const std::size_t w =
      window_output(src.shape[2], o.window.kernel[1], o.window.stride[1], o.window.padding[1], o.window.dilation[1], "conv2d");
  if (h == 0 || w == 0)
    throw ShapeError("conv2d: kernel " + std::to_string(o.window.kernel[0]) + "x" + std::to_string(o.window.kernel[1]) +
                     " does not fit the padded input " + shape_string(src.shape) + " from " + quoted(src));
  Layer l;
  l.kind = LayerKind::Conv2d;
  l.inputs = {from};
  l.units = o.out_channels;
  l.window = o.window;
  l.groups = o.groups;
  l.bias = o.bias;
  l.weight_init = o.weight_init;
  l.bias_init = o.bias_init;
  l.shape = {o.out_channels, h, w};
  l.name = o.name;
  return push(std::move(l), "conv");
}

static Layer pool_layer(const Layer& src, std::size_t from, LayerKind kind, const Window2d& window, bool ceil_mode) {
  const std::string what(layer_kind_name(kind));
  if (src.shape.size() != 3)
    throw ShapeError(what + ": expects an image input [channels, height, width], got " + shape_string(src.shape) +
                     " from '" + src.name + "'");
  check_window(window, what.c_str());
  if (window.dilation != std::array<std::size_t, 2>{1, 1}) throw ShapeError(what + ": dilation is not supported");
  for (int i = 0; i < 2; ++i)
    if (window.padding[i] > window.kernel[i] / 2)  // 2 padding > kernel, without a product that could wrap
      throw ShapeError(what + ": padding must be at most half the kernel (as in PyTorch)");
  const auto extent = [&](int i) {
    return window_extent(src.shape[1 + i], window.kernel[i], window.stride[i], window.padding[i], 1, what, ceil_mode)
        .value_or(0);
  };
  const std::size_t h = extent(0), w = extent(1);
  if (h == 0 || w == 0) throw ShapeError(what + ": window does not fit the input " + shape_string(src.shape));
  Layer l;
  l.kind = kind;
  l.inputs = {from};
  l.window = window;
  l.ceil_mode = ceil_mode;
  l.shape = {src.shape[0], h, w};
  return l;
}

Architecture::Ref Architecture::max_pool2d(Ref from, const Window2d& window, std::string name, bool ceil_mode) {
  Layer l = pool_layer(layer(from), from, LayerKind::MaxPool2d, window, ceil_mode);
  l.name = std::move(name);
  return push(std::move(l), "maxpool");
}

Architecture::Ref Architecture::avg_pool2d(Ref from, const Window2d& window, std::string name, bool ceil_mode) {
  Layer l = pool_layer(layer(from), from, LayerKind::AvgPool2d, window, ceil_mode);
  l.name = std::move(name);
  return push(std::move(l), "avgpool");
}

Architecture::Ref Architecture::adaptive_avg_pool2d(Ref from, const std::array<std::size_t, 2>& size, std::string name) {
  const Layer& src = layer(from);
  if (src.shape.size() != 3)
    throw ShapeError("adaptive_avg_pool2d: expects an image input [channels, height, width], got " +
                     shape_string(src.shape) + " from " + quoted(src));
  if (size[0] == 0 || size[1] == 0)
    throw ShapeError("adaptive_avg_pool2d: the output size " + std::to_string(size[0]) + "x" + std::to_string(size[1]) +
                     " must be positive");
  Layer l;
  l.kind = LayerKind::AdaptiveAvgPool2d;
  l.inputs = {from};
  l.shape = {src.shape[0], size[0], size[1]};
  shape_size(l.shape, "adaptive_avg_pool2d");
  l.name = std::move(name);
  return push(std::move(l), "adaptive_avgpool");
}

Architecture::Ref Architecture::global_avg_pool(Ref from, std::string name) {
  const Layer& src = layer(from);
  if (src.shape.size() != 3)
    throw ShapeError("global_avg_pool: expects an image input [channels, height, width], got " +
                     shape_string(src.shape) + " from " + quoted(src));
  Layer l;
  l.kind = LayerKind::GlobalAvgPool;
  l.inputs = {from};
  l.shape = {src.shape[0]};
  l.name = std::move(name);
  return push(std::move(l), "gap");
}

Architecture::Ref Architecture::flatten(Ref from, std::string name) {
  Layer l;
  l.kind = LayerKind::Flatten;
  l.inputs = {from};
  l.shape = {shape_size(layer(from).shape)};
  l.name = std::move(name);
  return push(std::move(l), "flatten");
}

Architecture::Ref Architecture::batch_norm(Ref from, std::string name) {
  const Layer& src = layer(from);
  if (src.shape.size() != 1 && src.shape.size() != 3)
    throw ShapeError("batch_norm: expects [features] or [channels, height, width], got " + shape_string(src.shape));
  Layer l;
  l.kind = LayerKind::BatchNorm;
  l.inputs = {from};
  l.shape = src.shape;
  l.name = std::move(name);
  return push(std::move(l), "bn");
}

Architecture::Ref Architecture::activation(Ref from, Activation a, double slope, std::string name) {
  Layer l;
  l.kind = LayerKind::Activation;
  l.inputs = {from};
  l.shape = layer(from).shape;
  l.activation = a;
  l.slope = slope;
  l.name = std::move(name);
  return push(std::move(l), activation_layer_prefix(a));
}

Architecture::Ref Architecture::dropout(Ref from, double p, std::string name) {
  if (!(p >= 0.0 && p <= 1.0))  // also refuses NaN
    throw ShapeError("dropout: the probability p = " + std::to_string(p) + " must be between 0 and 1");
  Layer l;
  l.kind = LayerKind::Dropout;
  l.inputs = {from};
  l.shape = layer(from).shape;
  l.p = p;
  l.name = std::move(name);
  return push(std::move(l), "dropout");
}

Architecture::Ref Architecture::channel_shuffle(Ref from, std::size_t groups, std::string name) {
  const Layer& src = layer(from);
  if (src.shape.size() != 3)
    throw ShapeError("channel_shuffle: expects an image input [channels, height, width], got " +
                     shape_string(src.shape) + " from " + quoted(src));
  if (groups == 0 || src.shape[0] % groups != 0)
    throw ShapeError("channel_shuffle: groups = " + std::to_string(groups) + " must divide the " +
                     std::to_string(src.shape[0]) + " channels of " + quoted(src));
  Layer l;
  l.kind = LayerKind::ChannelShuffle;
  l.inputs = {from};
  l.shape = src.shape;
  l.groups = groups;
  l.name = std::move(name);
  return push(std::move(l), "shuffle");
}

Architecture::Ref Architecture::chunk(Ref from, std::size_t chunks, std::size_t index, std::string name) {
  const Layer& src = layer(from);
  if (chunks == 0 || src.shape[0] % chunks != 0)
    throw ShapeError("chunk: chunks = " + std::to_string(chunks) + " must divide the " + std::to_string(src.shape[0]) +
                     " channels of " + quoted(src) + " (" + shape_string(src.shape) + ") into equal parts");
  if (index >= chunks)
    throw ShapeError("chunk: index " + std::to_string(index) + " is out of range for " + std::to_string(chunks) +
                     " chunks (0 to " + std::to_string(chunks - 1) + ")");
  Layer l;
  l.kind = LayerKind::Chunk;
  l.inputs = {from};
  l.shape = src.shape;
  l.shape[0] = src.shape[0] / chunks;
  l.chunks = chunks;
  l.chunk = index;
  l.name = std::move(name);
  return push(std::move(l), "chunk");
}

Architecture::Ref Architecture::add(const std::vector<Ref>& from, std::string name) {
  if (from.size() < 2) throw ShapeError("add: needs at least two inputs");
  const Layer& first = layer(from[0]);
  for (Ref r : from) {
    const Layer& other = layer(r);
    if (other.shape != first.shape)
      throw ShapeError("add: shapes differ: " + quoted(first) + " is " + shape_string(first.shape) + " but " +
                       quoted(other) + " is " + shape_string(other.shape) +
                       " (adapt the shortcut with a projection or with sampling)");
  }
  Layer l;
  l.kind = LayerKind::Add;
  l.inputs = from;
  l.shape = first.shape;
  l.name = std::move(name);
  return push(std::move(l), "add");
}

Architecture::Ref Architecture::concat(const std::vector<Ref>& from, std::string name) {
  if (from.size() < 2) throw ShapeError("concat: needs at least two inputs");
  const Layer& first = layer(from[0]);
  Shape shape = first.shape;
  shape[0] = 0;
  for (Ref r : from) {
    const Layer& other = layer(r);
    Shape a = first.shape, b = other.shape;
    if (a.size() == b.size()) a[0] = b[0] = 0;
    if (a != b)
      throw ShapeError("concat: " + quoted(first) + " is " + shape_string(first.shape) + " and " + quoted(other) +
                       " is " + shape_string(other.shape) + ": they may differ only in the first (channel) axis");
    shape[0] = checked_add(shape[0], other.shape[0], "concat: channels");
  }
  Layer l;
  l.kind = LayerKind::Concat;
  l.inputs = from;
  l.shape = shape;
  l.name = std::move(name);
  return push(std::move(l), "concat");
}

Architecture::Ref Architecture::projection(Ref from, const Shape& target, std::string name) {
  const Layer& src = layer(from);
  Layer l;
  l.kind = LayerKind::Projection;
  l.inputs = {from};
  l.bias = false;
  l.shape = target;
  l.units = target.empty() ? 0 : target[0];
  if (src.shape.size() == 1 && target.size() == 1 && target[0] > 0) {
    // A dense map without bias.
  } else if (src.shape.size() == 3 && target.size() == 3 && target[0] > 0) {
    const std::size_t sh = sampling_stride(src.shape[1], target[1]), sw = sampling_stride(src.shape[2], target[2]);
    if (sh == 0 || sw == 0 || sh != sw)
      throw ShapeError("projection: no single stride maps " + shape_string(src.shape) + " from " + quoted(src) +
                       " onto " + shape_string(target));
    l.window.stride = {sh, sw};
  } else {
    throw ShapeError("projection: cannot project " + shape_string(src.shape) + " from " + quoted(src) + " onto " +
                     shape_string(target));
  }
  l.name = std::move(name);
  return push(std::move(l), "proj");
}

Architecture::Ref Architecture::sample(Ref from, const Shape& target, std::string name) {
  const Layer& src = layer(from);
  if (src.shape.size() != target.size() || (target.size() != 1 && target.size() != 3))
    throw ShapeError("sample: cannot sample " + shape_string(src.shape) + " from " + quoted(src) + " onto " +
                     shape_string(target));
  Layer l;
  l.kind = LayerKind::Sample;
  l.inputs = {from};
  l.shape = target;
  if (target.size() == 3) {
    const std::size_t sh = sampling_stride(src.shape[1], target[1]), sw = sampling_stride(src.shape[2], target[2]);
    if (sh == 0 || sw == 0)
      throw ShapeError("sample: no stride maps the spatial size of " + shape_string(src.shape) + " from " +
                       quoted(src) + " onto " + shape_string(target));
    if (src.shape[0] > target[0])
      throw ShapeError("sample: " + quoted(src) + " has " + std::to_string(src.shape[0]) +
                       " channels, more than the " + std::to_string(target[0]) +
                       " of the target: sampling never drops channels (use a projection)");
    l.window.stride = {sh, sw};
  } else {
    // Vectors: every s-th feature when the source is longer, zero features when shorter.
    std::size_t s = 1;
    if (src.shape[0] > target[0]) {
      s = sampling_stride(src.shape[0], target[0]);
      if (s == 0)
        throw ShapeError("sample: no stride maps " + shape_string(src.shape) + " from " + quoted(src) + " onto " +
                         shape_string(target));
    }
    l.window.stride = {s, 1};
  }
  l.name = std::move(name);
  return push(std::move(l), "sample");
}

Architecture::Ref Architecture::registered(Ref from, std::string_view type, const LayerAttributes& attributes,
                                           std::string name) {
  const auto id = find_layer_type(type);
  if (!id) throw std::invalid_argument("architecture: no layer type named '" + std::string(type) + "'");
  const LayerType& t = layer_type(*id);
  const Layer& src = layer(from);
  Layer l;
  l.kind = LayerKind::Registered;
  l.type = *id;
  l.inputs = {from};
  l.attributes = attributes.resolved(t.attributes, t.name);
  l.shape = t.output_shape ? t.output_shape(src.shape, l.attributes) : src.shape;
  if (l.shape.empty() || shape_size(l.shape, t.name.c_str()) == 0)
    throw ShapeError(t.name + ": the output shape " + shape_string(l.shape) + " must be non-empty with positive sizes");
  l.name = std::move(name);
  return push(std::move(l), automatic_name_prefix(t.name));
}

Architecture::Ref Architecture::shortcut(Ref from, Ref to, Adapt adapt, std::string name) {
  const Shape& target = layer(to).shape;
  Ref adapted = from;
  if (adapt == Adapt::Identity) {
    if (layer(from).shape != target)
      throw ShapeError("shortcut: " + quoted(layer(from)) + " is " + shape_string(layer(from).shape) + " but " +
                       quoted(layer(to)) + " is " + shape_string(target) +
                       "; an identity shortcut needs equal shapes (use projection or sample)");
  } else if (adapt == Adapt::Projection) {
    adapted = projection(from, target);
  } else {
    adapted = sample(from, target);
  }
  return add({to, adapted}, std::move(name));
}

std::vector<ParameterBlock> layer_parameter_blocks(const Layer& l, std::size_t index, const Shape& in) {
  std::vector<ParameterBlock> blocks;
  const auto push = [&](const std::string& suffix, Shape shape, BlockFans fans, Initializer init, bool is_bias) {
    ParameterBlock b;
    b.name = l.name + "." + suffix;
    b.layer = index;
    b.shape = std::move(shape);
    b.fans = fans;
    b.init = init;
    b.is_bias = is_bias;
    blocks.push_back(std::move(b));
  };
  // Every kind is listed, so that -Wswitch names a new one that is not.
  switch (l.kind) {
    case LayerKind::Dense: {
      const BlockFans fans{in[0], l.units, false, false};
      push("weight", {l.units, in[0]}, fans, l.weight_init, false);
      if (l.bias) push("bias", {l.units}, {in[0], l.units, true, false}, l.bias_init, true);
      break;
    }
    case LayerKind::Conv2d: {
      const std::size_t kh = l.window.kernel[0], kw = l.window.kernel[1], per_group = in[0] / l.groups;
      const BlockFans fans{per_group * kh * kw, l.units * kh * kw, false, false};
      push("weight", {l.units, per_group, kh, kw}, fans, l.weight_init, false);
      if (l.bias) push("bias", {l.units}, {fans.fan_in, fans.fan_out, true, false}, l.bias_init, true);
      break;
    }
    case LayerKind::BatchNorm:
      push("weight", {l.shape[0]}, {1, 1, false, true}, l.weight_init, false);
      push("bias", {l.shape[0]}, {0, 1, true, false}, l.bias_init, true);
      break;
    case LayerKind::Projection:
      if (l.shape.size() == 1) push("weight", {l.units, in[0]}, {in[0], l.units, false, false}, l.weight_init, false);
      else push("weight", {l.units, in[0], 1, 1}, {in[0], l.units, false, false}, l.weight_init, false);
      break;
    case LayerKind::Registered:
      return registered_parameter_blocks(l, index, in);
    case LayerKind::Input:
    case LayerKind::MaxPool2d:
    case LayerKind::AvgPool2d:
    case LayerKind::GlobalAvgPool:
    case LayerKind::Flatten:
    case LayerKind::Activation:
    case LayerKind::Add:
    case LayerKind::Concat:
    case LayerKind::Sample:
    case LayerKind::Dropout:
    case LayerKind::AdaptiveAvgPool2d:
    case LayerKind::ChannelShuffle:
    case LayerKind::Chunk:
      break;
  }
  return blocks;
}

std::vector<ParameterBlock> Architecture::parameter_blocks() const {
  std::vector<ParameterBlock> blocks;
  std::size_t offset = 0;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    const Layer& l = layers_[i];
    for (ParameterBlock& b : layer_parameter_blocks(l, i, l.inputs.empty() ? l.shape : layers_[l.inputs[0]].shape)) {
      b.offset = offset;
      offset = checked_add(offset, b.size(), "parameter count");
      blocks.push_back(std::move(b));
    }
  }
  return blocks;
}

std::size_t Architecture::parameter_count() const {
  std::size_t n = 0;
  for (const ParameterBlock& b : parameter_blocks()) n = checked_add(n, b.size(), "parameter count");
  return n;
}

std::vector<LayerCount> Architecture::parameter_counts() const {
  std::vector<LayerCount> counts;
  for (const ParameterBlock& b : parameter_blocks()) {
    if (counts.empty() || counts.back().name != layers_[b.layer].name)
      counts.push_back({layers_[b.layer].name, layers_[b.layer].kind, std::string(layer_kind_name(layers_[b.layer])), 0, 0});
    (b.is_bias ? counts.back().biases : counts.back().weights) += b.size();
  }
  return counts;
}

// An initialiser as describe() spells it: its kind, and its value (when it has one) in the
// shortest form that reads back to the same double, so that normal(0.1) and normal(0.1000001)
// are two networks. He, Glorot, zeros and PyTorch's default ignore the value.
static std::string exact_initialiser(const Initializer& init) {
  const auto with_value = [&](const char* name) {
    char buf[64];
    const auto [end, error] = std::to_chars(buf, buf + sizeof buf, init.value);
    return std::string(name) + "(" + (error == std::errc() ? std::string(buf, end) : std::string("?")) + ")";
  };
  switch (init.kind) {
    case Initializer::Kind::PyTorchDefault: return "pytorch";
    case Initializer::Kind::Normal: return with_value("normal");
    case Initializer::Kind::Uniform: return with_value("uniform");
    case Initializer::Kind::He: return "he";
    case Initializer::Kind::Glorot: return "glorot";
    case Initializer::Kind::Zeros: return "zeros";
    case Initializer::Kind::Constant: return with_value("constant");
  }
  return "?";
}

std::string Architecture::describe() const {
  std::ostringstream os;
  for (const Layer& l : layers_) {
    os << l.name << " " << layer_kind_name(l) << " in=[";
    for (std::size_t i = 0; i < l.inputs.size(); ++i) os << (i ? "," : "") << layers_[l.inputs[i]].name;
    os << "] shape=" << shape_string(l.shape);
    switch (l.kind) {
      case LayerKind::Dense: os << " units=" << l.units << " bias=" << l.bias; break;
      case LayerKind::Conv2d:
        os << " out=" << l.units << " groups=" << l.groups << " bias=" << l.bias;
        [[fallthrough]];
      case LayerKind::MaxPool2d:
      case LayerKind::AvgPool2d:
      case LayerKind::Projection:
      case LayerKind::Sample:
        os << " kernel=" << l.window.kernel[0] << "x" << l.window.kernel[1] << " stride=" << l.window.stride[0] << "x"
           << l.window.stride[1] << " padding=" << l.window.padding[0] << "x" << l.window.padding[1]
           << " dilation=" << l.window.dilation[0] << "x" << l.window.dilation[1];
        if (l.ceil_mode) os << " ceil_mode=1";  // only when set: the fingerprints of older networks stay
        break;
      case LayerKind::Dropout: os << " p=" << l.p; break;
      case LayerKind::ChannelShuffle: os << " groups=" << l.groups; break;
      case LayerKind::Chunk: os << " chunks=" << l.chunks << " index=" << l.chunk; break;
      case LayerKind::Activation:
        os << " fn=" << activation_name(l.activation);
        if (l.activation.kind().has_slope) os << " slope=" << l.slope;
        break;
      case LayerKind::Registered:
        for (const AttributeValue& v : l.attributes.values()) os << " " << attribute_text(v);
        break;
      case LayerKind::Input:
      case LayerKind::GlobalAvgPool:
      case LayerKind::Flatten:
      case LayerKind::BatchNorm:
      case LayerKind::Add:
      case LayerKind::Concat:
      case LayerKind::AdaptiveAvgPool2d:
        break;
    }
    // The initialisers of the blocks the layer has (theta0 is drawn from them), only when they are
    // not the default (PyTorch's): the fingerprints of networks with the default ones stay.
    const bool has_weight = l.kind == LayerKind::Dense || l.kind == LayerKind::Conv2d ||
                            l.kind == LayerKind::BatchNorm || l.kind == LayerKind::Projection;
    const bool has_bias = ((l.kind == LayerKind::Dense || l.kind == LayerKind::Conv2d) && l.bias) ||
                          l.kind == LayerKind::BatchNorm;
    if (has_weight && l.weight_init.kind != Initializer::Kind::PyTorchDefault)
      os << " weight_init=" << exact_initialiser(l.weight_init);
    if (has_bias && l.bias_init.kind != Initializer::Kind::PyTorchDefault)
      os << " bias_init=" << exact_initialiser(l.bias_init);
    os << "\n";
  }
  return os.str();
}

std::string Architecture::fingerprint() const {
  support::Fnv1a64 hash;  // stable across runs and machines
  hash.add(describe());
  return hash.hex();
}

}  // namespace netdim::nn
