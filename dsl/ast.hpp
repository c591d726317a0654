// The syntax tree of a .net file, as written (before blocks and loops are
// expanded). Comments and blank lines ride along on statements so that the
// formatter can print them back.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "netdim/dsl/diagnostic.hpp"

namespace netdim::dsl {

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Argument {
  std::string keyword;  // empty for a positional argument
  Span keyword_span;
  ExprPtr value;
};

// `as stage{s}.block{b}`: literal pieces and interpolated integer expressions.
struct NamePart {
  std::string text;  // used when expr is null
  ExprPtr expr;
};

struct Expr {
  enum class Kind { Int, Real, String, Name, Negate, Binary, Call, Pipe, Tuple };
  Kind kind = Kind::Int;
  Span span;               // the whole expression
  std::int64_t integer = 0;
  double real = 0;
  std::string text;        // Real: its spelling; String: contents; Name/Call: the name; Binary: the operator
  std::vector<ExprPtr> operands;  // Negate: 1; Binary: 2; Pipe: 2 (value, then Name or Call); Tuple: 2+
  std::vector<Argument> arguments;  // Call
  Span name_span;                   // Call: the callee's name
  std::vector<NamePart> as_name;    // Call or Name in a pipe: the explicit layer name, empty when none
  Span as_span;
};

struct Statement;
using StatementPtr = std::unique_ptr<Statement>;

struct Body {
  std::vector<StatementPtr> statements;
  std::vector<std::string> end_comments;  // comments after the last statement
  bool blank_before_end_comments = false;
};

struct Parameter {
  std::string name;
  Span span;
  ExprPtr default_value;  // may be null
};

struct Statement {
  enum class Kind { Assign, Expression, Return, Block, For, Include, Shortcuts };
  Kind kind = Kind::Expression;
  Span span;         // the first token (the keyword or the assigned name)
  std::string name;  // Assign: the name; Block: its name; For: the index variable; Include: the path;
                     // Shortcuts: the mode
  Span name_span;
  ExprPtr value;     // Assign, Expression, Return; For: the first index
  ExprPtr last;      // For: the last index (inclusive)
  std::vector<Parameter> parameters;  // Block
  std::vector<Argument> arguments;    // Shortcuts: options such as adapt=projection
  Body body;                          // Block, For
  // Layout kept for the formatter.
  std::vector<std::string> leading_comments;
  std::optional<std::string> trailing_comment;
  bool blank_before = false;
};

struct Program {
  SourcePtr source;
  std::int64_t version = 0;
  std::vector<std::string> header_comments;  // before the version line
  std::optional<std::string> version_comment;
  Body body;
};

}  // namespace netdim::dsl
