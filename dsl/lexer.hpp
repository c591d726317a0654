// Tokens of the .net language. Line breaks are tokens (they end statements)
// except inside parentheses, so that a long call may span several lines.
// Comments do not reach the parser; they are kept aside for the formatter.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "netdim/dsl/diagnostic.hpp"

namespace netdim::dsl {

enum class Tok {
  Ident, Int, Real, String, Newline, End,
  LParen, RParen, LBrace, RBrace, Comma, Assign,
  Plus, Minus, Star, Slash, Percent, Caret, Pipe, Dot, DotDot,
};

std::string token_description(Tok t);  // for "expected ..." messages

struct Token {
  Tok kind = Tok::End;
  std::size_t offset = 0, length = 0;
  std::string text;       // identifier, string contents, or the literal's spelling
  std::int64_t integer = 0;
  double real = 0;
  // A line break inside parentheses came just before: a line break that does not end a
  // statement, unless the parenthesis was never closed (the parser recovers there).
  bool soft_break_before = false;
};

struct Comment {
  std::size_t offset = 0;
  std::string text;  // without the '#', trailing spaces dropped
};

struct LexResult {
  std::vector<Token> tokens;  // ends with End
  std::vector<Comment> comments;
};

LexResult lex(const Source& source, Diagnostics& diagnostics);

}  // namespace netdim::dsl
