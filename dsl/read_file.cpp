#include "netdim/dsl/read_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netdim::dsl {

ReadResult read_source_file(const std::filesystem::path& path, std::size_t max_bytes) {
  ReadResult r;
  // Open first, then ask the descriptor what it is: no window between a check and the open
  // (a path swapped for a FIFO), and O_NONBLOCK so that opening a FIFO never waits for a
  // writer. The cause is the open's own errno: ELOOP for a symlink loop ("Too many levels of
  // symbolic links"), ENOENT for a missing file or a dangling symlink, EACCES, ENAMETOOLONG.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    r.error = std::strerror(errno);
    return r;
  }
  struct Close {
    int fd;
    ~Close() { ::close(fd); }
  } close{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    r.error = std::strerror(errno);
    return r;
  }
  if (S_ISDIR(st.st_mode)) {
    r.error = std::strerror(EISDIR);
    return r;
  }
  if (!S_ISREG(st.st_mode)) {
    r.error = "not a regular file";
    return r;
  }
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes) {
    r.error = "larger than the limit of " + std::to_string(max_bytes) + " bytes";
    return r;
  }
  // The size may change while reading (a file being written): never more than max_bytes + 1.
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= max_bytes) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      r.error = std::strerror(errno);
      return r;
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (text.size() > max_bytes) {
    r.error = "larger than the limit of " + std::to_string(max_bytes) + " bytes";
    return r;
  }
  r.ok = true;
  r.text = std::move(text);
  return r;
}

}  // namespace netdim::dsl
