#include "dsl/diagnostic.hpp"

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
  return n;
}

// The source line as it is safe to print: control bytes and invalid UTF-8 become '?'.
// The caret line mirrors it: a tab under a tab, one space per character.
void printable_line(std::string_view line, std::size_t column, std::size_t length, std::string& text,
                    std::string& carets) {
  const std::size_t first = column - 1, last = first + length;  // byte range of the span
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = utf8_length(line, i);
    const unsigned char c = static_cast<unsigned char>(line[i]);
    std::string shown;
    if (n == 0 || (n == 1 && ((c < 0x20 && c != '\t') || c == 0x7f))) {
      shown = "?";
      n = 1;
    } else {
      shown = std::string(line.substr(i, n));
    }
    text += shown;
    if (i < first) carets += (c == '\t' ? '\t' : ' ');
    else if (i < last) carets += (i == first ? '^' : '~');
    i += n;
  }
  if (first >= line.size()) carets += '^';  // a span at the end of the line (a missing token)
}

}  // namespace

Diagnostic make_diagnostic(Diagnostic::Severity severity, const Span& at, std::string message, std::string hint) {
  Diagnostic d;
  d.severity = severity;
  d.message = std::move(message);
  d.hint = std::move(hint);
  if (at.source) {
    d.span = at.source->span(at.offset, at.length);
    d.source_line = std::string(at.source->line_text(d.span.line));
  }
  return d;
}

std::string render(const Diagnostic& d) {
  std::string out = d.span.file;
  if (d.span.line > 0) out += ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.column);
  out += std::string(": ") + severity_name(d.severity) + ": " + d.message + "\n";
  if (d.span.line > 0) {
    std::string text, carets;
    printable_line(d.source_line, std::max<std::size_t>(d.span.column, 1), std::max<std::size_t>(d.span.length, 1),
                   text, carets);
    out += "  " + text + "\n  " + carets + "\n";
  }
  if (!d.hint.empty()) out += "  hint: " + d.hint + "\n";
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
