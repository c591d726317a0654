#include "netdim/dsl/evaluator.hpp"

#include <algorithm>
#include <charconv>

#include "netdim/autodiff/checked.hpp"
#include "netdim/dsl/parser.hpp"
#include "netdim/dsl/read_file.hpp"
#include "netdim/dsl/suggest.hpp"

namespace netdim::dsl {
namespace {

// Words that mean something as attribute values besides the activations' names.
const std::vector<std::string>& enum_words() {
  static const std::vector<std::string> words{"projection", "sample",          "none", "add_shortcuts", "add_inputs",
                                              "pytorch_default", "he",         "glorot", "zeros"};
  return words;
}

bool is_enum_word(const std::string& w) {
  const auto& words = enum_words();
  return std::find(words.begin(), words.end(), w) != words.end() || nn::activation_from_name(w).has_value();
}

bool is_initializer_function(const std::string& name) {
  return name == "normal" || name == "uniform" || name == "constant";
}

std::string quote(const std::string& s) { return "`" + s + "`"; }

}  // namespace

std::string kind_name(Value::Kind k) {
  switch (k) {
    case Value::Kind::None: return "nothing";
    case Value::Kind::Int: return "an integer";
    case Value::Kind::Real: return "a number";
    case Value::Kind::Bool: return "true or false";
    case Value::Kind::String: return "a string";
    case Value::Kind::Word: return "a word";
    case Value::Kind::Tuple: return "a tuple";
    case Value::Kind::Init: return "an initializer";
    case Value::Kind::Layer: return "a layer";
    case Value::Kind::Poison: return "an error";
  }
  return "a value";
}

std::string value_text(const Value& v) {
  const bool named = !v.label.empty() && v.label[0] == '`';
  switch (v.kind) {
    case Value::Kind::Int: return (named ? v.label + " = " : "") + std::to_string(v.integer);
    case Value::Kind::Real: {
      char buffer[64];
      const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, v.real);
      return (named ? v.label + " = " : "") + (error == std::errc() ? std::string(buffer, end) : std::string("a number"));
    }
    case Value::Kind::Bool: return v.boolean ? "true" : "false";
    case Value::Kind::Word: return "the word " + quote(v.text);
    case Value::Kind::String:
      return "the string \"" + (v.text.size() > 40 ? v.text.substr(0, 40) + "...": v.text) + "\"";
    case Value::Kind::Tuple: {
      std::string out = "(";
      for (std::size_t i = 0; i < v.tuple.size(); ++i) out += (i ? ", " : "") + std::to_string(v.tuple[i]);
      return out + ")";
    }
    case Value::Kind::Layer: return "a layer" + (v.label.empty() ? std::string() : " (" + v.label + ")");
    default: return kind_name(v.kind);
  }
}

void Evaluator::fail(const Span& at, std::string message, std::string hint) {
  diagnostics_.error(at, std::move(message), std::move(hint));
  throw Abandoned{};
}

void Evaluator::too_deep(const Span& at) {
  fail(at, "block calls and loops are nested deeper than " + std::to_string(limits_.max_nesting) + " levels",
       "each block call and loop running inside another counts one level (dsl::Limits::max_nesting)");
}

void Evaluator::step(const Span& at) {
  if (++steps_ > limits_.max_steps)
    fail(at, "evaluation takes more than " + std::to_string(limits_.max_steps) +
                 " steps (statements, loop iterations and expression terms)",
         "this limit keeps every file finite (dsl::Limits::max_steps)");
}

void Evaluator::fail_total(const Span& at, std::string message, std::string hint) {
  stopped_ = true;
  fail(at, std::move(message), std::move(hint));
}

void Evaluator::charge_names(std::size_t bytes, const Span& at) {
  if (bytes > limits_.max_name_bytes || name_bytes_ > limits_.max_name_bytes - bytes)
    fail_total(at,
               "layer names add up to more than " + std::to_string(limits_.max_name_bytes) + " bytes (this name is " +
                   std::to_string(bytes) + " bytes, after " + std::to_string(name_bytes_) + ")",
               "shorten the names given with `as`; this limit keeps every load finite (dsl::Limits::max_name_bytes "
               "counts every layer name and block instance prefix)");
  name_bytes_ += bytes;
}

// --- names ------------------------------------------------------------------

const Evaluator::Binding* Evaluator::lookup(const std::string& name) const {
  for (const Scope* s = scope_; s;) {
    const auto it = s->names.find(name);
    if (it != s->names.end()) return &it->second;
    s = s->type == Scope::Type::Frame ? &global_ : s->parent;
  }
  return nullptr;
}

std::vector<std::string> Evaluator::visible_names() const {
  std::vector<std::string> out;
  for (const Scope* s = scope_; s;) {
    for (const auto& [name, binding] : s->names) out.push_back(name);
    s = s->type == Scope::Type::Frame ? &global_ : s->parent;
  }
  for (const auto& [name, block] : blocks_) out.push_back(name);
  std::sort(out.begin(), out.end());  // hints must not depend on hash order
  return out;
}

void Evaluator::unknown_name(const Value& word, const std::string& what) {
  if (is_layer_function(word.text))
    fail(word.span, quote(word.text) + " is a layer function, not " + what,
         "call it: `" + word.text + "(x)`, or put it in a pipe: `x | " + word.text + "`");
  if (blocks_.count(word.text)) fail(word.span, quote(word.text) + " is a block, not " + what, "call it: `" + word.text + "(...)`");
  if (is_enum_word(word.text)) fail(word.span, "expected " + what + ", found the word " + quote(word.text));
  fail(word.span, "unknown name " + quote(word.text), did_you_mean(word.text, visible_names()));
}

void Evaluator::assign(const std::string& name, Value v, const Span& at) {
  if (is_layer_function(name) || is_initializer_function(name) || name == "input")
    fail(at, quote(name) + " is a built-in function and cannot be assigned", "choose another name");
  if (blocks_.count(name)) fail(at, quote(name) + " is the name of a block", "choose another name");
  if (v.kind == Value::Kind::Word && !is_enum_word(v.text)) unknown_name(v, "a value");
  if (v.kind == Value::Kind::Layer || v.kind == Value::Kind::Int) v.label = quote(name);
  const auto here = scope_->names.find(name);
  if (here != scope_->names.end()) {
    if (here->second.loop_variable) fail(at, "cannot assign the loop variable " + quote(name));
    Diagnostic& d = diagnostics_.error(at, quote(name) + " is already defined",
                                       scope_->type == Scope::Type::Loop
                                           ? "a name is set once per loop iteration; use a new name"
                                           : "names are assigned once; use a new name, such as `" + name + "2`");
    diagnostics_.note(d, here->second.defined_at, quote(name) + " was defined here");
    throw Abandoned{};
  }
  // Inside a loop, assigning a name of an enclosing scope (of the same block or file)
  // carries the value into the next iteration and past the loop.
  if (scope_->type == Scope::Type::Loop) {
    for (Scope* s = scope_->parent; s; s = s->parent) {
      const auto it = s->names.find(name);
      if (it != s->names.end()) {
        if (it->second.loop_variable) fail(at, "cannot assign the loop variable " + quote(name));
        if (scope_->rebound.count(name)) {
          Diagnostic& d = diagnostics_.error(at, quote(name) + " is assigned twice in one loop iteration",
                                             "a loop-carried name is set once per iteration; use a new name");
          diagnostics_.note(d, it->second.defined_at, quote(name) + " was set here");
          throw Abandoned{};
        }
        scope_->rebound.insert(name);
        it->second.value = std::move(v);
        it->second.defined_at = at;
        carried_.push_back({s, name});
        return;
      }
      if (s->type != Scope::Type::Loop) break;
    }
  }
  scope_->names[name] = Binding{std::move(v), at, false};
}

// --- expressions --------------------------------------------------------------

Value Evaluator::evaluate(const Expr& e) {
  step(e.span);
  // Expressions are shallow (the parser bounds them), but block calls inside expressions
  // stack them: bound the total so that the evaluator's recursion fits any stack.
  struct Depth {
    std::size_t& depth;
    ~Depth() { --depth; }
  } depth{++evaluation_depth_};
  if (evaluation_depth_ > kMaxEvaluationDepth)
    fail(e.span, "expressions and the blocks they call are nested deeper than " + std::to_string(kMaxEvaluationDepth) + " levels");
  Value v;
  v.span = e.span;
  switch (e.kind) {
    case Expr::Kind::Int:
      v.kind = Value::Kind::Int;
      v.integer = e.integer;
      v.label = std::to_string(e.integer);
      return v;
    case Expr::Kind::Real:
      v.kind = Value::Kind::Real;
      v.real = e.real;
      v.label = e.text;
      return v;
    case Expr::Kind::String:
      v.kind = Value::Kind::String;
      v.text = e.text;
      return v;
    case Expr::Kind::Name: {
      if (const Binding* b = lookup(e.text)) {
        if (b->value.kind == Value::Kind::Poison) throw Abandoned{};
        Value out = b->value;
        out.span = e.span;
        if (out.label.empty()) out.label = quote(e.text);
        return out;
      }
      if (e.text == "true" || e.text == "false") {
        v.kind = Value::Kind::Bool;
        v.boolean = e.text == "true";
        return v;
      }
      v.kind = Value::Kind::Word;
      v.text = e.text;
      return v;
    }
    case Expr::Kind::Negate: {
      Value x = evaluate(*e.operands[0]);
      if (x.kind == Value::Kind::Real) {
        x.real = -x.real;
        x.span = e.span;
        x.label.clear();  // not the literal's spelling any more
        return x;
      }
      if (x.kind == Value::Kind::Word) unknown_name(x, "a number");
      if (x.kind != Value::Kind::Int) fail(e.span, "cannot negate " + kind_name(x.kind));
      const auto r = try_sub<std::int64_t>(0, x.integer);
      if (!r) fail(e.span, "integer overflow");
      v.kind = Value::Kind::Int;
      v.integer = *r;
      return v;
    }
    case Expr::Kind::Binary:
      return arithmetic(e);
    case Expr::Kind::Tuple: {
      v.kind = Value::Kind::Tuple;
      for (const ExprPtr& item : e.operands) {
        const Value x = evaluate(*item);
        if (x.kind == Value::Kind::Word) unknown_name(x, "an integer");
        if (x.kind != Value::Kind::Int) fail(item->span, "a tuple holds integers, found " + value_text(x));
        v.tuple.push_back(x.integer);
      }
      return v;
    }
    case Expr::Kind::Call:
      return call(e, std::nullopt);
    case Expr::Kind::Pipe: {
      Value left = evaluate(*e.operands[0]);
      if (left.kind == Value::Kind::Word) unknown_name(left, "a layer");
      return call(*e.operands[1], std::move(left));
    }
  }
  return v;
}

Value Evaluator::arithmetic(const Expr& e) {
  const Value a = evaluate(*e.operands[0]);
  const Value b = evaluate(*e.operands[1]);
  for (const Value* x : {&a, &b}) {
    if (x->kind == Value::Kind::Word) unknown_name(*x, "an integer");
    if (x->kind != Value::Kind::Int)
      fail(x->span, "`" + e.text + "` needs integers, found " + kind_name(x->kind),
           x->kind == Value::Kind::Layer ? "to add layers, write `add(a, b)`" : "arithmetic is on integers only");
  }
  std::optional<std::int64_t> r;
  const char op = e.text[0];
  if (op == '+') r = try_add(a.integer, b.integer);
  if (op == '-') r = try_sub(a.integer, b.integer);
  if (op == '*') r = try_mul(a.integer, b.integer);
  if (op == '/' || op == '%') {
    if (b.integer == 0) fail(e.operands[1]->span, "division by zero");
    if (a.integer == INT64_MIN && b.integer == -1) fail(e.span, "integer overflow");
    r = op == '/' ? a.integer / b.integer : a.integer % b.integer;
  }
  if (op == '^') {
    if (b.integer < 0) fail(e.operands[1]->span, "negative exponent " + std::to_string(b.integer), "integers only");
    r = try_pow(a.integer, b.integer);
  }
  if (!r) fail(e.span, "integer overflow in `" + e.text + "`", "integers stay within +-9223372036854775807");
  Value v;
  v.kind = Value::Kind::Int;
  v.integer = *r;
  v.span = e.span;
  v.label = std::to_string(*r);
  return v;
}

Value Evaluator::initializer(const Expr& c) {
  if (c.arguments.size() != 1 || !c.arguments[0].keyword.empty())
    fail(c.span, quote(c.text) + " takes one number, e.g. `" + c.text + "(0.1)`");
  const Value x = evaluate(*c.arguments[0].value);
  double value = 0;
  if (x.kind == Value::Kind::Int) value = static_cast<double>(x.integer);
  else if (x.kind == Value::Kind::Real) value = x.real;
  else fail(x.span, quote(c.text) + " takes a number, found " + value_text(x));
  if (c.text != "constant" && !(value > 0))
    fail(x.span, quote(c.text) + " needs a positive scale, found " + value_text(x),
         c.text == "normal" ? "the standard deviation: `normal(0.01)`" : "the half-width: `uniform(0.05)`");
  Value v;
  v.kind = Value::Kind::Init;
  v.span = c.span;
  v.init = c.text == "normal" ? nn::Initializer::normal(value)
           : c.text == "uniform" ? nn::Initializer::uniform(value)
                                 : nn::Initializer::constant(value);
  return v;
}

Value Evaluator::call(const Expr& c, std::optional<Value> piped) {
  if (c.kind == Expr::Kind::Name) {
    // A bare name in a pipe: `x | relu` calls relu(x).
    Expr as_call;
    as_call.kind = Expr::Kind::Call;
    as_call.span = c.span;
    as_call.name_span = c.span;
    as_call.text = c.text;
    for (const NamePart& p : c.as_name) as_call.as_name.push_back({p.text, nullptr});
    if (std::any_of(c.as_name.begin(), c.as_name.end(), [](const NamePart& p) { return p.expr != nullptr; })) {
      // Interpolated names need the real parts: evaluate them here.
      as_call.as_name.clear();
      as_call.as_name.push_back({as_text(c), nullptr});
    }
    as_call.as_span = c.as_span;
    return call(as_call, std::move(piped));
  }
  step(c.span);
  if (is_initializer_function(c.text)) {
    if (piped) fail(c.span, quote(c.text) + " is an initializer, not a layer");
    return initializer(c);
  }
  const auto block = blocks_.find(c.text);
  if (block != blocks_.end()) return call_block(*block->second, c, std::move(piped));
  if (is_layer_function(c.text) || c.text == "input") return build_layer(*this, c.text, c, std::move(piped));
  if (lookup(c.text)) fail(c.name_span, quote(c.text) + " is a value, not a function");
  std::vector<std::string> candidates = layer_function_names();
  for (const auto& [name, b] : blocks_) candidates.push_back(name);
  candidates.push_back("input");
  fail(c.name_span, "unknown function " + quote(c.text), did_you_mean(c.text, candidates));
}

std::string Evaluator::as_text(const Expr& c) {
  std::string out;
  for (const NamePart& p : c.as_name) {
    if (!p.expr) {
      out += p.text;
      continue;
    }
    const Value v = evaluate(*p.expr);
    if (v.kind == Value::Kind::Word) unknown_name(v, "an integer");
    if (v.kind != Value::Kind::Int || v.integer < 0)
      fail(p.expr->span, "a name part in `{...}` must be a non-negative integer, found " + value_text(v));
    out += std::to_string(v.integer);
  }
  return out;
}

Value Evaluator::call_block(const Statement& block, const Expr& c, std::optional<Value> piped) {
  if (std::find(active_blocks_.begin(), active_blocks_.end(), block.name) != active_blocks_.end())
    fail(c.name_span, "block " + quote(block.name) + " calls itself",
         "blocks cannot be recursive; use a loop (`for i in 1..n { ... }`)");
  if (nesting_ + 1 > limits_.max_nesting) too_deep(c.span);
  // Bind the arguments (evaluated in the caller's scope) to the parameters.
  std::vector<std::optional<Value>> args(block.parameters.size());
  std::size_t positional = 0;
  if (piped) args[positional++] = std::move(piped);
  for (const Argument& a : c.arguments) {
    std::size_t index = 0;
    if (a.keyword.empty()) {
      index = positional++;
      if (index >= block.parameters.size())
        fail(a.value->span, "block " + quote(block.name) + " takes " + std::to_string(block.parameters.size()) +
                                " arguments, this is argument " + std::to_string(index + 1));
    } else {
      const auto it = std::find_if(block.parameters.begin(), block.parameters.end(),
                                   [&](const Parameter& p) { return p.name == a.keyword; });
      if (it == block.parameters.end()) {
        std::vector<std::string> names;
        for (const Parameter& p : block.parameters) names.push_back(p.name);
        fail(a.keyword_span, "block " + quote(block.name) + " has no parameter " + quote(a.keyword),
             did_you_mean(a.keyword, names));
      }
      index = static_cast<std::size_t>(it - block.parameters.begin());
    }
    if (args[index]) fail(a.value->span, "parameter " + quote(block.parameters[index].name) + " is given twice");
    Value v = evaluate(*a.value);
    if (v.kind == Value::Kind::Word && !is_enum_word(v.text)) unknown_name(v, "a value");
    args[index] = std::move(v);
  }
  const std::string instance = as_text(c);
  Naming& outer = naming_.back();
  Naming inner;
  const std::string own = instance.empty() ? block.name + std::to_string(++outer.counters["block " + block.name]) : instance;
  charge_names(outer.prefix.size() + own.size() + 1, instance.empty() ? c.span : c.as_span);
  inner.prefix = outer.prefix + own + ".";

  Scope frame;
  frame.type = Scope::Type::Frame;
  Scope* caller = scope_;
  scope_ = &frame;
  naming_.push_back(std::move(inner));
  active_blocks_.push_back(block.name);
  ++nesting_;
  struct Restore {
    Evaluator& ev;
    Scope* caller;
    ~Restore() {
      ev.scope_ = caller;
      ev.naming_.pop_back();
      ev.active_blocks_.pop_back();
      --ev.nesting_;
    }
  } restore{*this, caller};
  for (std::size_t i = 0; i < block.parameters.size(); ++i) {
    const Parameter& p = block.parameters[i];
    if (!args[i]) {
      if (!p.default_value)
        fail(c.span, "block " + quote(block.name) + " needs the argument " + quote(p.name));
      args[i] = evaluate(*p.default_value);
    }
    frame.names[p.name] = Binding{std::move(*args[i]), p.span, false};
    if (frame.names[p.name].value.kind == Value::Kind::Layer || frame.names[p.name].value.kind == Value::Kind::Int)
      frame.names[p.name].value.label = quote(p.name);
  }
  std::optional<Value> result = execute(block.body);
  if (!result) fail(c.span, "block " + quote(block.name) + " returns nothing", "end it with `return ...`");
  result->span = c.span;
  result->label = quote(block.name) + "(...)";
  return *result;
}

Value Evaluator::require_layer(const Slot& s, const std::string& what) {
  if (!s.present()) fail(s.span, what + " is missing");
  Value v = s.piped ? *s.piped : evaluate(*s.expr);
  if (v.kind == Value::Kind::Word) unknown_name(v, "a layer");
  if (v.kind != Value::Kind::Layer)
    fail(v.span, what + " must be a layer, found " + kind_name(v.kind) + (v.label.empty() ? "" : " (" + v.label + ")"));
  return v;
}

std::int64_t Evaluator::require_int(const Slot& s, const std::string& what, std::int64_t min, std::int64_t max) {
  if (!s.present()) fail(s.span, what + " is missing");
  const Value v = s.piped ? *s.piped : evaluate(*s.expr);
  if (v.kind == Value::Kind::Word) unknown_name(v, "an integer");
  if (v.kind != Value::Kind::Int) fail(v.span, what + " must be an integer, found " + value_text(v));
  if (v.integer < min) fail(v.span, what + " must be at least " + std::to_string(min) + ", found " + value_text(v));
  if (v.integer > max)
    fail(v.span, what + " must be at most " + std::to_string(max) + ", found " + value_text(v),
         "sizes are bounded so that every file stays finite");
  return v.integer;
}

// --- layers ---------------------------------------------------------------------

std::string Evaluator::layer_name(const std::string& kind_prefix, const std::string& explicit_name, const Span& at) {
  Naming& n = naming_.back();
  std::string name;
  if (!explicit_name.empty()) {
    charge_names(n.prefix.size() + explicit_name.size(), at);
    name = n.prefix + explicit_name;
    if (layer_names_.count(name))
      fail(at, "layer name " + quote(name) + " is already used", "give each layer its own name");
  } else if (kind_prefix == "input" && n.prefix.empty() && !layer_names_.count("input")) {
    name = "input";  // as nn's builders name it
    charge_names(name.size(), at);
  } else {
    do name = n.prefix + kind_prefix + std::to_string(++n.counters[kind_prefix]);
    while (layer_names_.count(name));
    charge_names(name.size(), at);
  }
  return name;
}

Value Evaluator::finish_layer(std::size_t ref, const Span& at, const std::string& label) {
  const nn::Layer& l = arch_.layer(ref);
  layer_names_.insert(l.name);
  layer_spans_.resize(arch_.layers().size(), at);
  // Parameters of this layer, from nn's blocks (one definition per kind), each product checked
  // (the graph itself allocates nothing).
  const Shape& in = l.inputs.empty() ? l.shape : arch_.layer(l.inputs[0]).shape;
  std::optional<std::size_t> count = 0;
  for (const nn::ParameterBlock& b : nn::layer_parameter_blocks(l, ref, in)) {
    std::optional<std::size_t> size = 1;
    for (std::size_t x : b.shape) size = size ? try_mul(*size, x) : std::nullopt;
    count = count && size ? try_add(*count, *size) : std::nullopt;
  }
  const std::optional<std::size_t> total = count ? try_add(parameters_, *count) : std::nullopt;
  if (!total || *total > limits_.max_parameters)
    fail(at, "the network has more than " + std::to_string(limits_.max_parameters) + " parameters" +
                 (count ? " (this layer adds " + std::to_string(*count) + ")" : " (this layer alone overflows a count)"),
         "this limit keeps every file finite (dsl::Limits::max_parameters)");
  parameters_ = *total;
  if (arch_.layers().size() > limits_.max_layers)
    fail(at, "the network has more than " + std::to_string(limits_.max_layers) + " layers",
         "this limit keeps every file finite (dsl::Limits::max_layers)");
  std::size_t elements = 1;
  for (std::size_t d : l.shape) {
    const auto r = try_mul(elements, d);
    elements = r ? *r : SIZE_MAX;
  }
  if (elements > limits_.max_layer_elements)
    fail(at, "this layer's output " + shape_string(l.shape) + " has more than " +
                 std::to_string(limits_.max_layer_elements) + " entries");
  Value v;
  v.kind = Value::Kind::Layer;
  v.layer = ref;
  v.span = at;
  v.origin = at;
  v.label = label;
  return v;
}

std::string Evaluator::describe_shape_source(const Value& v) const {
  const nn::Layer& l = arch_.layer(v.layer);
  return v.label + " is " + shape_string(l.shape);
}

// --- statements -----------------------------------------------------------------

void Evaluator::set_shortcuts(const Statement& s) {
  if (scope_ != &global_ || nesting_ > 0) fail(s.span, "`shortcuts` is a network-wide switch: write it at the top level");
  if (shortcuts_set_) fail(s.span, "`shortcuts` is already set");
  if (!arch_.layers().empty())
    fail(s.span, "`shortcuts` must come before the first layer", "move it up, under the version line");
  if (s.name == "none") shortcut_mode_ = ShortcutMode::None;
  else if (s.name == "add_shortcuts") shortcut_mode_ = ShortcutMode::AddShortcuts;
  else if (s.name == "add_inputs") shortcut_mode_ = ShortcutMode::AddInputs;
  else {
    const std::string hint = did_you_mean(s.name, {"none", "add_shortcuts", "add_inputs"});
    fail(s.name_span, "unknown shortcut style " + quote(s.name),
         hint.empty() ? "one of none, add_shortcuts, add_inputs" : hint);
  }
  for (const Argument& a : s.arguments) {
    if (a.keyword != "adapt")
      fail(a.keyword_span, "`shortcuts` has no option " + quote(a.keyword), did_you_mean(a.keyword, {"adapt"}));
    const Value v = evaluate(*a.value);
    if (v.kind == Value::Kind::Word && v.text == "identity") shortcut_adapt_ = nn::Adapt::Identity;
    else if (v.kind == Value::Kind::Word && v.text == "projection") shortcut_adapt_ = nn::Adapt::Projection;
    else if (v.kind == Value::Kind::Word && v.text == "sample") shortcut_adapt_ = nn::Adapt::Sample;
    else
      fail(a.value->span, "adapt must be identity, projection or sample, found " + value_text(v),
           v.kind == Value::Kind::Word ? did_you_mean(v.text, {"identity", "projection", "sample"}) : "");
  }
  shortcuts_set_ = true;
}

void Evaluator::include(const Statement& s) {
  if (scope_ != &global_ || nesting_ > 0) fail(s.span, "`include` is allowed at the top level only");
  if (include_stack_.size() >= limits_.max_include_depth)
    fail(s.span, "includes are nested deeper than " + std::to_string(limits_.max_include_depth) + " files");
  namespace fs = std::filesystem;
  const fs::path path = fs::path(include_dirs_.back()) / s.name;
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  const std::string key = ec ? path.lexically_normal().string() : canonical;
  const auto cycle = std::find(include_stack_.begin(), include_stack_.end(), key);
  if (cycle != include_stack_.end()) {
    std::string chain;
    for (auto it = cycle; it != include_stack_.end(); ++it) chain += fs::path(*it).filename().string() + " -> ";
    fail(s.name_span, "include cycle: " + quote(s.name) + " is already being read",
         "the chain is " + chain + fs::path(key).filename().string());
  }
  if (++includes_ > limits_.max_includes)
    fail_total(s.name_span, "more than " + std::to_string(limits_.max_includes) + " includes in all",
               "a file included by several files is read again each time: include it once, from the top file "
               "(dsl::Limits::max_includes counts every include that runs)");
  const ReadResult read = read_source_file(path, limits_.max_source_bytes);
  if (!read.ok) fail(s.name_span, "cannot read " + path.string() + ": " + read.error);
  if (read.text.size() > limits_.max_include_bytes - std::min(include_bytes_, limits_.max_include_bytes))
    fail_total(s.name_span,
               "included files add up to more than " + std::to_string(limits_.max_include_bytes) + " bytes (" +
                   quote(s.name) + " is " + std::to_string(read.text.size()) + " bytes, after " +
                   std::to_string(include_bytes_) + ")",
               "every include reads its file again, repeats too (dsl::Limits::max_include_bytes)");
  include_bytes_ += read.text.size();
  auto program = std::make_unique<Program>();
  const std::size_t errors_before = diagnostics_.list().size();
  *program = parse(std::make_shared<Source>(path.string(), read.text), limits_, diagnostics_);
  bool parse_failed = false;
  for (std::size_t i = errors_before; i < diagnostics_.list().size(); ++i)
    parse_failed |= diagnostics_.list()[i].severity == Diagnostic::Severity::Error;
  if (parse_failed) {
    Diagnostic d = make_diagnostic(Diagnostic::Severity::Error, s.name_span, "errors in the included file " + quote(s.name));
    diagnostics_.add(std::move(d));
    stopped_ = true;
    throw Abandoned{};
  }
  const Program& p = *program;
  included_.push_back(std::move(program));
  include_stack_.push_back(key);
  include_dirs_.push_back(path.parent_path().string());
  struct Restore {
    Evaluator& ev;
    ~Restore() {
      ev.include_stack_.pop_back();
      ev.include_dirs_.pop_back();
    }
  } restore{*this};
  const std::size_t before = diagnostics_.list().size();
  top_level(p.body);
  if (diagnostics_.list().size() > before)
    if (Diagnostic* last = diagnostics_.last())
      last->notes.push_back(make_diagnostic(Diagnostic::Severity::Note, s.name_span, "included from here"));
}

std::optional<Value> Evaluator::loop(const Statement& s) {
  const Value first = evaluate(*s.value), last = evaluate(*s.last);
  for (const Value* v : {&first, &last}) {
    if (v->kind == Value::Kind::Word) unknown_name(*v, "an integer");
    if (v->kind != Value::Kind::Int) fail(v->span, "loop bounds must be integers, found " + value_text(*v));
  }
  if (last.integer >= first.integer) {
    // The difference fits in 64 unsigned bits even for the widest range.
    const std::uint64_t span_minus_one = static_cast<std::uint64_t>(last.integer) - static_cast<std::uint64_t>(first.integer);
    if (span_minus_one >= limits_.max_loop_iterations)
      fail(Span{s.value->span.source, s.value->span.offset, s.last->span.offset + s.last->span.length - s.value->span.offset},
           "a loop of " + (span_minus_one == UINT64_MAX ? std::string("18446744073709551616") : std::to_string(span_minus_one + 1)) +
                       " iterations exceeds the limit of " + std::to_string(limits_.max_loop_iterations),
           "this limit keeps every file finite (dsl::Limits::max_loop_iterations)");
  }
  if (nesting_ + 1 > limits_.max_nesting) too_deep(s.span);
  ++nesting_;
  Scope* outer = scope_;
  struct Restore {
    Evaluator& ev;
    Scope* outer;
    ~Restore() {
      ev.scope_ = outer;
      --ev.nesting_;
    }
  } restore{*this, outer};
  Scope iteration;  // reused: each iteration starts empty
  iteration.type = Scope::Type::Loop;
  iteration.parent = outer;
  for (std::int64_t i = first.integer; i <= last.integer; ++i) {
    step(s.span);
    iteration.names.clear();
    iteration.rebound.clear();
    Value index;
    index.kind = Value::Kind::Int;
    index.integer = i;
    index.span = s.name_span;
    index.label = quote(s.name);
    iteration.names[s.name] = Binding{index, s.name_span, true};
    scope_ = &iteration;
    if (std::optional<Value> r = execute(s.body)) return r;  // a `return` inside a block's loop
    scope_ = outer;
    if (i == INT64_MAX) break;
  }
  return std::nullopt;
}

std::optional<Value> Evaluator::execute(const Body& body) {
  for (const StatementPtr& s : body.statements)
    if (std::optional<Value> r = execute(*s)) return r;
  return std::nullopt;
}

std::optional<Value> Evaluator::execute(const Statement& s) {
  step(s.span);
  switch (s.kind) {
    case Statement::Kind::Assign:
      assign(s.name, evaluate(*s.value), s.name_span);
      return std::nullopt;
    case Statement::Kind::Expression:
      evaluate(*s.value);
      return std::nullopt;
    case Statement::Kind::Return: {
      if (nesting_ == 0 || active_blocks_.empty()) fail(s.span, "`return` outside a block");
      Value v = evaluate(*s.value);
      if (v.kind == Value::Kind::Word && !is_enum_word(v.text)) unknown_name(v, "a value");
      return v;
    }
    case Statement::Kind::Block: {
      if (scope_ != &global_ || nesting_ > 0) fail(s.span, "blocks are defined at the top level only");
      if (is_layer_function(s.name) || is_initializer_function(s.name) || s.name == "input")
        fail(s.name_span, quote(s.name) + " is a built-in function", "choose another name for the block");
      const auto it = blocks_.find(s.name);
      if (it != blocks_.end()) {
        Diagnostic& d = diagnostics_.error(s.name_span, "block " + quote(s.name) + " is already defined");
        diagnostics_.note(d, it->second->name_span, "the first definition is here");
        throw Abandoned{};
      }
      if (global_.names.count(s.name)) fail(s.name_span, quote(s.name) + " is already a value");
      for (std::size_t i = 0; i < s.parameters.size(); ++i)
        for (std::size_t j = 0; j < i; ++j)
          if (s.parameters[i].name == s.parameters[j].name)
            fail(s.parameters[i].span, "parameter " + quote(s.parameters[i].name) + " appears twice");
      blocks_[s.name] = &s;
      return std::nullopt;
    }
    case Statement::Kind::For:
      return loop(s);
    case Statement::Kind::Include:
      include(s);
      return std::nullopt;
    case Statement::Kind::Shortcuts:
      set_shortcuts(s);
      return std::nullopt;
  }
  return std::nullopt;
}

void Evaluator::top_level(const Body& body) {
  for (const StatementPtr& s : body.statements) {
    if (stopped_ || diagnostics_.full()) return;
    carried_.clear();
    try {
      execute(*s);
    } catch (const Abandoned&) {
      scope_ = &global_;
      // Names the failed statement would have set are poisoned, so their uses stay quiet.
      Value poison;
      poison.kind = Value::Kind::Poison;
      if (s->kind == Statement::Kind::Assign && !global_.names.count(s->name))
        global_.names[s->name] = Binding{poison, s->name_span, false};
      for (auto& [scope, name] : carried_)
        if (scope == &global_) global_.names[name].value = poison;
      if (steps_ > limits_.max_steps || arch_.layers().size() > limits_.max_layers) stopped_ = true;
    }
  }
}

void Evaluator::run(const Program& program, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const std::string key = path.empty() ? std::string() : fs::weakly_canonical(fs::path(path), ec).string();
  include_stack_.push_back(ec ? path : key);
  include_dirs_.push_back(fs::path(path).parent_path().string());
  top_level(program.body);
  if (!diagnostics_.has_errors()) warn_unused_layers();
  if (!diagnostics_.has_errors() && arch_.layers().empty()) {
    Span at{program.source.get(), 0, 1};
    diagnostics_.error(at, "the network has no layers", "start it with an input, e.g. `x = input(784)`");
  }
}

// The output is the last layer: a layer it does not depend on is computed for nothing,
// which is most often a forgotten branch. One warning per call in the source.
void Evaluator::warn_unused_layers() {
  const auto& layers = arch_.layers();
  if (layers.empty()) return;
  std::vector<bool> used(layers.size(), false);
  used.back() = true;
  for (std::size_t i = layers.size(); i-- > 0;)
    if (used[i])
      for (std::size_t in : layers[i].inputs) used[in] = true;
  std::set<std::pair<const Source*, std::size_t>> warned;
  for (std::size_t i = 0; i < layers.size() && i < layer_spans_.size(); ++i) {
    if (used[i] || !warned.insert({layer_spans_[i].source, layer_spans_[i].offset}).second) continue;
    Diagnostic d = make_diagnostic(Diagnostic::Severity::Warning, layer_spans_[i],
                                   "layer " + quote(layers[i].name) + " does not lead to the output",
                                   "the output is the last layer, " + quote(layers.back().name) +
                                       "; use this value or remove it");
    diagnostics_.add(std::move(d));
    if (warned.size() >= 10) break;
  }
}

std::optional<nn::Architecture> Evaluator::result() {
  if (diagnostics_.has_errors()) return std::nullopt;
  return std::move(arch_);
}

}  // namespace netdim::dsl
