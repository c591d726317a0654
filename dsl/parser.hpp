// The recursive-descent parser. It recovers at the end of the statement after
// an error, so that one run reports several independent mistakes, and bounds
// its own recursion by Limits::max_nesting: one level per `(` and `{` (operator
// chains and unary minus are loops, bounded by the statement's term count).
#pragma once

#include "netdim/dsl/ast.hpp"
#include "netdim/dsl/lexer.hpp"

namespace netdim::dsl {

// Returns the program (possibly partial); errors go to `diagnostics`.
Program parse(SourcePtr source, const Limits& limits, Diagnostics& diagnostics);

// Words with a meaning of their own: never names of values.
bool is_keyword(std::string_view word);

}  // namespace netdim::dsl
