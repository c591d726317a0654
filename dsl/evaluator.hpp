// The evaluator: runs a parsed program (constants, blocks, loops, includes) and
// builds the nn::Architecture, checking names, limits and shapes on the way.
// Internal to dsl/: statements live in evaluator.cpp, the layer functions in
// layers.cpp.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "netdim/dsl/ast.hpp"
#include "netdim/dsl/diagnostic.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::dsl {

struct Value {
  enum class Kind { None, Int, Real, Bool, String, Word, Tuple, Init, Layer, Poison };
  Kind kind = Kind::None;
  std::int64_t integer = 0;
  double real = 0;
  bool boolean = false;
  std::string text;                 // String contents, or the Word
  std::vector<std::int64_t> tuple;  // Tuple of integers
  nn::Initializer init;
  std::size_t layer = 0;            // Layer: its index in the architecture
  Span span;                        // where the value was written or made
  Span origin;                      // Layer: the call that made it (for notes)
  std::string label;                // how messages name it: "`h1`" or "dense(...)"
};

std::string kind_name(Value::Kind k);
// A value as a message quotes it: "-1", "`s` = -1", "0.5", "(1, 2, 3)", "the word `relu`",
// "a layer (`h`)": what was found, so that "needs a positive scale, found -1" says it.
std::string value_text(const Value& v);

// Thrown after an error has been reported, to abandon the statement.
struct Abandoned {};

enum class ShortcutMode { None, AddShortcuts, AddInputs };

class Evaluator {
 public:
  Evaluator(const Limits& limits, Diagnostics& diagnostics) : limits_(limits), diagnostics_(diagnostics) {}
  // Runs a parsed top-level file; `path` is its location for includes (may be empty).
  void run(const Program& program, const std::string& path);
  std::optional<nn::Architecture> result();

  // --- used by the layer functions (layers.cpp) ---
  struct Slot {
    const Expr* expr = nullptr;      // the written argument, or null
    std::optional<Value> piped;      // the value on the left of `|`
    Span span;                       // where to point at
    bool present() const { return expr || piped; }
  };
  Value evaluate(const Expr& e);
  [[noreturn]] void fail(const Span& at, std::string message, std::string hint = {});
  Value require_layer(const Slot& s, const std::string& what);
  std::int64_t require_int(const Slot& s, const std::string& what, std::int64_t min, std::int64_t max);
  const nn::Layer& layer_of(const Value& v) const { return arch_.layer(v.layer); }
  nn::Architecture& architecture() { return arch_; }
  // Names the next layer: `as` text when given (relative to the current prefix), else kind + counter.
  std::string layer_name(const std::string& kind_prefix, const std::string& explicit_name, const Span& at);
  // Checks limits on the layer just added, and returns its value.
  Value finish_layer(std::size_t ref, const Span& at, const std::string& label);
  ShortcutMode shortcut_mode() const { return shortcut_mode_; }
  nn::Adapt shortcut_adapt() const { return shortcut_adapt_; }
  std::string as_text(const Expr& call);  // the evaluated `as` name, or ""
  const Limits& limits() const { return limits_; }
  std::string describe_shape_source(const Value& v) const;
  Diagnostics& diagnostics() { return diagnostics_; }
  const Span& input_span() const { return input_span_; }
  void set_input_span(const Span& at) { input_span_ = at; }

 private:
  struct Binding {
    Value value;
    Span defined_at;
    bool loop_variable = false;
  };
  struct Scope {
    enum class Type { Global, Frame, Loop };
    Type type = Type::Global;
    Scope* parent = nullptr;
    std::unordered_map<std::string, Binding> names;
    std::unordered_set<std::string> rebound;  // loop-carried names set in this iteration
  };
  struct Naming {
    std::string prefix;  // "stage2.block1." or ""
    std::map<std::string, std::size_t> counters;
  };

  // Statements; a `return` gives a value.
  std::optional<Value> execute(const Body& body);
  std::optional<Value> execute(const Statement& s);
  void top_level(const Body& body);
  void include(const Statement& s);
  std::optional<Value> loop(const Statement& s);
  void assign(const std::string& name, Value v, const Span& at);
  const Binding* lookup(const std::string& name) const;
  std::vector<std::string> visible_names() const;
  Value call(const Expr& call, std::optional<Value> piped);
  Value call_block(const Statement& block, const Expr& call, std::optional<Value> piped);
  Value call_layer(const std::string& name, const Expr& call, std::optional<Value> piped);
  Value initializer(const Expr& call);
  Value arithmetic(const Expr& e);
  void step(const Span& at);
  // The limits on the whole load (includes, included bytes, name bytes): crossing one ends it.
  [[noreturn]] void too_deep(const Span& at);
  [[noreturn]] void fail_total(const Span& at, std::string message, std::string hint);
  void charge_names(std::size_t bytes, const Span& at);
  void set_shortcuts(const Statement& s);
  [[noreturn]] void unknown_name(const Value& word, const std::string& what);
  void warn_unused_layers();

  const Limits& limits_;
  Diagnostics& diagnostics_;
  nn::Architecture arch_;
  std::vector<std::unique_ptr<Program>> included_;  // keeps included files' trees alive
  std::vector<std::string> include_stack_;          // canonical paths, for cycle detection
  std::vector<std::string> include_dirs_;           // where relative includes of the current file resolve
  std::unordered_map<std::string, const Statement*> blocks_;
  std::vector<std::string> active_blocks_;  // for recursion
  Scope global_;
  Scope* scope_ = &global_;
  std::vector<Naming> naming_{Naming{}};
  std::unordered_set<std::string> layer_names_;
  std::vector<Span> layer_spans_;  // the call that made each layer
  std::vector<std::pair<Scope*, std::string>> carried_;  // loop-carried rebinds of the current top-level statement
  ShortcutMode shortcut_mode_ = ShortcutMode::None;
  nn::Adapt shortcut_adapt_ = nn::Adapt::Identity;
  bool shortcuts_set_ = false;
  static constexpr std::size_t kMaxEvaluationDepth = 1000;
  std::size_t nesting_ = 0, steps_ = 0, parameters_ = 0, evaluation_depth_ = 0;
  std::size_t includes_ = 0, include_bytes_ = 0, name_bytes_ = 0;  // in all, repeats counted
  Span input_span_;
  bool stopped_ = false;  // a fatal error (parse error in an include, a total limit): no further statements
};

// The layer functions (layers.cpp).
bool is_layer_function(const std::string& name);
std::vector<std::string> layer_function_names();
Value build_layer(Evaluator& ev, const std::string& name, const Expr& call, std::optional<Value> piped);

}  // namespace netdim::dsl
