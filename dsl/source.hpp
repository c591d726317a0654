// One source file's text and its line table, so that byte offsets become
// line:column positions and source lines for diagnostics.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "netdim/dsl/dsl.hpp"

namespace netdim::dsl {

class Source {
 public:
  Source(std::string name, std::string text);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  // 1-based line and column (in bytes) of a byte offset (clamped to the text).
  std::size_t line_of(std::size_t offset) const;
  std::size_t column_of(std::size_t offset) const;
  // The text of a 1-based line without its line break (a trailing '\r' dropped).
  std::string_view line_text(std::size_t line) const;
  SourceSpan span(std::size_t offset, std::size_t length) const;
  // True when the text starts with a version line, `netdim` and an integer (after blank
  // lines, comments and a byte order mark): a netdim source. Lines of any other file (an
  // `include "/etc/shadow"`) are never shown in diagnostics, and its bytes never read further.
  bool netdim_source() const { return netdim_source_; }
  // Where the version line starts, or would have to (the first byte that is not a blank or a comment).
  std::size_t first_token_offset() const { return first_token_; }

 private:
  std::string name_, text_;
  std::vector<std::size_t> line_starts_;
  std::size_t first_token_ = 0;
  bool netdim_source_ = false;
};

using SourcePtr = std::shared_ptr<const Source>;

}  // namespace netdim::dsl
