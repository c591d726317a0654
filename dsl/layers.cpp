// The layer functions of the language: argument binding, attribute checks,
// defaults, and the calls of the nn::Architecture builders. Shape errors from
// nn become diagnostics at the call, with a hint where one helps.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "netdim/dsl/evaluator.hpp"
#include "netdim/dsl/suggest.hpp"
#include "netdim/nn/layer_type.hpp"
#include "netdim/nn/named_registry.hpp"

namespace netdim::dsl {
namespace {

constexpr std::int64_t kMaxSize = std::int64_t(1) << 32;  // any one size: units, channels, kernel, ...

using Slot = Evaluator::Slot;

struct Signature {
  std::vector<std::string> parameters;
  bool variadic = false;  // input, add, concat: any number of positional arguments
};

// The layer functions other than activations; each registered activation is a function too
// (activation_signature), listed after batch_norm.
const std::vector<std::pair<std::string, Signature>>& signatures() {
  static const std::vector<std::pair<std::string, Signature>> table{
      {"input", {{}, true}},
      {"dense", {{"x", "units", "activation", "slope", "bias", "weight_init", "bias_init"}}},
      {"conv2d", {{"x", "channels", "kernel", "stride", "padding", "dilation", "groups", "bias", "activation", "slope",
                   "weight_init", "bias_init"}}},
      {"max_pool2d", {{"x", "kernel", "stride", "padding", "ceil_mode"}}},
      {"avg_pool2d", {{"x", "kernel", "stride", "padding", "ceil_mode"}}},
      {"adaptive_avg_pool2d", {{"x", "size"}}},
      {"global_avg_pool", {{"x"}}},
      {"dropout", {{"x", "p"}}},
      {"channel_shuffle", {{"x", "groups"}}},
      {"chunk", {{"x", "chunks", "index"}}},
      {"flatten", {{"x"}}},
      {"batch_norm", {{"x"}}},
      {"add", {{}, true}},
      {"concat", {{}, true}},
      {"shortcut", {{"from", "to", "adapt"}}},
      {"projection", {{"x", "to"}}},
      {"sample", {{"x", "to"}}},
  };
  return table;
}

const Signature& activation_signature(nn::Activation a) {
  static const Signature plain{{"x"}}, with_slope{{"x", "slope"}};
  return a.kind().has_slope ? with_slope : plain;
}

// A registered layer type's function: its input, then its attributes in the type's order.
Signature registered_signature(const nn::LayerType& t) {
  Signature sig{{"x"}};
  for (const nn::AttributeSpec& a : t.attributes) sig.parameters.push_back(a.name);
  return sig;
}

std::optional<Signature> find_signature(const std::string& name) {
  for (const auto& [n, sig] : signatures())
    if (n == name) return sig;
  if (const auto a = nn::activation_from_name(name)) return activation_signature(*a);
  if (const auto t = nn::find_layer_type(name)) return registered_signature(nn::layer_type(*t));
  return std::nullopt;
}

std::string quote(const std::string& s) { return "`" + s + "`"; }

// "`slope` applies to activation=leaky_relu only", naming every activation that takes it.
std::string slope_rule() {
  std::string which;
  for (nn::Activation a : nn::registered_activations())
    if (a.kind().has_slope) which += (which.empty() ? "activation=" : " or activation=") + std::string(a.name());
  return "`slope` applies to " + which + " only";
}

// The arguments of one call, by parameter.
class Arguments {
 public:
  Arguments(Evaluator& ev, const std::string& function, const Signature& sig, const Expr& call,
            std::optional<Value> piped)
      : ev_(ev), function_(function), sig_(sig), call_(call) {
    slots_.resize(sig.parameters.size());
    cache_.resize(sig.parameters.size());
    for (Slot& s : slots_) s.span = call.span;
    std::size_t positional = 0;
    if (piped) {
      if (sig.variadic) {
        rest_.push_back(Slot{nullptr, std::move(piped), call.span});
      } else {
        slots_[0].piped = std::move(piped);
        ++positional;
      }
    }
    for (const Argument& a : call.arguments) {
      if (sig.variadic) {
        if (!a.keyword.empty()) ev_.fail(a.keyword_span, quote(function) + " takes no named arguments");
        rest_.push_back(Slot{a.value.get(), std::nullopt, a.value->span});
        continue;
      }
      std::size_t index = positional;
      if (a.keyword.empty()) {
        if (positional >= sig.parameters.size())
          ev_.fail(a.value->span, quote(function) + " takes at most " + std::to_string(sig.parameters.size()) +
                                      " arguments");
        ++positional;
      } else {
        const auto it = std::find(sig.parameters.begin(), sig.parameters.end(), a.keyword);
        if (it == sig.parameters.end()) {
          std::string hint = did_you_mean(a.keyword, sig.parameters);
          if (hint.empty()) {
            hint = quote(function) + " takes ";
            for (std::size_t i = 0; i < sig.parameters.size(); ++i)
              hint += (i ? ", " : "") + sig.parameters[i];
          }
          ev_.fail(a.keyword_span, quote(function) + " has no attribute " + quote(a.keyword), hint);
        }
        index = static_cast<std::size_t>(it - sig.parameters.begin());
      }
      if (slots_[index].present())
        ev_.fail(a.keyword.empty() ? a.value->span : a.keyword_span,
                 quote(sig.parameters[index]) + " is given twice");
      slots_[index] = Slot{a.value.get(), std::nullopt, a.value->span};
    }
  }

  std::size_t index(const std::string& name) const {
    const auto it = std::find(sig_.parameters.begin(), sig_.parameters.end(), name);
    return static_cast<std::size_t>(it - sig_.parameters.begin());
  }
  const Slot& operator[](const std::string& name) const { return slots_[index(name)]; }
  const std::vector<Slot>& rest() const { return rest_; }
  bool has(const std::string& name) const { return (*this)[name].present(); }

  // Each argument is evaluated once, however often it is read (an inline layer call must
  // not build its layer twice).
  Value value(const std::string& name) const {
    const std::size_t i = index(name);
    if (!cache_[i]) cache_[i] = slots_[i].piped ? *slots_[i].piped : ev_.evaluate(*slots_[i].expr);
    return *cache_[i];
  }
  Slot evaluated(const std::string& name) const {
    const Slot& s = (*this)[name];
    if (!s.present()) return s;
    return Slot{nullptr, value(name), s.span};
  }
  Value layer(const std::string& name) const { return ev_.require_layer(evaluated(name), what(name)); }
  std::size_t size(const std::string& name, std::int64_t min, std::optional<std::int64_t> fallback = {}) const {
    if (!has(name)) {
      if (fallback) return static_cast<std::size_t>(*fallback);
      ev_.fail(call_.span, quote(function_) + " needs " + quote(name), "for example `" + name + "=3`");
    }
    return static_cast<std::size_t>(ev_.require_int(evaluated(name), what(name), min, kMaxSize));
  }
  // An integer or a tuple of two: kernel=3, kernel=(3, 5).
  std::array<std::size_t, 2> pair(const std::string& name, std::int64_t min, std::optional<std::array<std::size_t, 2>> fallback) const {
    if (!has(name)) {
      if (fallback) return *fallback;
      ev_.fail(call_.span, quote(function_) + " needs " + quote(name), "for example `" + name + "=3`");
    }
    const Value v = value(name);
    if (v.kind == Value::Kind::Int) {
      const auto x = static_cast<std::size_t>(ev_.require_int(Slot{nullptr, v, v.span}, what(name), min, kMaxSize));
      return {x, x};
    }
    if (v.kind == Value::Kind::Tuple && v.tuple.size() == 2) {
      std::array<std::size_t, 2> out{};
      for (std::size_t i = 0; i < 2; ++i) {
        Value item;
        item.kind = Value::Kind::Int;
        item.integer = v.tuple[i];
        item.span = v.span;
        out[i] = static_cast<std::size_t>(ev_.require_int(Slot{nullptr, item, v.span}, what(name), min, kMaxSize));
      }
      return out;
    }
    ev_.fail(v.span, what(name) + " must be an integer or a pair `(height, width)`, found " + value_text(v));
  }
  bool boolean(const std::string& name, bool fallback) const {
    if (!has(name)) return fallback;
    const Value v = value(name);
    if (v.kind != Value::Kind::Bool)
      ev_.fail(v.span, what(name) + " must be true or false, found " + value_text(v));
    return v.boolean;
  }
  double real(const std::string& name, double fallback) const {
    if (!has(name)) return fallback;
    const Value v = value(name);
    if (v.kind == Value::Kind::Int) return static_cast<double>(v.integer);
    if (v.kind != Value::Kind::Real) ev_.fail(v.span, what(name) + " must be a number, found " + value_text(v));
    return v.real;
  }
  std::optional<nn::Activation> activation(const std::string& name) const {
    if (!has(name)) return std::nullopt;
    const Value v = value(name);
    if (v.kind == Value::Kind::Word)
      if (auto a = nn::activation_from_name(v.text)) return a;
    std::vector<std::string> names;
    for (nn::Activation a : nn::registered_activations()) names.emplace_back(a.name());
    const std::string hint = v.kind == Value::Kind::Word ? did_you_mean(v.text, names) : "";
    ev_.fail(v.span, v.kind == Value::Kind::Word ? "unknown activation " + quote(v.text) : what(name) + " must be an activation, found " + value_text(v),
             hint.empty() ? "one of " + nn::activation_names() : hint);
  }
  nn::Initializer init(const std::string& name) const {
    if (!has(name)) return {};
    const Value v = value(name);
    if (v.kind == Value::Kind::Init) return v.init;
    if (v.kind == Value::Kind::Word) {
      if (v.text == "pytorch_default") return nn::Initializer::pytorch_default();
      if (v.text == "he") return nn::Initializer::he();
      if (v.text == "glorot") return nn::Initializer::glorot();
      if (v.text == "zeros") return nn::Initializer::zeros();
    }
    const std::vector<std::string> names{"pytorch_default", "he", "glorot", "zeros", "normal", "uniform", "constant"};
    const std::string hint = v.kind == Value::Kind::Word ? did_you_mean(v.text, names) : "";
    ev_.fail(v.span, what(name) + " must be an initializer, found " + value_text(v),
             hint.empty() ? "one of pytorch_default, he, glorot, zeros, normal(sigma), uniform(a), constant(c)" : hint);
  }
  nn::Adapt adapt(const std::string& name) const {
    if (!has(name)) return nn::Adapt::Identity;
    const Value v = value(name);
    if (v.kind == Value::Kind::Word) {
      if (v.text == "identity") return nn::Adapt::Identity;
      if (v.text == "projection") return nn::Adapt::Projection;
      if (v.text == "sample") return nn::Adapt::Sample;
    }
    const std::string hint = v.kind == Value::Kind::Word ? did_you_mean(v.text, {"identity", "projection", "sample"}) : "";
    ev_.fail(v.span, what(name) + " must be identity, projection or sample, found " + value_text(v), hint);
  }
  std::string what(const std::string& name) const { return quote(name) + " of " + function_; }

 private:
  Evaluator& ev_;
  std::string function_;
  Signature sig_;
  const Expr& call_;
  std::vector<Slot> slots_;
  std::vector<Slot> rest_;
  mutable std::vector<std::optional<Value>> cache_;
};

// Tries an adaptation on a two-layer scratch graph: the stride it uses, or 0 when it does not apply.
std::size_t adaptation_stride(const Shape& from, const Shape& to, nn::Adapt adapt) {
  try {
    nn::Architecture scratch;
    const auto in = scratch.input(from);
    const auto r = adapt == nn::Adapt::Projection ? scratch.projection(in, to) : scratch.sample(in, to);
    return scratch.layer(r).window.stride[0];
  } catch (const std::exception&) {
    return 0;
  }
}

// "adapt it: `shortcut(x, b, adapt=projection)` (...) or `adapt=sample` (...)", or a reason why neither applies.
std::string adaptation_hint(const std::string& from, const std::string& to, const Shape& from_shape, const Shape& to_shape) {
  const std::size_t p = adaptation_stride(from_shape, to_shape, nn::Adapt::Projection);
  const std::size_t s = adaptation_stride(from_shape, to_shape, nn::Adapt::Sample);
  const std::string call = "shortcut(" + from + ", " + to + ", adapt=";
  const bool image = to_shape.size() == 3;
  std::string projection = image ? "a learned 1x1 convolution with stride " + std::to_string(p) : "a learned dense map without bias";
  std::string sample = image ? "sampling with stride " + std::to_string(s) + " plus zero channels, no parameters"
                             : "strided features or zero padding, no parameters";
  if (p && s) return "adapt the shortcut explicitly: `" + call + "projection)` (" + projection + ") or `adapt=sample` (" + sample + ")";
  if (p) return "adapt the shortcut explicitly: `" + call + "projection)` (" + projection + ")";
  if (s) return "adapt the shortcut explicitly: `" + call + "sample)` (" + sample + ")";
  return "no shortcut adaptation maps " + shape_string(from_shape) + " onto " + shape_string(to_shape) +
         "; change the layers so the shapes agree";
}

std::string plain(const std::string& label) {
  std::string s = label;
  s.erase(std::remove(s.begin(), s.end(), '`'), s.end());
  return s;
}

class LayerBuilder {
 public:
  LayerBuilder(Evaluator& ev, const std::string& function, const Expr& call, std::optional<Value> piped)
      : ev_(ev), arch_(ev.architecture()), function_(function), call_(call),
        args_(ev, function, *find_signature(function), call, std::move(piped)), as_(ev.as_text(call)) {}

  Value build() {
    try {
      return dispatch();
    } catch (const ShapeError& e) {
      ev_.fail(call_.span, function_ + ": " + strip_prefix(e.what()), shape_hint());
    } catch (const std::invalid_argument& e) {  // a duplicate name or a malformed graph: report, never crash
      ev_.fail(call_.span, function_ + ": " + strip_prefix(e.what()));
    }
  }

 private:
  // nn's messages start with the operation ("dense: ..."); the diagnostic says it once.
  std::string strip_prefix(std::string m) const {
    for (const std::string& p : {function_ + ": ", std::string(nn::layer_kind_name(kind_guess())) + ": "})
      if (m.rfind(p, 0) == 0) return m.substr(p.size());
    return m;
  }
  nn::LayerKind kind_guess() const {
    if (function_ == "max_pool2d") return nn::LayerKind::MaxPool2d;
    if (function_ == "avg_pool2d") return nn::LayerKind::AvgPool2d;
    return nn::LayerKind::Input;
  }
  std::string shape_hint() const {
    if (function_ == "dense") return "flatten it first: `x | flatten | dense(...)`, or pool it: `| global_avg_pool`";
    if (function_ == "conv2d" || function_ == "max_pool2d" || function_ == "avg_pool2d" || function_ == "global_avg_pool" ||
        function_ == "adaptive_avg_pool2d" || function_ == "channel_shuffle")
      return "images are [channels, height, width]: declare `input(channels, height, width)`";
    return "";
  }

  // A name for a layer made by this call: the `as` name for the main layer, `as`.kind for
  // the extra ones (activation, shortcut), else the automatic kind + counter.
  std::string name(const std::string& prefix, bool main) {
    if (as_.empty()) return ev_.layer_name(prefix, "", call_.span);
    return ev_.layer_name(prefix, main ? as_ : as_ + "." + prefix, call_.as_span);
  }
  // An activation layer's name: `relu6_1`, not `relu61` (see nn::activation_layer_prefix); `fc.relu6` with `as`.
  std::string activation_name(nn::Activation a, bool main) {
    const std::string kind(nn::activation_name(a));
    if (as_.empty()) return ev_.layer_name(nn::activation_layer_prefix(a), "", call_.span);
    return ev_.layer_name(kind, main ? as_ : as_ + "." + kind, call_.as_span);
  }
  Value done(std::size_t ref) { return ev_.finish_layer(ref, call_.span, function_ + "(...)"); }

  Value with_activation(Value layer, const Value& input) {
    const auto act = args_.activation("activation");
    const double slope = args_.real("slope", 0.01);
    if (args_.has("slope") && !(act && act->kind().has_slope)) ev_.fail(args_["slope"].span, slope_rule());
    if (!act) return layer;
    Value out = done(arch_.activation(layer.layer, *act, slope, activation_name(*act, false)));
    // The network-wide switch: a shortcut after each dense layer with an activation.
    if (function_ == "dense" && ev_.shortcut_mode() != ShortcutMode::None) {
      Value from = ev_.shortcut_mode() == ShortcutMode::AddShortcuts ? input : network_input();
      out = shortcut(from, out, ev_.shortcut_adapt(), false);
    }
    return out;
  }

  Value network_input() {
    Value v;
    v.kind = Value::Kind::Layer;
    v.layer = 0;
    v.span = call_.span;
    v.origin = call_.span;
    v.label = "the network input";
    return v;
  }

  // to + adapt(from), as nn::Architecture::shortcut, with names of our own.
  Value shortcut(const Value& from, const Value& to, nn::Adapt adapt, bool main) {
    const Shape& fs = ev_.layer_of(from).shape;
    const Shape& ts = ev_.layer_of(to).shape;
    std::size_t adapted = from.layer;
    if (adapt == nn::Adapt::Identity && fs != ts) {
      Diagnostic& d = shape_mismatch("shortcut needs equal shapes for adapt=identity: " + ev_.describe_shape_source(from) +
                                         " but " + ev_.describe_shape_source(to),
                                     adaptation_hint(plain(from.label), plain(to.label), fs, ts), {from, to});
      (void)d;
      throw Abandoned{};
    }
    if (adapt == nn::Adapt::Projection) adapted = done(arch_.projection(from.layer, ts, name("proj", false))).layer;
    if (adapt == nn::Adapt::Sample) adapted = done(arch_.sample(from.layer, ts, name("sample", false))).layer;
    return done(arch_.add({to.layer, adapted}, name("add", main)));
  }

  Diagnostic& shape_mismatch(const std::string& message, const std::string& hint, std::vector<Value> values) {
    Diagnostic& d = ev_.diagnostics().error(call_.span, message, hint);
    for (const Value& v : values)
      if (v.origin.source)
        ev_.diagnostics().note(d, v.origin, v.label + " is " + shape_string(ev_.layer_of(v).shape) + ", made here");
    return d;
  }

  // The rank a layer function needs, checked here so that the message names the DSL value.
  void require_rank(const Value& x, std::size_t rank) {
    const Shape& shape = ev_.layer_of(x).shape;
    if (shape.size() == rank) return;
    if (rank == 1)
      ev_.fail(call_.span, function_ + " needs a vector [features], but " + ev_.describe_shape_source(x),
               "flatten it first: `" + plain(x.label) + " | flatten | " + function_ + "(...)`, or pool it: `| global_avg_pool`");
    ev_.fail(call_.span, function_ + " needs an image [channels, height, width], but " + ev_.describe_shape_source(x),
             "declare image inputs as `input(channels, height, width)`");
  }

  Value dispatch() {
    const std::string& f = function_;
    if (f == "dense") require_rank(args_.layer("x"), 1);
    if (f == "conv2d" || f == "max_pool2d" || f == "avg_pool2d" || f == "global_avg_pool" || f == "adaptive_avg_pool2d" ||
        f == "channel_shuffle")
      require_rank(args_.layer("x"), 3);
    if (f == "input") return input();
    if (f == "dense") {
      const Value x = args_.layer("x");
      nn::DenseOptions o;
      const std::size_t units = args_.size("units", 1);
      o.bias = args_.boolean("bias", true);
      o.weight_init = args_.init("weight_init");
      o.bias_init = args_.init("bias_init");
      if (args_.has("bias_init") && !o.bias) ev_.fail(args_["bias_init"].span, "`bias_init` given, but bias=false");
      o.name = name("dense", true);
      return with_activation(done(arch_.dense(x.layer, units, o)), x);
    }
    if (f == "conv2d") {
      const Value x = args_.layer("x");
      nn::Conv2dOptions o;
      o.out_channels = args_.size("channels", 1);
      o.window.kernel = args_.pair("kernel", 1, std::nullopt);
      o.window.stride = args_.pair("stride", 1, std::array<std::size_t, 2>{1, 1});
      o.window.padding = args_.pair("padding", 0, std::array<std::size_t, 2>{0, 0});
      o.window.dilation = args_.pair("dilation", 1, std::array<std::size_t, 2>{1, 1});
      o.groups = args_.size("groups", 1, 1);
      o.bias = args_.boolean("bias", true);
      o.weight_init = args_.init("weight_init");
      o.bias_init = args_.init("bias_init");
      if (args_.has("bias_init") && !o.bias) ev_.fail(args_["bias_init"].span, "`bias_init` given, but bias=false");
      o.name = name("conv", true);
      return with_activation(done(arch_.conv2d(x.layer, o)), x);
    }
    if (f == "max_pool2d" || f == "avg_pool2d") {
      const Value x = args_.layer("x");
      nn::Window2d w;
      w.kernel = args_.pair("kernel", 1, std::nullopt);
      w.stride = args_.pair("stride", 1, w.kernel);  // PyTorch: the stride defaults to the kernel
      w.padding = args_.pair("padding", 0, std::array<std::size_t, 2>{0, 0});
      const bool ceil_mode = args_.boolean("ceil_mode", false);
      if (f == "max_pool2d") return done(arch_.max_pool2d(x.layer, w, name("maxpool", true), ceil_mode));
      return done(arch_.avg_pool2d(x.layer, w, name("avgpool", true), ceil_mode));
    }
    if (f == "adaptive_avg_pool2d") {
      const Value x = args_.layer("x");
      const auto size = args_.pair("size", 1, std::nullopt);
      return done(arch_.adaptive_avg_pool2d(x.layer, size, name("adaptive_avgpool", true)));
    }
    if (f == "dropout") {
      const Value x = args_.layer("x");
      const double p = args_.real("p", 0.5);
      if (!(p >= 0.0 && p <= 1.0))
        ev_.fail(args_["p"].span, "`p` of dropout must be between 0 and 1, found " + value_text(args_.value("p")),
                 "for example `p=0.5`");
      return done(arch_.dropout(x.layer, p, name("dropout", true)));
    }
    if (f == "channel_shuffle") {
      const Value x = args_.layer("x");
      const std::size_t groups = args_.size("groups", 1);
      const std::size_t c = ev_.layer_of(x).shape[0];
      if (c % groups != 0)
        ev_.fail(args_["groups"].span,
                 "`groups` of channel_shuffle is " + std::to_string(groups) + ", which does not divide the " +
                     std::to_string(c) + " channels: " + ev_.describe_shape_source(x),
                 "channel_shuffle views the channels as (groups, channels / groups)");
      return done(arch_.channel_shuffle(x.layer, groups, name("shuffle", true)));
    }
    if (f == "chunk") {
      const Value x = args_.layer("x");
      const std::size_t chunks = args_.size("chunks", 1);
      const std::size_t index = args_.size("index", 0);
      const std::size_t c = ev_.layer_of(x).shape[0];
      if (c % chunks != 0)
        ev_.fail(args_["chunks"].span,
                 "`chunks` of chunk is " + std::to_string(chunks) + ", which does not divide the " + std::to_string(c) +
                     " channels: " + ev_.describe_shape_source(x),
                 "chunk takes equal parts along the first (channel) axis");
      if (index >= chunks)
        ev_.fail(args_["index"].span,
                 "`index` of chunk is " + std::to_string(index) + ", but there are only " + std::to_string(chunks) +
                     " chunks",
                 "the index counts from 0: 0 to " + std::to_string(chunks - 1));
      return done(arch_.chunk(x.layer, chunks, index, name("chunk", true)));
    }
    if (f == "global_avg_pool") return done(arch_.global_avg_pool(args_.layer("x").layer, name("gap", true)));
    if (f == "flatten") return done(arch_.flatten(args_.layer("x").layer, name("flatten", true)));
    if (f == "batch_norm") return done(arch_.batch_norm(args_.layer("x").layer, name("bn", true)));
    if (const auto act = nn::activation_from_name(f)) {
      const Value x = args_.layer("x");
      const double slope = act->kind().has_slope ? args_.real("slope", 0.01) : 0.01;
      return done(arch_.activation(x.layer, *act, slope, activation_name(*act, true)));
    }
    if (const auto type = nn::find_layer_type(f)) return registered(nn::layer_type(*type));
    if (f == "add" || f == "concat") return join();
    if (f == "shortcut") {
      const Value from = args_.layer("from");
      const Value to = args_.layer("to");
      return shortcut(from, to, args_.adapt("adapt"), true);
    }
    if (f == "projection" || f == "sample") {
      const Value x = args_.layer("x");
      const Value to = args_.layer("to");
      const Shape target = ev_.layer_of(to).shape;
      if (f == "projection") return done(arch_.projection(x.layer, target, name("proj", true)));
      return done(arch_.sample(x.layer, target, name("sample", true)));
    }
    ev_.fail(call_.name_span, "unknown function " + quote(f));
  }

  Value input() {
    if (!arch_.layers().empty()) {
      Diagnostic& d = ev_.diagnostics().error(call_.span, "the network already has an input",
                                              "a network has one input; refer to it by its name");
      ev_.diagnostics().note(d, ev_.input_span(), "the input is defined here");
      throw Abandoned{};
    }
    const std::vector<Slot>& dims = args_.rest();
    if (dims.empty() || dims.size() > 3)
      ev_.fail(call_.span, "input takes 1 to 3 sizes: `input(features)` or `input(channels, height, width)`");
    if (dims.size() == 2)
      ev_.fail(call_.span, "input takes 1 or 3 sizes", "an image is `input(channels, height, width)`");
    Shape shape;
    for (const Slot& s : dims) shape.push_back(static_cast<std::size_t>(ev_.require_int(s, "an input size", 1, kMaxSize)));
    ev_.set_input_span(call_.span);
    return done(arch_.input(shape, name("input", true)));
  }

  // A layer of a registered type: each attribute read by its declared type and range.
  Value registered(const nn::LayerType& t) {
    const Value x = args_.layer("x");
    nn::LayerAttributes attributes;
    for (const nn::AttributeSpec& a : t.attributes) {
      if (!args_.has(a.name)) continue;  // the type's default
      const double lo = std::isfinite(a.min) ? a.min : -1e300, hi = std::isfinite(a.max) ? a.max : 1e300;
      switch (a.type) {
        case nn::AttributeType::Integer: {
          // A size or a count (nn::AttributeType::Integer): from 0 to 2^53 whatever the range.
          const auto min = static_cast<std::int64_t>(std::max(std::ceil(lo), 0.0));
          const auto max = static_cast<std::int64_t>(std::min(std::floor(hi), 9007199254740992.0));
          attributes.set(a.name, static_cast<double>(ev_.require_int(args_.evaluated(a.name), args_.what(a.name), min, max)));
          break;
        }
        case nn::AttributeType::Pair: {
          const std::array<std::size_t, 2> v = args_.pair(a.name, static_cast<std::int64_t>(std::max(std::ceil(lo), 0.0)), std::nullopt);
          for (std::size_t e : v)
            if (static_cast<double>(e) > hi)
              ev_.fail(args_[a.name].span, args_.what(a.name) + " is at most " + value_number(hi) + ", found " +
                                              std::to_string(e));
          attributes.set(a.name, v);
          break;
        }
        case nn::AttributeType::Boolean:
          attributes.set(a.name, args_.boolean(a.name, false) ? 1.0 : 0.0);
          break;
        case nn::AttributeType::Real: {
          const double v = args_.real(a.name, 0);
          if (!std::isfinite(v))
            ev_.fail(args_[a.name].span, args_.what(a.name) + " must be a finite number, found " + value_text(args_.value(a.name)));
          if (!(v >= a.min && v <= a.max))
            ev_.fail(args_[a.name].span, args_.what(a.name) + " must be between " + value_number(a.min) + " and " +
                                            value_number(a.max) + ", found " + value_text(args_.value(a.name)),
                     a.summary.empty() ? "" : a.name + ": " + a.summary);
          attributes.set(a.name, v);
          break;
        }
      }
    }
    return done(arch_.registered(x.layer, t.name, attributes, name(nn::automatic_name_prefix(t.name), true)));
  }

  static std::string value_number(double v) {
    char buf[64];
    const auto [end, error] = std::to_chars(buf, buf + sizeof buf, v);
    return error == std::errc() ? std::string(buf, end) : std::string("?");
  }

  Value join() {
    const std::vector<Slot>& parts = args_.rest();
    if (parts.size() < 2) ev_.fail(call_.span, quote(function_) + " needs at least two layers");
    std::vector<Value> values;
    for (const Slot& s : parts) values.push_back(ev_.require_layer(s, "an input of " + function_));
    std::vector<std::size_t> refs;
    for (const Value& v : values) refs.push_back(v.layer);
    if (function_ == "add") {
      const Shape& first = ev_.layer_of(values[0]).shape;
      for (std::size_t i = 1; i < values.size(); ++i) {
        const Shape& other = ev_.layer_of(values[i]).shape;
        if (other == first) continue;
        shape_mismatch("add needs equal shapes: " + ev_.describe_shape_source(values[0]) + " but " +
                           ev_.describe_shape_source(values[i]),
                       adaptation_hint(plain(values[i].label), plain(values[0].label), other, first),
                       {values[0], values[i]});
        throw Abandoned{};
      }
      return done(arch_.add(refs, name("add", true)));
    }
    return done(arch_.concat(refs, name("concat", true)));
  }

  Evaluator& ev_;
  nn::Architecture& arch_;
  std::string function_;
  const Expr& call_;
  Arguments args_;
  std::string as_;
};

}  // namespace

bool is_layer_function(const std::string& name) { return name != "input" && find_signature(name).has_value(); }

std::vector<std::string> layer_function_names() {
  std::vector<std::string> out;
  for (const auto& [n, sig] : signatures()) {
    if (n != "input") out.push_back(n);
    if (n == "batch_norm")
      for (nn::Activation a : nn::registered_activations()) out.emplace_back(a.name());
  }
  for (std::uint32_t t : nn::registered_layer_types()) out.push_back(nn::layer_type(t).name);
  return out;
}

Value build_layer(Evaluator& ev, const std::string& name, const Expr& call, std::optional<Value> piped) {
  LayerBuilder builder(ev, name, call, std::move(piped));
  return builder.build();
}

}  // namespace netdim::dsl
