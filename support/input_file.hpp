// Opening a file that came from outside, so that no input can hang or swamp the program:
//   - only a regular file is opened (a FIFO would block forever, /dev/zero never ends, a
//     directory is no data): the path is opened with O_NONBLOCK and checked with fstat on the
//     open descriptor, so a path swapped for a FIFO between a check and the open cannot block;
//   - its size is known before the first byte is read and checked against the caller's bound;
//   - the causes read as a user would say them: "no such file", "too many levels of symbolic
//     links", "a FIFO, not a regular file", "larger than the limit of N bytes".
// Every reader of outside bytes (.net, .npy, IDX, the CSVs of --resume and --errors, .sub) opens
// its file here. Failures throw InputError: one line, the path and the cause kept apart.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace netdim::support {

class InputError : public std::runtime_error {
 public:
  InputError(const std::filesystem::path& path, const std::string& cause)
      : std::runtime_error(path.string() + ": " + cause), path_(path), cause_(cause) {}
  // "PATH:LINE: cause", the way every reader of text names a place.
  InputError(const std::filesystem::path& path, std::size_t line, const std::string& cause)
      : std::runtime_error(path.string() + ":" + std::to_string(line) + ": " + cause), path_(path), cause_(cause) {}
  const std::filesystem::path& path() const noexcept { return path_; }
  const std::string& cause() const noexcept { return cause_; }

 private:
  std::filesystem::path path_;
  std::string cause_;
};

// Which file a path names, after every symlink: two paths name the same file exactly when
// their identities are equal (device and inode), however they are spelled.
struct FileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

// An open regular file: the descriptor is closed with the object.
class InputFile {
 public:
  // Throws InputError unless `path` names a readable regular file of at most max_bytes bytes.
  InputFile(const std::filesystem::path& path, std::uintmax_t max_bytes);
  ~InputFile();
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&&) = delete;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int descriptor() const { return fd_; }
  // Hands the descriptor over (to fdopen or gzdopen, which then close it).
  int release();
  std::uintmax_t size() const { return size_; }
  FileIdentity identity() const { return identity_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  int fd_ = -1;
  std::uintmax_t size_ = 0;
  FileIdentity identity_;
};

// The whole file as bytes (at most max_bytes; throws InputError).
std::string read_input(const std::filesystem::path& path, std::uintmax_t max_bytes);

// The identity of the file `path` names, following symlinks; false when there is none (yet).
bool identity_of(const std::filesystem::path& path, FileIdentity& identity);

// What a file of this mode is, for messages: "a directory", "a FIFO", "a character device", ...
std::string file_kind(mode_t mode);

// The cause of a failed open/stat as one phrase: "no such file", "too many levels of symbolic links", ...
std::string open_failure(int error_number);

}  // namespace netdim::support
