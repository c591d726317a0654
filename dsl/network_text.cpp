// An nn::Architecture written in the language: one statement per layer, every layer named with
// `as`, so that loading the text builds the same layers under the same names (same fingerprint).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>
#include <sstream>
#include <stdexcept>

#include "netdim/dsl/dsl.hpp"
#include "netdim/nn/activation.hpp"
#include "netdim/nn/layer_type.hpp"

namespace netdim::dsl {

namespace {

using nn::Layer;
using nn::LayerKind;

// The shortest decimal that reads back to the same double, in the language's number syntax.
std::string number(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, r.ptr);
  // to_chars writes "1e-05" (valid) and "5" (an integer, valid where a number is expected).
  return s;
}

std::string pair_or_one(const std::array<std::size_t, 2>& p) {
  if (p[0] == p[1]) return std::to_string(p[0]);
  return "(" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ")";
}

bool is_word(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_')) return false;
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

bool reserved(const std::string& w) {
  static const std::set<std::string> words{"netdim", "include", "shortcuts", "block", "for", "in", "return", "as",
                                           "true", "false", "input", "normal", "uniform", "constant"};
  return words.count(w) || nn::is_layer_word(w) || nn::activation_from_name(w).has_value();
}

// A name the language can write after `as`: dotted words and numbers, the first a word.
bool writable_name(const std::string& s) {
  std::size_t i = 0;
  bool first = true;
  while (true) {
    const std::size_t end = std::min(s.find('.', i), s.size());
    const std::string piece = s.substr(i, end - i);
    const bool digits = !piece.empty() && piece.find_first_not_of("0123456789") == std::string::npos;
    if (!(is_word(piece) || (digits && !first))) return false;
    if (end == s.size()) return true;
    first = false;
    i = end + 1;
  }
}

std::string initializer_argument(const char* what, const nn::Initializer& init) {
  using K = nn::Initializer::Kind;
  std::string text;
  switch (init.kind) {
    case K::PyTorchDefault: return "";
    case K::He: text = "he"; break;
    case K::Glorot: text = "glorot"; break;
    case K::Zeros: text = "zeros"; break;
    case K::Normal: text = "normal(" + number(init.value) + ")"; break;
    case K::Uniform: text = "uniform(" + number(init.value) + ")"; break;
    case K::Constant: text = "constant(" + number(init.value) + ")"; break;
  }
  return std::string(", ") + what + "=" + text;
}

}  // namespace

std::string write_network(const nn::Architecture& architecture, const std::string& comment) {
  const std::vector<Layer>& layers = architecture.layers();
  std::ostringstream os;
  os << "netdim 1\n";
  std::istringstream lines(comment);
  for (std::string line; std::getline(lines, line);) os << "# " << line << "\n";

  // A variable per layer: its name with dots as underscores when that is a free word, else l<index>.
  std::vector<std::string> var(layers.size());
  std::set<std::string> used;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    std::string v = i == 0 ? "x" : layers[i].name;
    for (char& c : v)
      if (c == '.') c = '_';
    if (!is_word(v) || reserved(v) || used.count(v)) v = "l" + std::to_string(i);
    while (used.count(v)) v += "_";
    used.insert(v);
    var[i] = v;
  }
  const auto in = [&](const Layer& l, std::size_t k = 0) { return var[l.inputs.at(k)]; };

  for (std::size_t i = 0; i < layers.size(); ++i) {
    const Layer& l = layers[i];
    if (i > 0 && !writable_name(l.name))
      throw std::invalid_argument("layer '" + l.name + "' has a name the language cannot write");
    std::string call;
    switch (l.kind) {
      case LayerKind::Input: {
        if (l.shape.size() != 1 && l.shape.size() != 3)
          throw std::invalid_argument("the input has shape " + shape_string(l.shape) +
                                      "; the language's inputs are [n] or [c, h, w]");
        call = "input(";
        for (std::size_t k = 0; k < l.shape.size(); ++k) call += (k ? ", " : "") + std::to_string(l.shape[k]);
        call += ")";
        break;
      }
      case LayerKind::Dense:
        call = "dense(" + in(l) + ", " + std::to_string(l.units) + (l.bias ? "" : ", bias=false") +
               initializer_argument("weight_init", l.weight_init) + (l.bias ? initializer_argument("bias_init", l.bias_init) : "") + ")";
        break;
      case LayerKind::Conv2d: {
        const nn::Window2d& w = l.window;
        call = "conv2d(" + in(l) + ", " + std::to_string(l.units) + ", kernel=" + pair_or_one(w.kernel);
        if (w.stride != std::array<std::size_t, 2>{1, 1}) call += ", stride=" + pair_or_one(w.stride);
        if (w.padding != std::array<std::size_t, 2>{0, 0}) call += ", padding=" + pair_or_one(w.padding);
        if (w.dilation != std::array<std::size_t, 2>{1, 1}) call += ", dilation=" + pair_or_one(w.dilation);
        if (l.groups != 1) call += ", groups=" + std::to_string(l.groups);
        if (!l.bias) call += ", bias=false";
        call += initializer_argument("weight_init", l.weight_init) + (l.bias ? initializer_argument("bias_init", l.bias_init) : "") + ")";
        break;
      }
      case LayerKind::MaxPool2d:
      case LayerKind::AvgPool2d: {
        const nn::Window2d& w = l.window;
        call = std::string(l.kind == LayerKind::MaxPool2d ? "max_pool2d(" : "avg_pool2d(") + in(l) +
               ", kernel=" + pair_or_one(w.kernel) + ", stride=" + pair_or_one(w.stride);
        if (w.padding != std::array<std::size_t, 2>{0, 0}) call += ", padding=" + pair_or_one(w.padding);
        if (w.dilation != std::array<std::size_t, 2>{1, 1})
          throw std::invalid_argument("layer '" + l.name + "': a dilated pooling, which the language cannot write");
        if (l.ceil_mode) call += ", ceil_mode=true";
        call += ")";
        break;
      }
      case LayerKind::AdaptiveAvgPool2d:
        call = "adaptive_avg_pool2d(" + in(l) + ", " + pair_or_one({l.shape[1], l.shape[2]}) + ")";
        break;
      case LayerKind::GlobalAvgPool: call = "global_avg_pool(" + in(l) + ")"; break;
      case LayerKind::Flatten: call = "flatten(" + in(l) + ")"; break;
      case LayerKind::BatchNorm:
        call = "batch_norm(" + in(l) + initializer_argument("weight_init", l.weight_init) +
               initializer_argument("bias_init", l.bias_init) + ")";
        break;
      case LayerKind::Activation:
        call = std::string(nn::activation_name(l.activation)) + "(" + in(l) +
               (l.activation.kind().has_slope ? ", slope=" + number(l.slope) : "") + ")";
        break;
      case LayerKind::Add:
      case LayerKind::Concat:
        call = l.kind == LayerKind::Add ? "add(" : "concat(";
        for (std::size_t k = 0; k < l.inputs.size(); ++k) call += (k ? ", " : "") + in(l, k);
        call += ")";
        break;
      case LayerKind::Projection:
      case LayerKind::Sample: {
        // The target is the layer the adaptation is added to: the other input of the add that reads it.
        std::string to;
        for (std::size_t j = i + 1; j < layers.size() && to.empty(); ++j)
          if (layers[j].kind == LayerKind::Add)
            for (const std::size_t a : layers[j].inputs)
              if (a != i && layers[a].shape == l.shape && std::count(layers[j].inputs.begin(), layers[j].inputs.end(), i)) to = var[a];
        if (to.empty()) throw std::invalid_argument("layer '" + l.name + "': an adaptation whose target the language cannot name");
        call = std::string(l.kind == LayerKind::Projection ? "projection(" : "sample(") + in(l) + ", " + to + ")";
        if (l.kind == LayerKind::Projection && l.weight_init.kind != nn::Initializer::Kind::PyTorchDefault)
          throw std::invalid_argument("layer '" + l.name + "': a projection with its own initialiser, which the language cannot write");
        break;
      }
      case LayerKind::Dropout: call = "dropout(" + in(l) + ", p=" + number(l.p) + ")"; break;
      case LayerKind::ChannelShuffle: call = "channel_shuffle(" + in(l) + ", " + std::to_string(l.groups) + ")"; break;
      case LayerKind::Chunk:
        call = "chunk(" + in(l) + ", " + std::to_string(l.chunks) + ", " + std::to_string(l.chunk) + ")";
        break;
      case LayerKind::Registered: {
        call = std::string(nn::layer_type(l.type).name) + "(" + in(l);
        for (const nn::AttributeValue& v : l.attributes.values()) {
          call += ", " + v.name + "=";
          switch (v.type) {
            case nn::AttributeType::Boolean: call += v.value[0] != 0 ? "true" : "false"; break;
            case nn::AttributeType::Integer: call += std::to_string(static_cast<std::uint64_t>(v.value[0])); break;
            case nn::AttributeType::Pair:
              call += pair_or_one({static_cast<std::size_t>(v.value[0]), static_cast<std::size_t>(v.value[1])});
              break;
            case nn::AttributeType::Real: call += number(v.value[0]); break;
          }
        }
        call += ")";
        break;
      }
    }
    os << var[i] << " = " << call;
    if (i > 0) os << " as " << l.name;
    os << "\n";
  }
  return os.str();
}

}  // namespace netdim::dsl
