#include "netdim/dsl/diagnostic.hpp"

#include <algorithm>

namespace netdim::dsl {
namespace {

const char* severity_name(Diagnostic::Severity s) {
  switch (s) {
    case Diagnostic::Severity::Error: return "error";
    case Diagnostic::Severity::Warning: return "warning";
    case Diagnostic::Severity::Note: return "note";
  }
  return "error";
}

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  // Overlong forms (an ESC spelled in two bytes), surrogates and code points past U+10FFFF are not UTF-8.
  const unsigned char c1 = byte(i + (n > 1 ? 1 : 0));
  if ((n == 2 && c < 0xc2) || (n == 3 && c == 0xe0 && c1 < 0xa0) || (n == 3 && c == 0xed && c1 >= 0xa0) ||
      (n == 4 && c == 0xf0 && c1 < 0x90) || (n == 4 && (c > 0xf4 || (c == 0xf4 && c1 >= 0x90))))
    return 0;
  return n;
}

// The code point of the valid UTF-8 sequence of n bytes at s[i].
char32_t code_point(std::string_view s, std::size_t i, std::size_t n) {
  const auto byte = [&](std::size_t k) { return static_cast<char32_t>(static_cast<unsigned char>(s[i + k])); };
  if (n == 1) return byte(0);
  char32_t cp = byte(0) & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (byte(k) & 0x3f);
  return cp;
}

// What a terminal must not receive from a file: C0 and C1 control characters (ESC starts
// escape sequences, BEL rings), DEL, the bidirectional controls that reorder what is shown
// (U+202E, "Trojan Source"), and the line and paragraph separators.
bool unsafe(char32_t cp, bool tab_allowed) {
  if (cp == '\t') return !tab_allowed;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
         (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

// The source line as it is safe to print: control characters, bidirectional controls and
// invalid UTF-8 become '?'. The caret line mirrors it: a tab under a tab, one space per character.
void printable_line(std::string_view line, std::size_t column, std::size_t length, std::string& text,
                    std::string& carets) {
  const std::size_t first = column - 1, last = first + length;  // byte range of the span
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = utf8_length(line, i);
    const unsigned char c = static_cast<unsigned char>(line[i]);
    if (n == 0 || unsafe(code_point(line, i, n), /*tab_allowed=*/true)) {
      text += '?';
      if (n == 0) n = 1;
    } else {
      text.append(line.data() + i, n);
    }
    if (i < first) carets += (c == '\t' ? '\t' : ' ');
    else if (i < last) carets += (i == first ? '^' : '~');
    i += n;
  }
  if (first >= line.size()) carets += '^';  // a span at the end of the line (a missing token)
}

}  // namespace

std::string printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_length(text, i);
    if (n != 0 && !unsafe(code_point(text, i, n), /*tab_allowed=*/false)) {
      out.append(text.substr(i, n));
      i += n;
      continue;
    }
    for (std::size_t k = 0; k < std::max<std::size_t>(n, 1); ++k) {
      const auto b = static_cast<unsigned char>(text[i + k]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xf];
    }
    i += std::max<std::size_t>(n, 1);
  }
  return out;
}

Diagnostic make_diagnostic(Diagnostic::Severity severity, const Span& at, std::string message, std::string hint) {
  Diagnostic d;
  d.severity = severity;
  d.message = std::move(message);
  d.hint = std::move(hint);
  if (at.source) {
    d.span = at.source->span(at.offset, at.length);
    // Only a netdim source's own lines are shown: never those of a file that is not one.
    d.show_source_line = at.source->netdim_source();
    if (d.show_source_line) d.source_line = std::string(at.source->line_text(d.span.line));
  }
  return d;
}

std::string render(const Diagnostic& d) {
  // File names, messages and hints quote paths and words from outside: escaped here, once for all.
  std::string out = printable(d.span.file);
  if (d.span.line > 0) {
    out += ':';
    out += std::to_string(d.span.line);
    out += ':';
    out += std::to_string(d.span.column);
  }
  out += ": ";
  out += severity_name(d.severity);
  out += ": ";
  out += printable(d.message);
  out += '\n';
  if (d.span.line > 0 && d.show_source_line) {
    std::string text, carets;
    printable_line(d.source_line, std::max<std::size_t>(d.span.column, 1), std::max<std::size_t>(d.span.length, 1),
                   text, carets);
    out += "  " + text + "\n  " + carets + "\n";
  }
  if (!d.hint.empty()) out += "  hint: " + printable(d.hint) + "\n";
  for (const Diagnostic& n : d.notes) out += render(n);
  return out;
}

std::string render(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const Diagnostic& d : ds) out += render(d);
  return out;
}

Diagnostic& Diagnostics::error(const Span& at, std::string message, std::string hint) {
  ++errors_;
  if (errors_ > max_errors) return overflow_ = Diagnostic{};
  if (errors_ == max_errors) {
    Diagnostic stop = make_diagnostic(Diagnostic::Severity::Error, at,
                                      "too many errors (" + std::to_string(max_errors) + "); stopping here");
    list_.push_back(std::move(stop));
    return overflow_ = Diagnostic{};
  }
  list_.push_back(make_diagnostic(Diagnostic::Severity::Error, at, std::move(message), std::move(hint)));
  return list_.back();
}

void Diagnostics::note(Diagnostic& to, const Span& at, std::string message) {
  to.notes.push_back(make_diagnostic(Diagnostic::Severity::Note, at, std::move(message)));
}

void Diagnostics::add(Diagnostic d) {
  if (d.severity == Diagnostic::Severity::Error) {
    ++errors_;
    if (errors_ > max_errors) return;
  }
  list_.push_back(std::move(d));
}

}  // namespace netdim::dsl
