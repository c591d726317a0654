// One source file's text and its line table, so that byte offsets become
// line:column positions and source lines for diagnostics.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dsl/dsl.hpp"

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

 private:
  std::string name_, text_;
  std::vector<std::size_t> line_starts_;
};

using SourcePtr = std::shared_ptr<const Source>;

}  // namespace netdim::dsl
