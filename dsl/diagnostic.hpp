// Collecting diagnostics while reading a program: each one points at a span of
// a Source. The collector stops accepting errors after a cap, so that a binary
// file gives a short report rather than one error per byte.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/dsl/dsl.hpp"
#include "netdim/dsl/source.hpp"

namespace netdim::dsl {

// A byte range of one source (what the AST and the evaluator carry around).
struct Span {
  const Source* source = nullptr;
  std::size_t offset = 0, length = 1;
};

// Text from outside (a path, a word) as it is safe to print in a message: valid UTF-8 kept,
// control characters, bidirectional controls and invalid bytes shown as \xNN. render() applies
// it to every file name, message and hint.
std::string printable(std::string_view text);

Diagnostic make_diagnostic(Diagnostic::Severity severity, const Span& at, std::string message, std::string hint = {});

class Diagnostics {
 public:
  static constexpr std::size_t max_errors = 50;

  // Adds an error and returns it, so that notes can be attached.
  Diagnostic& error(const Span& at, std::string message, std::string hint = {});
  void note(Diagnostic& to, const Span& at, std::string message);
  void add(Diagnostic d);
  bool has_errors() const { return errors_ > 0; }
  bool full() const { return errors_ >= max_errors; }
  std::vector<Diagnostic> take() { return std::move(list_); }
  const std::vector<Diagnostic>& list() const { return list_; }
  Diagnostic* last() { return list_.empty() ? nullptr : &list_.back(); }

 private:
  std::vector<Diagnostic> list_;
  Diagnostic overflow_;  // absorbs errors past the cap
  std::size_t errors_ = 0;
};

}  // namespace netdim::dsl
