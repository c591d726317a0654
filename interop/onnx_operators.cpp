// The ONNX operators netdim reads, each as the layers it becomes (docs/onnx.md). Every attribute an
// operator has at the model's opset is either read or refused: nothing is silently ignored.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <numeric>
#include <string>
#include <unordered_map>

#include "netdim/interop/onnx_converter.hpp"
#include "netdim/nn/activation.hpp"

namespace netdim::interop {

namespace {

using Ref = nn::Architecture::Ref;

std::string dims_text(const std::vector<std::int64_t>& dims) {
  std::string s = "[";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

std::vector<std::int64_t> dims_of(const Shape& shape) { return {shape.begin(), shape.end()}; }

// An axis of the full ONNX shape (batch axis 0) of rank `rank`, negative ones counted from the end.
std::int64_t normalized_axis(OnnxConverter& c, std::int64_t axis, std::size_t rank) {
  const auto r = static_cast<std::int64_t>(rank);
  if (axis < -r || axis >= r) c.fail("axis " + std::to_string(axis) + " is outside a tensor of rank " + std::to_string(rank));
  return axis < 0 ? axis + r : axis;
}

// A constant's entries as integers (shapes, pads, axes, indices): each a whole number of at most
// 2^53 in size, or the node is refused; never a cast of an arbitrary double.
std::vector<std::int64_t> integers(OnnxConverter& c, const ConstantTensor& t, const char* role) {
  std::vector<std::int64_t> out;
  out.reserve(t.size());
  for (const double v : t.values) {
    if (!(std::abs(v) <= 9007199254740992.0) || std::trunc(v) != v)
      c.fail(std::string("its ") + role + " holds " + std::to_string(v) + ", not an integer netdim can take");
    out.push_back(static_cast<std::int64_t>(v));
  }
  return out;
}

const Shape& layer_shape(OnnxConverter& c, Ref r) { return c.architecture().layer(r).shape; }

Ref require_image(OnnxConverter& c, Ref r) {
  if (layer_shape(c, r).size() != 3)
    c.fail("its input has shape " + shape_string(layer_shape(c, r)) + " per example; " + c.node().op_type() +
           " needs images [c, h, w] (a 2-D operator on a batch [N, c, h, w])");
  return r;
}

// The 2-D window of a Conv or pool: kernel, strides, symmetric pads (with a folded Pad's added), dilations.
nn::Window2d window_of(OnnxConverter& c, const Shape& in, std::array<std::size_t, 2> kernel,
                       const std::array<std::size_t, 2>& extra_pad) {
  const auto pair = [&](const char* name, std::size_t fallback) {
    const std::vector<std::int64_t> v = c.ints_attribute(name);
    if (v.empty()) return std::array<std::size_t, 2>{fallback, fallback};
    if (v.size() != 2) c.fail(std::string(name) + " has " + std::to_string(v.size()) + " entries; netdim's windows are 2-D");
    for (const std::int64_t x : v)
      if (x < (fallback == 0 ? 0 : 1) || x > (1 << 20)) c.fail(std::string(name) + " " + dims_text(v) + " is out of range");
    return std::array<std::size_t, 2>{static_cast<std::size_t>(v[0]), static_cast<std::size_t>(v[1])};
  };
  nn::Window2d w;
  const std::vector<std::int64_t> ks = c.ints_attribute("kernel_shape");
  if (!ks.empty()) {
    if (ks.size() != 2) c.fail("kernel_shape " + dims_text(ks) + " is not 2-D");
    if (kernel[0] != 0 && (static_cast<std::size_t>(ks[0]) != kernel[0] || static_cast<std::size_t>(ks[1]) != kernel[1]))
      c.fail("kernel_shape " + dims_text(ks) + " differs from the weight's");
    if (ks[0] < 1 || ks[1] < 1 || ks[0] > (1 << 20) || ks[1] > (1 << 20)) c.fail("kernel_shape " + dims_text(ks) + " is out of range");
    kernel = {static_cast<std::size_t>(ks[0]), static_cast<std::size_t>(ks[1])};
  }
  if (kernel[0] == 0) c.fail("it has no kernel_shape");
  w.kernel = kernel;
  w.stride = pair("strides", 1);
  w.dilation = pair("dilations", 1);
  const std::string auto_pad = c.string_attribute("auto_pad", "NOTSET");
  const std::vector<std::int64_t> pads = c.ints_attribute("pads");
  if (auto_pad == "NOTSET") {
    if (!pads.empty()) {
      if (pads.size() != 4) c.fail("pads " + dims_text(pads) + " is not 2-D (begin h, begin w, end h, end w)");
      for (const std::int64_t p : pads)
        if (p < 0 || p > (1 << 20)) c.fail("pads " + dims_text(pads) + " is out of range");
      if (pads[0] != pads[2] || pads[1] != pads[3])
        c.fail("pads " + dims_text(pads) + " are not symmetric; netdim pads both sides of an axis alike");
      w.padding = {static_cast<std::size_t>(pads[0]), static_cast<std::size_t>(pads[1])};
    }
  } else if (auto_pad == "VALID") {
    w.padding = {0, 0};
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (int a = 0; a < 2; ++a) {
      const std::size_t size = in[1 + a], s = w.stride[a];
      const std::size_t out = (size + s - 1) / s, span = (w.kernel[a] - 1) * w.dilation[a] + 1;
      const std::size_t need = (out - 1) * s + span;
      const std::size_t total = need > size ? need - size : 0;
      if (total % 2) c.fail("auto_pad " + auto_pad + " pads axis " + std::to_string(a + 2) + " by " + std::to_string(total) +
                            " in all, unevenly; netdim pads both sides of an axis alike");
      w.padding[a] = total / 2;
    }
  } else {
    c.fail("auto_pad '" + auto_pad + "' is not NOTSET, VALID, SAME_UPPER or SAME_LOWER");
  }
  w.padding[0] += extra_pad[0];
  w.padding[1] += extra_pad[1];
  return w;
}

// A layer input that may carry a pending Pad (Conv and AveragePool fold it into their padding).
Ref padded_input(OnnxConverter& c, std::array<std::size_t, 2>& pad) {
  const Value& v = c.input(0);
  pad = {0, 0};
  if (v.is_layer && v.pending_pad) {
    pad = *v.pending_pad;
    c.note("zero Pad nodes folded into the padding of the convolution or average pooling after them");
    return require_image(c, v.layer);
  }
  return require_image(c, c.layer_input(0));
}

void refuse_read_output(OnnxConverter& c, std::size_t i, const char* what) {
  if (c.readers_of_output(i) > 0) c.fail(std::string("its ") + what + " output is read; netdim computes only the first");
}

std::vector<double> scaled(const ConstantTensor& t, double factor) {
  std::vector<double> v = t.values;
  if (factor != 1) for (double& x : v) x *= factor;
  return v;
}

void activation(OnnxConverter& c, nn::Activation a, double slope = 0.01) {
  const Ref r = c.layer_input(0);
  const Ref out = c.architecture().activation(r, a, slope, c.layer_name());
  c.set_layer_output(out, c.input(0).example_dims);
}

void conv(OnnxConverter& c) {
  c.allow_attributes({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"});
  std::array<std::size_t, 2> pad{};
  const Ref x = padded_input(c, pad);
  const ConstantTensor& w = c.constant_input(1, "weight");
  if (w.dims.size() != 4) c.fail("its weight has shape " + dims_text(w.dims) + "; netdim's convolutions are 2-D ([out, in / groups, kh, kw])");
  const std::int64_t group = c.int_attribute("group", 1);
  const Shape& in = layer_shape(c, x);
  if (group < 1 || static_cast<std::size_t>(group) > in[0] || in[0] % static_cast<std::size_t>(group) != 0)
    c.fail("group " + std::to_string(group) + " does not divide the input's " + std::to_string(in[0]) + " channels");
  if (static_cast<std::size_t>(w.dims[1]) * static_cast<std::size_t>(group) != in[0])
    c.fail("its weight " + dims_text(w.dims) + " does not match the input's " + std::to_string(in[0]) + " channels in " +
           std::to_string(group) + " groups");
  nn::Conv2dOptions o;
  o.out_channels = static_cast<std::size_t>(w.dims[0]);
  o.window = window_of(c, in, {static_cast<std::size_t>(w.dims[2]), static_cast<std::size_t>(w.dims[3])}, pad);
  o.groups = static_cast<std::size_t>(group);
  o.bias = c.has_input(2);
  o.name = c.layer_name(c.node().input(1));
  std::vector<std::vector<double>> blocks{w.values};
  if (o.bias) {
    const ConstantTensor& b = c.constant_input(2, "bias");
    if (b.size() != o.out_channels) c.fail("its bias has " + std::to_string(b.size()) + " entries for " + std::to_string(o.out_channels) + " channels");
    blocks.push_back(b.values);
  }
  const Ref out = c.architecture().conv2d(x, o);
  c.set_parameters(out, std::move(blocks));
  c.set_layer_output(out, dims_of(layer_shape(c, out)));
}

void gemm(OnnxConverter& c) {
  // Before opset 7, `broadcast` says that C is broadcast, as netdim's bias always is.
  if (c.opset() < 7) c.allow_attributes({"alpha", "beta", "broadcast", "transA", "transB"});
  else c.allow_attributes({"alpha", "beta", "transA", "transB"});
  if (c.int_attribute("transA", 0) != 0) c.fail("transA=1: netdim's dense layers take the batch as rows (transA=0)");
  const Ref a = c.layer_input(0);
  if (layer_shape(c, a).size() != 1) c.fail("its input has shape " + shape_string(layer_shape(c, a)) + " per example; Gemm needs vectors");
  const ConstantTensor& b = c.constant_input(1, "weight");
  if (b.dims.size() != 2) c.fail("its weight has shape " + dims_text(b.dims) + ", not a matrix");
  const bool trans_b = c.int_attribute("transB", 0) != 0;
  const auto k = static_cast<std::size_t>(trans_b ? b.dims[1] : b.dims[0]), n = static_cast<std::size_t>(trans_b ? b.dims[0] : b.dims[1]);
  if (k != layer_shape(c, a)[0]) c.fail("its weight " + dims_text(b.dims) + " does not take the input's " + std::to_string(layer_shape(c, a)[0]) + " features");
  const double alpha = c.float_attribute("alpha", 1), beta = c.float_attribute("beta", 1);
  std::vector<double> weight(n * k);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) weight[i * k + j] = alpha * (trans_b ? b.values[i * k + j] : b.values[j * n + i]);
  nn::DenseOptions o;
  o.bias = c.has_input(2) && beta != 0;
  o.name = c.layer_name(c.node().input(1));
  std::vector<std::vector<double>> blocks{std::move(weight)};
  if (o.bias) {
    const ConstantTensor& bias = c.constant_input(2, "bias");
    const std::size_t rows = bias.dims.size() == 2 ? static_cast<std::size_t>(bias.dims[0]) : 1;
    if (rows != 1 || (bias.size() != n && bias.size() != 1))
      c.fail("its bias C has shape " + dims_text(bias.dims) + "; netdim's bias is one per output ([" + std::to_string(n) +
             "], [1, " + std::to_string(n) + "] or a scalar), the same for every example");
    std::vector<double> v(n, beta * bias.values[0]);
    if (bias.size() == n) v = scaled(bias, beta);
    blocks.push_back(std::move(v));
  }
  const Ref out = c.architecture().dense(a, n, o);
  c.set_parameters(out, std::move(blocks));
  c.set_layer_output(out, dims_of(layer_shape(c, out)));
}

void matmul(OnnxConverter& c) {
  c.allow_attributes({});
  const Ref a = c.layer_input(0);
  if (layer_shape(c, a).size() != 1)
    c.fail("its input has shape " + shape_string(layer_shape(c, a)) + " per example; netdim's MatMul is a dense layer on vectors");
  const ConstantTensor& b = c.constant_input(1, "weight");
  if (b.dims.size() != 2 || static_cast<std::size_t>(b.dims[0]) != layer_shape(c, a)[0])
    c.fail("its weight has shape " + dims_text(b.dims) + "; a dense layer on " + std::to_string(layer_shape(c, a)[0]) +
           " features needs [" + std::to_string(layer_shape(c, a)[0]) + ", units]");
  const auto k = static_cast<std::size_t>(b.dims[0]), n = static_cast<std::size_t>(b.dims[1]);
  Value v;
  v.is_layer = true;
  v.example_dims = {static_cast<std::int64_t>(n)};
  Value::PendingDense d;
  d.from = a;
  d.units = n;
  d.weight.resize(n * k);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < k; ++j) d.weight[i * k + j] = b.values[j * n + i];
  d.name = c.layer_name(c.node().input(1));
  v.pending_dense = std::move(d);
  c.set_output(0, std::move(v));
}

// Elementwise arithmetic on two constants (shape arithmetic), equal shapes or one a scalar.
ConstantTensor fold(OnnxConverter& c, const ConstantTensor& a, const ConstantTensor& b, const std::function<double(double, double)>& f) {
  if (a.size() != b.size() && a.size() != 1 && b.size() != 1)
    c.fail("it combines constants of shapes " + dims_text(a.dims) + " and " + dims_text(b.dims) + ", which netdim does not broadcast");
  ConstantTensor r = a.size() >= b.size() ? a : b;
  r.integral = a.integral && b.integral;
  for (std::size_t i = 0; i < r.size(); ++i) r.values[i] = f(a.values[a.size() == 1 ? 0 : i], b.values[b.size() == 1 ? 0 : i]);
  return r;
}

void add(OnnxConverter& c) {
  c.allow_attributes({});
  const bool la = c.input_is_layer(0), lb = c.input_is_layer(1);
  if (!la && !lb) {
    Value v;
    v.constant = fold(c, c.input(0).constant, c.input(1).constant, std::plus<>());
    c.set_output(0, std::move(v));
    return;
  }
  if (la != lb) {
    const std::size_t li = la ? 0 : 1;
    const Value& layer = c.input(li);
    const ConstantTensor& k = c.constant_input(1 - li, "addend");
    if (layer.pending_dense && c.readers_of(c.node().input(static_cast<int>(li))) == 1 &&
        (k.size() == layer.pending_dense->units) && (k.dims.size() == 1 || (k.dims.size() == 2 && k.dims[0] == 1))) {
      const std::vector<double> bias = k.values;
      const Ref r = c.build_pending_dense(c.node().input(static_cast<int>(li)), &bias);
      c.note("MatMul + Add of a constant read as a dense layer with a bias");
      c.set_layer_output(r, dims_of(layer_shape(c, r)));
      return;
    }
    c.fail("it adds a constant to a layer's output; netdim reads that only as the bias of the MatMul before it");
  }
  const Ref a = c.layer_input(0), b = c.layer_input(1);
  if (c.input(0).example_dims != c.input(1).example_dims)
    c.fail("it broadcasts " + dims_text(c.input(0).example_dims) + " and " + dims_text(c.input(1).example_dims) +
           " per example; netdim's add takes equal shapes");
  const Ref out = c.architecture().add({a, b}, c.layer_name());
  c.set_layer_output(out, c.input(0).example_dims);
}

void concat(OnnxConverter& c) {
  c.allow_attributes({"axis"});
  if (!c.attribute("axis")) c.fail("it has no axis");
  bool layers = true, constants = true;
  for (std::size_t i = 0; i < c.input_count(); ++i) (c.input_is_layer(i) ? constants : layers) = false;
  const std::int64_t axis = c.int_attribute("axis", 1);
  if (constants) {  // shape arithmetic: vectors end to end
    ConstantTensor r;
    r.integral = true;
    for (std::size_t i = 0; i < c.input_count(); ++i) {
      const ConstantTensor& t = c.input(i).constant;
      if (t.dims.size() != 1) c.fail("it concatenates constants of rank " + std::to_string(t.dims.size()) + "; netdim folds vectors only");
      r.values.insert(r.values.end(), t.values.begin(), t.values.end());
      r.integral = r.integral && t.integral;
    }
    r.dims = {static_cast<std::int64_t>(r.values.size())};
    Value v;
    v.constant = std::move(r);
    c.set_output(0, std::move(v));
    return;
  }
  if (!layers) c.fail("it concatenates layers and constants; netdim concatenates layers only");
  if (normalized_axis(c, axis, c.input(0).example_dims.size() + 1) != 1)
    c.fail("axis " + std::to_string(axis) + ": netdim concatenates along the channel (feature) axis 1 only");
  std::vector<Ref> from;
  for (std::size_t i = 0; i < c.input_count(); ++i) from.push_back(c.layer_input(i));
  const Ref out = c.architecture().concat(from, c.layer_name());
  c.set_layer_output(out, dims_of(layer_shape(c, out)));
}

void flatten_to_vector(OnnxConverter& c, Ref x, const std::vector<std::int64_t>& example) {
  const std::int64_t n = std::accumulate(example.begin(), example.end(), std::int64_t{1}, std::multiplies<>());
  if (layer_shape(c, x).size() == 1) {
    c.set_layer_output(x, {n});  // already a vector (a pooled [c, 1, 1])
    return;
  }
  const Ref out = c.architecture().flatten(x, c.layer_name());
  c.set_layer_output(out, {n});
}

void flatten(OnnxConverter& c) {
  c.allow_attributes({"axis"});
  const Ref x = c.layer_input(0);
  const std::vector<std::int64_t> example = c.input(0).example_dims;
  if (normalized_axis(c, c.int_attribute("axis", 1), example.size() + 1) != 1)
    c.fail("axis " + std::to_string(c.int_attribute("axis", 1)) + ": netdim flattens each example (axis 1) only");
  flatten_to_vector(c, x, example);
}

void reshape(OnnxConverter& c) {
  if (c.opset() < 14) c.allow_attributes({});
  else c.allow_attributes({"allowzero"});
  const Value& in = c.input(0);
  // The end of a channel shuffle: channels in groups, transposed, reshaped back to [c, h, w].
  const std::optional<Value::PendingShuffle> shuffle = in.is_layer ? in.pending_shuffle : std::nullopt;
  const Ref x = shuffle ? in.layer : c.layer_input(0);
  const std::vector<std::int64_t> example = shuffle ? dims_of(layer_shape(c, x)) : c.input(0).example_dims;
  const ConstantTensor& shape = c.constant_input(1, "shape");
  if (shape.dims.size() != 1 || shape.size() < 1) c.fail("its shape is not a vector");
  const bool allow_zero = c.int_attribute("allowzero", 0) != 0;
  std::vector<std::int64_t> t = integers(c, shape, "shape");
  if (shape.values[0] == kBatchSize) t[0] = 0;  // the input's own batch size, from its Shape
  for (std::size_t i = 1; i < t.size(); ++i)
    if (shape.values[i] == kBatchSize) c.fail("its shape puts the batch size on axis " + std::to_string(i));
  const std::int64_t size = std::accumulate(example.begin(), example.end(), std::int64_t{1}, std::multiplies<>());
  // The batch axis stays: 0 (copy), -1 (inferred, the rest known) or the input's own fixed batch.
  const std::string target = dims_text(t);
  std::vector<std::int64_t> out(t.begin() + 1, t.end());
  int inferred = -1;
  std::int64_t known = 1;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allow_zero) {
      if (i >= example.size()) c.fail("shape " + target + " copies an axis the input does not have");
      out[i] = example[i];
    }
    if (out[i] == -1) {
      if (inferred >= 0) c.fail("shape " + target + " has two -1 entries");
      inferred = static_cast<int>(i);
    } else if (out[i] <= 0) {
      c.fail("shape " + target + " has a size " + std::to_string(out[i]));
    } else {
      if (out[i] > size || known > size / out[i]) c.fail("shape " + target + " has more entries than the example's " + std::to_string(size));
      known *= out[i];
    }
  }
  if (inferred >= 0) {
    if (t[0] == -1) c.fail("shape " + target + " infers both the batch and an example axis");
    if (size % known) c.fail("shape " + target + " does not divide the example's " + std::to_string(size) + " entries");
    out[static_cast<std::size_t>(inferred)] = size / known;
    known = size;
  }
  const bool batch_kept = t[0] == 0 || (t[0] == -1 && known == size) || (t[0] > 0 && t[0] == c.batch() && known == size);
  if (!batch_kept || known != size)
    c.fail("shape " + target + " mixes examples (netdim keeps the batch axis 0 and reshapes each example)");
  if (shuffle) {
    if (!shuffle->transposed || out != example)
      c.fail("it reshapes channels in groups to " + dims_text(out) + "; netdim reads only ShuffleNet's channel shuffle "
             "(Reshape to [N, g, c/g, h, w], Transpose [0, 2, 1, 3, 4], Reshape to [N, c, h, w])");
    const Ref r = c.architecture().channel_shuffle(x, shuffle->groups, c.layer_name());
    c.note("Reshape, Transpose, Reshape of channels in groups read as a channel shuffle");
    c.set_layer_output(r, example);
    return;
  }
  if (out == example) {
    c.set_layer_output(x, example);
    return;
  }
  // The start of a channel shuffle: [c, h, w] as [g, c / g, h, w].
  if (example.size() == 3 && out.size() == 4 && out[0] <= example[0] && out[1] <= example[0] && out[0] * out[1] == example[0] && out[2] == example[1] && out[3] == example[2]) {
    Value v = c.input(0);
    v.pending_shuffle = Value::PendingShuffle{static_cast<std::size_t>(out[0]), false};
    v.example_dims = out;
    c.set_output(0, std::move(v));
    return;
  }
  if (out.size() == 1) {
    flatten_to_vector(c, x, example);
    return;
  }
  c.fail("it reshapes each example from " + dims_text(example) + " to " + dims_text(out) +
         "; netdim reshapes only to flatten (or to ShuffleNet's channel shuffle)");
}

void identity(OnnxConverter& c) {
  c.allow_attributes({});
  if (c.input_is_layer(0)) {
    const Ref x = c.layer_input(0);
    c.set_layer_output(x, c.input(0).example_dims);
  } else {
    Value v;
    v.constant = c.input(0).constant;
    c.set_output(0, std::move(v));
  }
}

void dropout(OnnxConverter& c) {
  double ratio = 0.5;
  if (c.opset() < 12) {
    c.allow_attributes({"ratio"});
    ratio = c.float_attribute("ratio", 0.5);
  } else {
    c.allow_attributes({"seed"});
    if (c.has_input(1)) {
      const ConstantTensor& r = c.constant_input(1, "ratio");
      if (r.size() != 1) c.fail("its ratio is not a scalar");
      ratio = r.values[0];
    }
    if (c.has_input(2)) {
      const ConstantTensor& m = c.constant_input(2, "training_mode");
      if (m.size() != 1 || m.values[0] != 0) c.fail("training_mode is on; netdim's dropout is the identity (inference)");
    }
  }
  refuse_read_output(c, 1, "mask");
  if (!(ratio >= 0 && ratio <= 1)) c.fail("ratio " + std::to_string(ratio) + " is not between 0 and 1");
  const Ref x = c.layer_input(0);
  const Ref out = c.architecture().dropout(x, ratio, c.layer_name());
  c.set_layer_output(out, c.input(0).example_dims);
}

void constant(OnnxConverter& c) {
  c.allow_attributes({"value", "value_float", "value_floats", "value_int", "value_ints"});
  if (c.node().attribute_size() != 1) c.fail("it needs exactly one value attribute");
  const onnx::AttributeProto& a = c.node().attribute(0);
  Value v;
  if (a.name() == "value") {
    if (a.type() != onnx::AttributeProto::TENSOR) c.fail("its value is not a tensor");
    try {
      v.constant = read_tensor(a.t(), "its value");
    } catch (const std::invalid_argument& e) {
      c.fail(e.what());
    }
  } else if (a.name() == "value_float") {
    v.constant.values = {a.f()};
  } else if (a.name() == "value_int") {
    v.constant.values = {static_cast<double>(a.i())};
    v.constant.integral = true;
  } else if (a.name() == "value_floats") {
    v.constant.values.assign(a.floats().begin(), a.floats().end());
    v.constant.dims = {a.floats_size()};
  } else {
    v.constant.values.assign(a.ints().begin(), a.ints().end());
    v.constant.dims = {a.ints_size()};
    v.constant.integral = true;
  }
  c.set_output(0, std::move(v));
}

void batch_normalization(OnnxConverter& c) {
  if (c.opset() < 7) c.allow_attributes({"epsilon", "is_test", "momentum", "spatial"});
  else if (c.opset() < 9) c.allow_attributes({"epsilon", "momentum", "spatial"});
  else if (c.opset() < 14) c.allow_attributes({"epsilon", "momentum"});
  else c.allow_attributes({"epsilon", "momentum", "training_mode"});
  if (c.int_attribute("is_test", 1) != 1) c.fail("is_test=0 (training); netdim reads batch norm in its inference form");
  if (c.int_attribute("spatial", 1) != 1) c.fail("spatial=0 (statistics per position) is not netdim's batch norm");
  if (c.int_attribute("training_mode", 0) != 0) c.fail("training_mode=1; netdim reads batch norm in its inference form");
  for (std::size_t i = 1; i < 5; ++i) refuse_read_output(c, i, "running statistics");
  const Ref x = c.layer_input(0);
  const std::size_t channels = layer_shape(c, x)[0];
  const double eps = c.float_attribute("epsilon", 1e-5);
  const char* roles[] = {"scale", "bias", "mean", "variance"};
  std::vector<const ConstantTensor*> p;
  for (std::size_t i = 1; i < 5; ++i) {
    p.push_back(&c.constant_input(i, roles[i - 1]));
    if (p.back()->size() != channels)
      c.fail(std::string("its ") + roles[i - 1] + " has " + std::to_string(p.back()->size()) + " entries for " +
             std::to_string(channels) + " channels");
  }
  std::vector<double> scale(channels), shift(channels);
  for (std::size_t k = 0; k < channels; ++k) {
    if (!(p[3]->values[k] + eps > 0)) c.fail("variance + epsilon is not positive at channel " + std::to_string(k));
    scale[k] = p[0]->values[k] / std::sqrt(p[3]->values[k] + eps);
    shift[k] = p[1]->values[k] - p[2]->values[k] * scale[k];
  }
  const Ref out = c.architecture().batch_norm(x, c.layer_name(c.node().input(1)));
  c.set_parameters(out, {std::move(scale), std::move(shift)});
  c.note("batch norms in their inference form: running mean and variance folded into the scale and shift "
         "(2 trainable parameters per channel, as PyTorch counts)");
  c.set_layer_output(out, c.input(0).example_dims);
}

void pool(OnnxConverter& c, bool max) {
  std::array<std::size_t, 2> pad{};
  Ref x;
  if (max) {
    c.allow_attributes({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"});
    if (c.int_attribute("storage_order", 0) != 0) c.fail("storage_order=1 (column-major indices) is not read");
    refuse_read_output(c, 1, "indices");
    x = require_image(c, c.layer_input(0));
  } else {
    c.allow_attributes({"auto_pad", "ceil_mode", "count_include_pad", "kernel_shape", "pads", "strides"});
    x = padded_input(c, pad);
  }
  const nn::Window2d own = window_of(c, layer_shape(c, x), {0, 0}, {0, 0});
  if (!max && c.int_attribute("count_include_pad", 0) == 0 && (own.padding[0] || own.padding[1]))
    c.fail("count_include_pad=0 with padding: netdim's avg_pool2d counts the padding in the divisor "
           "(PyTorch's count_include_pad=True)");
  nn::Window2d w = own;
  w.padding[0] += pad[0];
  w.padding[1] += pad[1];
  const bool ceil_mode = c.int_attribute("ceil_mode", 0) != 0;
  const Ref out = max ? c.architecture().max_pool2d(x, w, c.layer_name(), ceil_mode)
                      : c.architecture().avg_pool2d(x, w, c.layer_name(), ceil_mode);
  c.set_layer_output(out, dims_of(layer_shape(c, out)));
}

void global_average_pool(OnnxConverter& c) {
  c.allow_attributes({});
  const Ref x = require_image(c, c.layer_input(0));
  const Ref out = c.architecture().global_avg_pool(x, c.layer_name());
  c.set_layer_output(out, {static_cast<std::int64_t>(layer_shape(c, out)[0]), 1, 1});
}

// ReduceMean over the two spatial axes (x.mean([2, 3]), as ShuffleNet ends): a global average pooling.
void reduce_mean(OnnxConverter& c) {
  c.allow_attributes({"axes", "keepdims"});
  const Ref x = require_image(c, c.layer_input(0));
  std::vector<std::int64_t> axes;
  for (const std::int64_t a : c.ints_attribute("axes")) axes.push_back(normalized_axis(c, a, 4));
  std::sort(axes.begin(), axes.end());
  if (axes != std::vector<std::int64_t>{2, 3})
    c.fail("netdim reads ReduceMean over the spatial axes [2, 3] only (a global average pooling)");
  const Ref out = c.architecture().global_avg_pool(x, c.layer_name());
  const auto channels = static_cast<std::int64_t>(layer_shape(c, out)[0]);
  if (c.int_attribute("keepdims", 1) != 0) c.set_layer_output(out, {channels, 1, 1});
  else c.set_layer_output(out, {channels});
}

void pad(OnnxConverter& c) {
  std::vector<std::int64_t> pads;
  std::string mode;
  double value = 0;
  if (c.opset() < 11) {
    c.allow_attributes({"mode", "pads", "value"});
    pads = c.ints_attribute("pads");
    value = c.float_attribute("value", 0);
  } else {
    c.allow_attributes({"mode"});
    const ConstantTensor& p = c.constant_input(1, "pads");
    pads = integers(c, p, "pads");
    if (c.has_input(2)) {
      const ConstantTensor& v = c.constant_input(2, "constant_value");
      if (v.size() != 1) c.fail("its constant_value is not a scalar");
      value = v.values[0];
    }
    if (c.has_input(3)) c.fail("its axes input is not read");
  }
  mode = c.string_attribute("mode", "constant");
  if (mode != "constant" || value != 0) c.fail("netdim folds only zero padding (mode constant, value 0)");
  const Value& in = c.input(0);
  if (!in.is_layer || in.pending_dense) c.fail("it pads a constant or a MatMul's output");
  const std::vector<std::int64_t>& e = in.example_dims;
  if (e.size() != 3 || pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5])
    c.fail("pads " + dims_text(pads) + ": netdim folds padding of the two spatial axes of images only");
  if (pads[2] != pads[6] || pads[3] != pads[7] || pads[2] < 0 || pads[3] < 0 || pads[2] > (1 << 20) || pads[3] > (1 << 20))
    c.fail("pads " + dims_text(pads) + " are not symmetric and non-negative");
  Value v = in;
  std::array<std::size_t, 2> p{static_cast<std::size_t>(pads[2]), static_cast<std::size_t>(pads[3])};
  if (v.pending_pad) {
    p[0] += (*v.pending_pad)[0];
    p[1] += (*v.pending_pad)[1];
  }
  v.pending_pad = p;
  v.example_dims = {e[0], e[1] + 2 * pads[2], e[2] + 2 * pads[3]};
  c.set_output(0, std::move(v));
}

void split(OnnxConverter& c) {
  std::vector<std::int64_t> sizes;
  if (c.opset() < 13) {
    c.allow_attributes({"axis", "split"});
    sizes = c.ints_attribute("split");
  } else {
    c.allow_attributes({"axis"});
    if (c.has_input(1)) {
      const ConstantTensor& s = c.constant_input(1, "split");
      sizes = integers(c, s, "split");
    }
  }
  const Ref x = c.layer_input(0);
  const std::vector<std::int64_t> example = c.input(0).example_dims;
  if (normalized_axis(c, c.int_attribute("axis", 0), example.size() + 1) != 1)
    c.fail("axis " + std::to_string(c.int_attribute("axis", 0)) + ": netdim splits along the channel axis 1 only");
  const auto parts = static_cast<std::size_t>(c.node().output_size());
  const std::size_t channels = layer_shape(c, x)[0];
  if (parts == 0 || channels % parts) c.fail("its " + std::to_string(parts) + " outputs do not split " + std::to_string(channels) + " channels equally");
  for (const std::int64_t s : sizes)
    if (static_cast<std::size_t>(s) != channels / parts || sizes.size() != parts)
      c.fail("split " + dims_text(sizes) + ": netdim splits into equal parts only (torch.chunk)");
  for (std::size_t i = 0; i < parts; ++i) {
    if (c.readers_of_output(i) == 0) continue;
    const Ref out = c.architecture().chunk(x, parts, i);
    c.set_layer_output(out, dims_of(layer_shape(c, out)), i);
  }
}

void softmax(OnnxConverter& c) {
  c.allow_attributes({"axis"});
  const Ref x = c.layer_input(0);
  const std::size_t rank = c.input(0).example_dims.size() + 1;
  const std::int64_t axis = normalized_axis(c, c.int_attribute("axis", c.opset() < 13 ? 1 : -1), rank);
  // Before opset 13, Softmax flattens from `axis` on: the same as netdim's only on vectors.
  if (axis != 1 || (c.opset() < 13 && rank != 2))
    c.fail("axis " + std::to_string(c.int_attribute("axis", c.opset() < 13 ? 1 : -1)) +
           ": netdim's softmax runs along the channel (feature) axis 1");
  const Ref out = c.architecture().registered(x, "softmax", {}, c.layer_name());
  c.set_layer_output(out, c.input(0).example_dims);
}

void clip(OnnxConverter& c) {
  double lo = -FLT_MAX, hi = FLT_MAX;
  if (c.opset() < 11) {
    c.allow_attributes({"max", "min"});
    lo = c.float_attribute("min", lo);
    hi = c.float_attribute("max", hi);
  } else {
    c.allow_attributes({});
    for (std::size_t i = 1; i < 3; ++i)
      if (c.has_input(i)) {
        const ConstantTensor& t = c.constant_input(i, i == 1 ? "min" : "max");
        if (t.size() != 1) c.fail("its bounds are not scalars");
        (i == 1 ? lo : hi) = t.values[0];
      }
  }
  if (lo == 0 && hi == 6) return activation(c, nn::Activation::Relu6);
  if (lo == 0 && hi >= FLT_MAX) return activation(c, nn::Activation::Relu);
  c.fail("Clip(" + std::to_string(lo) + ", " + std::to_string(hi) + ") is neither relu (min 0) nor relu6 (min 0, max 6)");
}

void transpose(OnnxConverter& c) {
  c.allow_attributes({"perm"});
  const Value& in = c.input(0);
  if (!in.is_layer || !in.pending_shuffle || in.pending_shuffle->transposed ||
      c.ints_attribute("perm") != std::vector<std::int64_t>{0, 2, 1, 3, 4})
    c.fail("netdim reads Transpose only inside ShuffleNet's channel shuffle (Reshape to [N, g, c/g, h, w], "
           "Transpose [0, 2, 1, 3, 4], Reshape to [N, c, h, w])");
  Value v = in;
  v.pending_shuffle->transposed = true;
  std::swap(v.example_dims[0], v.example_dims[1]);
  c.set_output(0, std::move(v));
}

// Shape arithmetic: the shape of a layer's output (the batch size as kBatchSize), and what
// Gather, Unsqueeze, Squeeze, Cast and the arithmetic operators make of constants.
void shape(OnnxConverter& c) {
  if (c.opset() < 15) c.allow_attributes({});
  else c.allow_attributes({"end", "start"});
  const Value& in = c.input(0);
  std::vector<double> dims{kBatchSize};
  if (in.is_layer) {
    for (const std::int64_t d : in.example_dims) dims.push_back(static_cast<double>(d));
  } else {
    dims.assign(in.constant.dims.begin(), in.constant.dims.end());
  }
  const auto rank = static_cast<std::int64_t>(dims.size());
  const auto clamp = [&](std::int64_t v) { return std::clamp(v < 0 ? v + rank : v, std::int64_t{0}, rank); };
  const std::int64_t start = clamp(c.int_attribute("start", 0)), end = clamp(c.int_attribute("end", rank));
  Value v;
  v.constant.integral = true;
  for (std::int64_t i = start; i < end; ++i) v.constant.values.push_back(dims[static_cast<std::size_t>(i)]);
  v.constant.dims = {static_cast<std::int64_t>(v.constant.values.size())};
  c.set_output(0, std::move(v));
}

void gather(OnnxConverter& c) {
  c.allow_attributes({"axis"});
  if (c.input_is_layer(0)) c.fail("it gathers from a layer's output (an embedding); netdim gathers only in shape arithmetic");
  const ConstantTensor& data = c.constant_input(0, "data");
  const ConstantTensor& indices = c.constant_input(1, "indices");
  if (data.dims.size() != 1 || c.int_attribute("axis", 0) != 0 || indices.dims.size() > 1)
    c.fail("netdim folds Gather only of a vector (shape arithmetic) by a scalar or a vector of indices");
  Value v;
  v.constant.integral = data.integral;
  v.constant.dims = indices.dims;
  const auto n = static_cast<std::int64_t>(data.size());
  for (const std::int64_t k : integers(c, indices, "indices")) {
    if (k < -n || k >= n) c.fail("index " + std::to_string(k) + " is outside a vector of " + std::to_string(n));
    v.constant.values.push_back(data.values[static_cast<std::size_t>(k < 0 ? k + n : k)]);
  }
  c.set_output(0, std::move(v));
}

void unsqueeze_or_squeeze(OnnxConverter& c, bool unsqueeze) {
  std::vector<std::int64_t> axes;
  if (c.opset() < 13) {
    c.allow_attributes({"axes"});
    axes = c.ints_attribute("axes");
  } else {
    c.allow_attributes({});
    if (c.has_input(1)) {
      const ConstantTensor& a = c.constant_input(1, "axes");
      axes = integers(c, a, "axes");
    }
  }
  if (c.input_is_layer(0))
    c.fail(std::string("it ") + (unsqueeze ? "unsqueezes" : "squeezes") + " a layer's output; netdim does so only in shape arithmetic (Flatten is the nearest)");
  Value v;
  v.constant = c.input(0).constant;
  std::vector<std::int64_t>& dims = v.constant.dims;
  if (unsqueeze) {
    const std::size_t rank = dims.size() + axes.size();
    std::vector<std::int64_t> norm;
    for (const std::int64_t a : axes) norm.push_back(normalized_axis(c, a, rank));
    std::sort(norm.begin(), norm.end());
    for (const std::int64_t a : norm) dims.insert(dims.begin() + a, 1);
  } else {
    std::vector<std::int64_t> kept;
    for (std::size_t i = 0; i < dims.size(); ++i) {
      const bool named = axes.empty() ? dims[i] == 1
                                      : std::any_of(axes.begin(), axes.end(), [&](std::int64_t a) {
                                          return normalized_axis(c, a, dims.size()) == static_cast<std::int64_t>(i);
                                        });
      if (named && dims[i] != 1) c.fail("it squeezes axis " + std::to_string(i) + " of size " + std::to_string(dims[i]));
      if (!named) kept.push_back(dims[i]);
    }
    dims = kept;
  }
  c.set_output(0, std::move(v));
}

void cast(OnnxConverter& c) {
  c.allow_attributes({"to"});
  if (c.input_is_layer(0)) {  // a cast between float types is the identity on netdim's float64 or float32
    const std::int64_t to = c.int_attribute("to", 0);
    if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE && to != onnx::TensorProto::FLOAT16)
      c.fail("it casts a layer's output to a non-float type");
    const Ref x = c.layer_input(0);
    c.set_layer_output(x, c.input(0).example_dims);
    return;
  }
  Value v;
  v.constant = c.input(0).constant;
  const std::int64_t to = c.int_attribute("to", 0);
  const bool integral = to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE && to != onnx::TensorProto::FLOAT16;
  if (integral)
    for (double& x : v.constant.values)
      if (x != kBatchSize) x = to == onnx::TensorProto::BOOL ? (x != 0) : std::trunc(x);
  v.constant.integral = integral;
  c.set_output(0, std::move(v));
}

void arithmetic(OnnxConverter& c, const char* op) {
  c.allow_attributes({});
  if (c.input_is_layer(0) || c.input_is_layer(1))
    c.fail(std::string("it computes ") + op + " on a layer's output; nearest: a Conv or Gemm whose weights absorb the constant "
           "(export with do_constant_folding=True)");
  const ConstantTensor& a = c.input(0).constant;
  const ConstantTensor& b = c.input(1).constant;
  for (const ConstantTensor* t : {&a, &b})
    for (const double x : t->values)
      if (x == kBatchSize) c.fail("it computes with the batch size, which netdim leaves open");
  const bool integral = a.integral && b.integral;
  const std::string name(op);
  Value v;
  v.constant = fold(c, a, b, [&](double x, double y) {
    if (name == "Mul") return x * y;
    if (name == "Sub") return x - y;
    if (y == 0) c.fail("a division by zero");
    return integral ? std::trunc(x / y) : x / y;  // ONNX's integer division truncates
  });
  c.set_output(0, std::move(v));
}

// Slice: along the channels of a layer, one of equal parts (torch.chunk, as ShuffleNet exports
// it); of a constant vector, shape arithmetic.
void slice(OnnxConverter& c) {
  std::vector<std::int64_t> starts, ends, axes, steps;
  const auto ints_of = [&](std::size_t i, const char* role) {
    const ConstantTensor& t = c.constant_input(i, role);
    return integers(c, t, role);
  };
  if (c.opset() < 10) {
    c.allow_attributes({"axes", "ends", "starts"});
    starts = c.ints_attribute("starts");
    ends = c.ints_attribute("ends");
    axes = c.ints_attribute("axes");
  } else {
    c.allow_attributes({});
    starts = ints_of(1, "starts");
    ends = ints_of(2, "ends");
    if (c.has_input(3)) axes = ints_of(3, "axes");
    if (c.has_input(4)) steps = ints_of(4, "steps");
  }
  if (starts.size() != 1 || ends.size() != 1 || axes.size() > 1 || steps.size() > 1 || (!steps.empty() && steps[0] != 1))
    c.fail("netdim reads Slice of one axis with step 1 only");
  const Value& in = c.input(0);
  const std::size_t rank = in.is_layer ? in.example_dims.size() + 1 : in.constant.dims.size();
  const std::int64_t axis = normalized_axis(c, axes.empty() ? 0 : axes[0], rank);
  const std::int64_t size = in.is_layer ? (axis == 0 ? 0 : in.example_dims[static_cast<std::size_t>(axis - 1)])
                                        : in.constant.dims[static_cast<std::size_t>(axis)];
  const auto clamp = [&](std::int64_t v) { return std::clamp(v < 0 ? v + size : v, std::int64_t{0}, size); };
  const std::int64_t from = clamp(starts[0]), to = clamp(ends[0]);
  if (!in.is_layer) {
    if (rank != 1) c.fail("netdim folds Slice of constant vectors only");
    Value v;
    v.constant.integral = in.constant.integral;
    v.constant.values.assign(in.constant.values.begin() + from, in.constant.values.begin() + std::max(from, to));
    v.constant.dims = {static_cast<std::int64_t>(v.constant.values.size())};
    c.set_output(0, std::move(v));
    return;
  }
  const Ref x = c.layer_input(0);
  const std::int64_t part = to - from;
  if (axis != 1 || part <= 0 || size % part != 0 || from % part != 0)
    c.fail("it slices [" + std::to_string(from) + ", " + std::to_string(to) + ") of axis " + std::to_string(axis) +
           "; netdim reads a Slice only as one of equal parts along the channels (torch.chunk)");
  const Ref out = c.architecture().chunk(x, static_cast<std::size_t>(size / part), static_cast<std::size_t>(from / part), c.layer_name());
  c.set_layer_output(out, dims_of(layer_shape(c, out)));
}

using Converter = void (*)(OnnxConverter&);

const std::unordered_map<std::string, Converter>& operators() {
  static const std::unordered_map<std::string, Converter> table{
      {"Add", add},
      {"Cast", cast},
      {"Div", [](OnnxConverter& c) { arithmetic(c, "Div"); }},
      {"Gather", gather},
      {"Mul", [](OnnxConverter& c) { arithmetic(c, "Mul"); }},
      {"Shape", shape},
      {"Squeeze", [](OnnxConverter& c) { unsqueeze_or_squeeze(c, false); }},
      {"Sub", [](OnnxConverter& c) { arithmetic(c, "Sub"); }},
      {"Transpose", transpose},
      {"Unsqueeze", [](OnnxConverter& c) { unsqueeze_or_squeeze(c, true); }},
      {"AveragePool", [](OnnxConverter& c) { pool(c, false); }},
      {"BatchNormalization", batch_normalization},
      {"Clip", clip},
      {"Concat", concat},
      {"Constant", constant},
      {"Conv", conv},
      {"Dropout", dropout},
      {"Flatten", flatten},
      {"Gemm", gemm},
      {"GlobalAveragePool", global_average_pool},
      {"Identity", identity},
      {"LeakyRelu",
       [](OnnxConverter& c) {
         c.allow_attributes({"alpha"});
         activation(c, nn::Activation::LeakyRelu, c.float_attribute("alpha", 0.01));
       }},
      {"MatMul", matmul},
      {"MaxPool", [](OnnxConverter& c) { pool(c, true); }},
      {"Pad", pad},
      {"ReduceMean", reduce_mean},
      {"Relu", [](OnnxConverter& c) { c.allow_attributes({}); activation(c, nn::Activation::Relu); }},
      {"Reshape", reshape},
      {"Sigmoid", [](OnnxConverter& c) { c.allow_attributes({}); activation(c, nn::Activation::Sigmoid); }},
      {"Slice", slice},
      {"Softmax", softmax},
      {"Softplus", [](OnnxConverter& c) { c.allow_attributes({}); activation(c, nn::Activation::Softplus); }},
      {"Split", split},
      {"Tanh", [](OnnxConverter& c) { c.allow_attributes({}); activation(c, nn::Activation::Tanh); }},
  };
  return table;
}

// The nearest thing netdim has, for an operator it does not read.
std::string alternative(const std::string& op) {
  static const std::unordered_map<std::string, std::string> near{
      {"ConvTranspose", "Conv (netdim has no transposed convolution)"},
      {"GlobalMaxPool", "MaxPool with the image as its kernel"},
      {"Gelu", "an activation netdim has: Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)"},
      {"Elu", "an activation netdim has: Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)"},
      {"Selu", "an activation netdim has: Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)"},
      {"HardSigmoid", "an activation netdim has: Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)"},
      {"HardSwish", "an activation netdim has: Relu, LeakyRelu, Sigmoid, Tanh, Softplus, Clip(0, 6)"},
      {"PRelu", "LeakyRelu (one fixed slope)"},
      {"Sum", "Add"},
      {"LogSoftmax", "Softmax"},
      {"Upsample", "nothing: netdim has no upsampling"},
      {"Resize", "nothing: netdim has no upsampling"},
  };
  const auto it = near.find(op);
  return it != near.end() ? it->second : "";
}

}  // namespace

const std::vector<std::string>& supported_operators() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& [name, f] : operators()) v.push_back(name);
    std::sort(v.begin(), v.end());
    return v;
  }();
  return names;
}

void convert_operator(OnnxConverter& c) {
  const auto it = operators().find(c.node().op_type());
  if (it != operators().end()) return it->second(c);
  std::string message = "not an operator netdim reads";
  if (const std::string near = alternative(c.node().op_type()); !near.empty()) message += "; nearest: " + near;
  else {
    message += " (netdim reads";
    for (const std::string& n : supported_operators()) message += " " + n;
    message += ")";
  }
  c.fail(message);
}

}  // namespace netdim::interop
