// The `.net` architecture language: text in, an nn::Architecture out, with
// diagnostics that point at the source. This header is the whole public face of
// dsl/; the CLI and the tests use nothing else.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/nn/architecture.hpp"

namespace netdim::dsl {

// A place in a source file (1-based line and column, in bytes; length >= 1).
struct SourceSpan {
  std::string file;
  std::size_t line = 0, column = 0, length = 1;
};

struct Diagnostic {
  enum class Severity { Error, Warning, Note };
  Severity severity = Severity::Error;
  SourceSpan span;          // line 0: no position (e.g. an unreadable file)
  std::string message;      // one line, no trailing period
  std::string hint;         // empty, or one line ("did you mean `conv2`?")
  std::string source_line;  // the text of span.line, tabs kept, no newline
  // False for a file that is not a netdim source (no version line): its lines are never shown.
  bool show_source_line = true;
  std::vector<Diagnostic> notes;  // related places ("`a` was defined here")
};

// "file:line:col: error: message", the source line, a caret line under the
// span, then "  hint: ..." and the notes, each block ending in a newline.
// The source and caret lines are indented by two spaces; line 0 has neither:
// "file: error: message". Control characters and bidirectional controls never
// reach the terminal: '?' in the source line, \xNN in the file name, message
// and hint. See docs/language.md, "Diagnostics".
std::string render(const Diagnostic& d);
std::string render(const std::vector<Diagnostic>& ds);

// Bounds that keep any input finite: exceeding one is an error diagnostic.
struct Limits {
  std::size_t max_source_bytes = 1u << 20;        // per file (tokens and syntax trees take ~100x)
  std::size_t max_include_depth = 32;
  // In all, over the whole load (a file included twice counts twice): 31 files each including
  // the next twice would otherwise mean 2^30 includes, and one file can include 20,000 others.
  std::size_t max_includes = 1000;                 // include statements run
  std::size_t max_include_bytes = 8u << 20;        // bytes of the included files
  // Parsing: each `(` and `{` (calls, tuples, bodies, `as` pieces). Evaluating: block calls and loops.
  std::size_t max_nesting = 64;
  // After expanding blocks and loops. nn::Architecture looks names up linearly, so building
  // n layers costs O(n^2): 20000 layers take ~0.4 s, 100000 ~25 s.
  std::size_t max_layers = 20000;
  // Bytes of all layer names and block instance prefixes built, in all (each name is stored
  // twice and compared on every lookup): densenet201's 708 layers use 26 KB.
  std::size_t max_name_bytes = 1u << 20;
  std::size_t max_parameters = std::size_t(1) << 34;  // ~1.7e10 entries
  std::size_t max_loop_iterations = 100000;        // per loop
  std::size_t max_steps = 10000000;  // statements, loop iterations and expression terms evaluated, in all
  std::size_t max_layer_elements = std::size_t(1) << 32;  // entries of one layer's output (one example)
};

struct LoadResult {
  std::optional<nn::Architecture> architecture;  // set when there is no error
  std::vector<Diagnostic> diagnostics;           // errors and warnings, in source order
  bool ok() const { return architecture.has_value(); }
};

// Parses, expands and infers shapes. Never throws on bad input (a missing or
// unreadable file is an error diagnostic with line 0).
LoadResult load_file(const std::filesystem::path& path, const Limits& limits = {});
// `file_name` is used in diagnostics and to resolve `include` relative paths.
LoadResult load_source(std::string_view text, const std::string& file_name, const Limits& limits = {});

// The architecture as a `.net` source that loads back to the same layers, names and fingerprint:
// one statement per layer, each named with `as`; `comment` (lines) goes under the version line.
// Throws std::invalid_argument for what the language cannot write (an input of rank 2, a name
// such as "onnx::Conv_12").
std::string write_network(const nn::Architecture& architecture, const std::string& comment = "");

struct FormatResult {
  std::optional<std::string> text;  // the canonical form, set when the file parses
  std::vector<Diagnostic> diagnostics;
};

// The canonical form of one file (includes are not inlined). format(format(x)) == format(x),
// and the formatted text loads to the same architecture (same describe()).
FormatResult format_source(std::string_view text, const std::string& file_name);
FormatResult format_file(const std::filesystem::path& path);

}  // namespace netdim::dsl
