#include "netdim/support/line_reader.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace netdim::support {

LineReader::LineReader(const std::filesystem::path& path, std::uintmax_t max_bytes, std::size_t max_line_bytes)
    : file_(path, max_bytes), max_line_(max_line_bytes), buffer_(std::max<std::size_t>(1 << 16, max_line_bytes + 1)) {}

bool LineReader::fill() {
  if (eof_) return false;
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (end_ == buffer_.size()) return true;  // full: the caller finds the over-long line
  for (;;) {
    const ssize_t got = ::read(file_.descriptor(), buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw InputError(file_.path(), std::string("read error: ") + std::strerror(errno));
    if (got == 0) eof_ = true;
    end_ += static_cast<std::size_t>(got);
    return got > 0;
  }
}

bool LineReader::next(std::string& line) {
  std::size_t scanned = begin_;
  for (;;) {
    const char* start = buffer_.data() + scanned;
    const void* newline = std::memchr(start, '\n', end_ - scanned);
    const std::size_t stop = newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - buffer_.data()) : end_;
    if (std::memchr(start, '\0', stop - scanned) != nullptr)
      throw InputError(file_.path(), line_number_ + 1, "a NUL byte: not a text file");
    if (stop - begin_ > max_line_)
      throw InputError(file_.path(), line_number_ + 1, "a line longer than " + std::to_string(max_line_) + " bytes");
    if (newline || (eof_ && end_ > begin_)) {
      line.assign(buffer_.data() + begin_, stop - begin_);
      unterminated_ = newline == nullptr;
      begin_ = newline ? stop + 1 : end_;
      ++line_number_;
      return true;
    }
    if (eof_) return false;
    const std::size_t consumed = stop - begin_;
    fill();
    scanned = begin_ + consumed;
  }
}

std::vector<std::string> split_fields(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t from = 0;
  for (;;) {
    const std::size_t at = line.find(separator, from);
    fields.push_back(line.substr(from, at == std::string::npos ? std::string::npos : at - from));
    if (at == std::string::npos) return fields;
    from = at + 1;
  }
}

}  // namespace netdim::support
