#include "netdim/dsl/lexer.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace netdim::dsl {
namespace {

// A name or a string is copied wherever its value goes (labels, lookups, messages): bounded,
// so that no statement costs more than a few hundred bytes per step however often it runs.
constexpr std::size_t kMaxNameBytes = 256;
constexpr std::size_t kMaxStringBytes = 4096;  // PATH_MAX: strings are include paths

bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_ident_char(char c) { return is_ident_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool is_known_start(char c) {
  return is_ident_start(c) || is_digit(c) || is_space(c) || c == '\n' || c == '#' || c == '"' ||
         std::string_view("(){},=+-*/%^|.").find(c) != std::string_view::npos;
}

}  // namespace

std::string token_description(Tok t) {
  switch (t) {
    case Tok::Ident: return "a name";
    case Tok::Int: return "an integer";
    case Tok::Real: return "a number";
    case Tok::String: return "a string";
    case Tok::Newline: return "end of line";
    case Tok::End: return "end of file";
    case Tok::LParen: return "`(`";
    case Tok::RParen: return "`)`";
    case Tok::LBrace: return "`{`";
    case Tok::RBrace: return "`}`";
    case Tok::Comma: return "`,`";
    case Tok::Assign: return "`=`";
    case Tok::Plus: return "`+`";
    case Tok::Minus: return "`-`";
    case Tok::Star: return "`*`";
    case Tok::Slash: return "`/`";
    case Tok::Percent: return "`%`";
    case Tok::Caret: return "`^`";
    case Tok::Pipe: return "`|`";
    case Tok::Dot: return "`.`";
    case Tok::DotDot: return "`..`";
  }
  return "a token";
}

LexResult lex(const Source& source, Diagnostics& diagnostics) {
  const std::string& s = source.text();
  LexResult out;
  std::size_t depth = 0;  // open parentheses: line breaks inside them are spaces
  bool soft_break = false;
  std::size_t i = s.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;  // a UTF-8 byte order mark is not text
  const auto push = [&](Tok kind, std::size_t begin, std::size_t end) {
    Token t;
    t.kind = kind;
    t.offset = begin;
    t.length = end - begin;
    t.text = s.substr(begin, end - begin);
    t.soft_break_before = soft_break;
    soft_break = false;
    out.tokens.push_back(std::move(t));
    return &out.tokens.back();
  };
  while (i < s.size() && !diagnostics.full()) {
    const char c = s[i];
    if (is_space(c)) { ++i; continue; }
    if (c == '\n') {
      if (depth > 0) soft_break = true;
      if (depth == 0 && (out.tokens.empty() || out.tokens.back().kind != Tok::Newline)) push(Tok::Newline, i, i + 1);
      ++i;
      continue;
    }
    if (c == '#') {
      std::size_t end = s.find('\n', i);
      if (end == std::string::npos) end = s.size();
      std::string text = s.substr(i + 1, end - i - 1);
      while (!text.empty() && is_space(text.back())) text.pop_back();
      out.comments.push_back({i, std::move(text)});
      i = end;
      continue;
    }
    if (is_ident_start(c)) {
      std::size_t j = i;
      while (j < s.size() && is_ident_char(s[j])) ++j;
      if (j - i > kMaxNameBytes)
        diagnostics.error({&source, i, j - i}, "name is longer than " + std::to_string(kMaxNameBytes) + " bytes",
                          "names are at most " + std::to_string(kMaxNameBytes) + " bytes; a long layer name is pieces: `as a.b{i}`");
      push(Tok::Ident, i, j);
      i = j;
      continue;
    }
    if (is_digit(c)) {
      std::size_t j = i;
      while (j < s.size() && is_digit(s[j])) ++j;
      bool real = false;
      if (j + 1 < s.size() && s[j] == '.' && is_digit(s[j + 1])) {
        real = true;
        for (j += 1; j < s.size() && is_digit(s[j]);) ++j;
      }
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && is_digit(s[k])) {
          real = true;
          for (j = k; j < s.size() && is_digit(s[j]);) ++j;
        }
      }
      Token* t = push(real ? Tok::Real : Tok::Int, i, j);
      if (real) {
        t->real = std::strtod(t->text.c_str(), nullptr);
        if (!std::isfinite(t->real))
          diagnostics.error({&source, i, j - i}, "number `" + t->text.substr(0, 40) + "` is too large");
      } else {
        std::int64_t v = 0;
        bool overflow = false;
        for (std::size_t k = i; k < j; ++k) {
          const int digit = s[k] - '0';
          if (v > (std::numeric_limits<std::int64_t>::max() - digit) / 10) { overflow = true; break; }
          v = v * 10 + digit;
        }
        if (overflow)
          diagnostics.error({&source, i, j - i}, "integer literal is too large",
                            "integers are at most 9223372036854775807");
        t->integer = overflow ? 0 : v;
      }
      i = j;
      continue;
    }
    if (c == '"') {
      std::size_t j = i + 1;
      std::string text;
      bool closed = false;
      while (j < s.size() && s[j] != '\n') {
        if (s[j] == '"') { closed = true; break; }
        if (s[j] == '\\' && j + 1 < s.size() && (s[j + 1] == '"' || s[j + 1] == '\\')) ++j;
        text += s[j++];
      }
      if (!closed) diagnostics.error({&source, i, j - i}, "unterminated string", "close it with `\"` on the same line");
      else if (text.size() > kMaxStringBytes)
        diagnostics.error({&source, i, j + 1 - i}, "string is longer than " + std::to_string(kMaxStringBytes) + " bytes",
                          "strings name files to include, at most " + std::to_string(kMaxStringBytes) + " bytes");
      Token* t = push(Tok::String, i, closed ? j + 1 : j);
      t->text = std::move(text);
      i = closed ? j + 1 : j;
      continue;
    }
    Tok kind = Tok::End;
    std::size_t len = 1;
    switch (c) {
      case '(': kind = Tok::LParen; ++depth; break;
      case ')': kind = Tok::RParen; if (depth > 0) --depth; break;
      case '{': kind = Tok::LBrace; break;
      case '}': kind = Tok::RBrace; break;
      case ',': kind = Tok::Comma; break;
      case '=': kind = Tok::Assign; break;
      case '+': kind = Tok::Plus; break;
      case '-': kind = Tok::Minus; break;
      case '*': kind = Tok::Star; break;
      case '/': kind = Tok::Slash; break;
      case '%': kind = Tok::Percent; break;
      case '^': kind = Tok::Caret; break;
      case '|': kind = Tok::Pipe; break;
      case '.':
        if (i + 1 < s.size() && s[i + 1] == '.') { kind = Tok::DotDot; len = 2; }
        else kind = Tok::Dot;
        break;
      default: break;
    }
    if (kind != Tok::End) {
      // A brace ends any parentheses left open, so that one missing `)` does not swallow the rest.
      // (Not a brace glued to a name, as in `as stage{s}`: that one is part of a layer name.)
      const bool glued = i > 0 && (is_ident_char(s[i - 1]) || s[i - 1] == '}');
      if ((kind == Tok::LBrace || kind == Tok::RBrace) && !glued) depth = 0;
      push(kind, i, i + len);
      i += len;
      continue;
    }
    // A run of unexpected bytes is one error.
    std::size_t j = i + 1;
    while (j < s.size() && !is_known_start(s[j])) ++j;
    const unsigned char byte = static_cast<unsigned char>(c);
    char shown[48];
    if (byte >= 0x21 && byte < 0x7f) std::snprintf(shown, sizeof shown, "unexpected character `%c`", c);
    else std::snprintf(shown, sizeof shown, "unexpected byte 0x%02x", static_cast<unsigned>(byte));
    diagnostics.error({&source, i, j - i}, shown);
    i = j;
  }
  if (out.tokens.empty() || out.tokens.back().kind != Tok::Newline) push(Tok::Newline, s.size(), s.size());
  push(Tok::End, s.size(), s.size());
  return out;
}

}  // namespace netdim::dsl
