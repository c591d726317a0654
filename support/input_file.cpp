#include "netdim/support/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace netdim::support {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory, not a file";
  const std::string kind = file_kind(mode);
  return kind == "not a regular file" ? kind : kind + ", not a regular file";
}

}  // namespace

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symlink";
  return "not a regular file";
}

std::string open_failure(int error_number) {
  switch (error_number) {
    case ENOENT: return "no such file";
    case ENOTDIR: return "no such file (a component of the path is not a directory)";
    case ELOOP: return "too many levels of symbolic links";
    case EACCES: return "permission denied";
    case ENAMETOOLONG: return "file name too long";
    case EISDIR: return "a directory, not a file";
    default: return error_number ? std::strerror(error_number) : "cannot open";
  }
}

InputFile::InputFile(const std::filesystem::path& path, std::uintmax_t max_bytes) : path_(path) {
  if (path.empty()) throw InputError(path, "no file name given");
  // O_NONBLOCK: opening a FIFO without a writer would otherwise wait forever. Reads of a
  // regular file ignore the flag.
  fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd_ < 0) {
    const int e = errno;
    struct stat st {};
    // A directory opens fine on some systems and fails with EISDIR on none; the stat tells which.
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) throw InputError(path, kind_of(st.st_mode));
    throw InputError(path, open_failure(e));
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0) {
    const int e = errno;
    ::close(fd_);
    throw InputError(path, "cannot inspect: " + open_failure(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd_);
    throw InputError(path, kind_of(st.st_mode));
  }
  size_ = static_cast<std::uintmax_t>(st.st_size);
  identity_ = {st.st_dev, st.st_ino};
  if (size_ > max_bytes) {
    ::close(fd_);
    throw InputError(path, std::to_string(size_) + " bytes, larger than the limit of " + std::to_string(max_bytes) +
                               " bytes for this kind of file");
  }
  const int flags = ::fcntl(fd_, F_GETFL);
  if (flags >= 0) ::fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

InputFile::InputFile(InputFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), size_(other.size_), identity_(other.identity_) {
  other.fd_ = -1;
}

int InputFile::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

std::string read_input(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  InputFile file(path, max_bytes);
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(file.size()));
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(file.descriptor(), buffer, sizeof buffer);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw InputError(path, std::string("read error: ") + std::strerror(errno));
    }
    if (got == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(got));
    // The file grew while being read: the bound holds for what is read, not only for the stat.
    if (bytes.size() > max_bytes)
      throw InputError(path, "larger than the limit of " + std::to_string(max_bytes) + " bytes for this kind of file");
  }
  return bytes;
}

bool identity_of(const std::filesystem::path& path, FileIdentity& identity) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return false;
  identity = {st.st_dev, st.st_ino};
  return true;
}

}  // namespace netdim::support
