// Reading a text file of outside origin line by line, with every line bounded: a "line" of
// /dev/zero or of a 50 GB sparse file must not fill the memory before it is refused. The
// file is opened by InputFile (regular files only, size checked first).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "netdim/support/input_file.hpp"

namespace netdim::support {

class LineReader {
 public:
  // Throws InputError when the file cannot be opened or is larger than max_bytes.
  LineReader(const std::filesystem::path& path, std::uintmax_t max_bytes, std::size_t max_line_bytes);

  // The next line without its '\n' (a '\r' before it is kept: callers that refuse CRLF see it).
  // false at the end of the file. Throws InputError "PATH:LINE: ..." for a line longer than the
  // bound or a NUL byte (a binary file, not text).
  bool next(std::string& line);

  // The number of the line next() returned last (1 for the first).
  std::size_t line_number() const { return line_number_; }
  // True when the last line returned ended at the end of the file without a '\n'.
  bool last_line_unterminated() const { return unterminated_; }
  const std::filesystem::path& path() const { return file_.path(); }
  // The file's size when it was opened (at most max_bytes).
  std::uintmax_t size() const { return file_.size(); }

 private:
  bool fill();

  InputFile file_;
  std::size_t max_line_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, end_ = 0;
  bool eof_ = false, unterminated_ = false;
  std::size_t line_number_ = 0;
};

// Splits one line at `separator`, keeping empty fields ("a,,b" is three fields, "" is one).
std::vector<std::string> split_fields(const std::string& line, char separator);

}  // namespace netdim::support
