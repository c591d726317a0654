#include "netdim/dsl/source.hpp"

#include <algorithm>

namespace netdim::dsl {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

Source::Source(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  // Skip what the lexer skips before the first token: a byte order mark, blanks, line breaks, comments.
  std::size_t i = text_.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  while (i < text_.size()) {
    if (is_blank(text_[i]) || text_[i] == '\n') {
      ++i;
    } else if (text_[i] == '#') {
      const std::size_t end = text_.find('\n', i);
      i = end == std::string::npos ? text_.size() : end;
    } else {
      break;
    }
  }
  first_token_ = i;
  // `netdim`, blanks, an integer, and then no more of a word (`netdim 1`, `netdim 2  # ...`).
  std::string_view rest = std::string_view(text_).substr(i);
  if (rest.substr(0, 6) != "netdim") return;
  std::size_t k = 6;
  if (k >= rest.size() || !is_blank(rest[k])) return;
  while (k < rest.size() && is_blank(rest[k])) ++k;
  const std::size_t digits = k;
  while (k < rest.size() && rest[k] >= '0' && rest[k] <= '9') ++k;
  if (k == digits) return;
  const char after = k < rest.size() ? rest[k] : '\n';
  netdim_source_ = is_blank(after) || after == '\n' || after == '#';
}

std::size_t Source::line_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<std::size_t>(it - line_starts_.begin());
}

std::size_t Source::column_of(std::size_t offset) const {
  offset = std::min(offset, text_.size());
  return offset - line_starts_[line_of(offset) - 1] + 1;
}

std::string_view Source::line_text(std::size_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::size_t begin = line_starts_[line - 1];
  std::size_t end = line < line_starts_.size() ? line_starts_[line] - 1 : text_.size();
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

SourceSpan Source::span(std::size_t offset, std::size_t length) const {
  SourceSpan s;
  s.file = name_;
  s.line = line_of(offset);
  s.column = column_of(offset);
  // A span never runs past its line (the caret line stays under the source line).
  const std::size_t room = line_text(s.line).size() + 1 - std::min(s.column - 1, line_text(s.line).size());
  s.length = std::max<std::size_t>(1, std::min(length, room));
  return s;
}

}  // namespace netdim::dsl
