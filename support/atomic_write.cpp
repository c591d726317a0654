#include "netdim/support/atomic_write.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>
#include <random>
#include <string>
#include <system_error>

#include "netdim/support/file_error.hpp"
#include "netdim/support/input_file.hpp"
#include "netdim/support/stop_signals.hpp"

namespace netdim::support {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int e) { return e ? std::strerror(e) : "unknown error"; }

std::string kind_of(mode_t mode) { return support::file_kind(mode); }

// Where the bytes will really go: PATH itself, or the regular file a symlink at PATH names.
struct Target {
  fs::path file;          // the path that the rename replaces
  fs::path directory;     // where the temporary is created
  bool exists = false;
  mode_t mode = 0;        // permission bits of the existing file
};

Target resolve(const fs::path& path) {
  if (path.empty()) throw FileError(path, "cannot write: no file name given");
  if (!path.has_filename()) throw FileError(path, "cannot write: the path names a directory, not a file");
  Target t;
  t.file = path;
  struct stat st{};
  errno = 0;
  const bool present = ::lstat(path.c_str(), &st) == 0;
  if (const int e = errno; !present && e != ENOENT) throw FileError(path, "cannot write: " + errno_text(e));
  if (present && S_ISLNK(st.st_mode)) {
    std::error_code ec;
    t.file = fs::canonical(path, ec);  // every link in the chain resolved
    if (ec == std::errc::no_such_file_or_directory)
      throw FileError(path, "cannot write: a symlink to a missing file; refusing to follow it");
    if (ec) throw FileError(path, "cannot write: a symlink that cannot be resolved (" + ec.message() + ")");
    if (::lstat(t.file.c_str(), &st) != 0) {
      const int e = errno;
      throw FileError(path, "cannot write: cannot inspect " + t.file.string() + ": " + errno_text(e));
    }
    if (!S_ISREG(st.st_mode))
      throw FileError(path, "cannot write: a symlink to " + kind_of(st.st_mode) + " (" + t.file.string() +
                                "), not a regular file: refusing to replace it");
  }
  if (present) {
    if (!S_ISREG(st.st_mode))
      throw FileError(path, "cannot write: " + kind_of(st.st_mode) + ", not a regular file: refusing to replace it");
    t.exists = true;
    t.mode = st.st_mode & 07777;
  }
  t.directory = t.file.parent_path();
  if (t.directory.empty()) t.directory = ".";
  struct stat dir{};
  if (::stat(t.directory.c_str(), &dir) != 0) {
    const int e = errno;
    throw FileError(path, "cannot write: directory " + t.directory.string() + ": " + errno_text(e));
  }
  if (!S_ISDIR(dir.st_mode)) throw FileError(path, "cannot write: " + t.directory.string() + " is not a directory");
  if (::access(t.directory.c_str(), W_OK | X_OK) != 0) {
    const int e = errno;
    throw FileError(path, "cannot write in directory " + t.directory.string() + ": " + errno_text(e));
  }
  return t;
}

// A new file next to the target, created exclusively: never an existing file, never through a symlink.
int create_temporary(const Target& t, const fs::path& path, fs::path& name) {
  static std::atomic<unsigned> counter{0};
  std::random_device entropy;
  for (int attempt = 0; attempt < 100; ++attempt) {
    name = t.file;
    name += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++) + "." + std::to_string(entropy());
    const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0) return fd;
    if (const int e = errno; e != EEXIST) throw FileError(path, "cannot write " + name.string() + ": " + errno_text(e));
  }
  throw FileError(path, "cannot write: no free temporary name next to " + t.file.string());
}

void sync_directory(const fs::path& directory, const fs::path& path) {
  const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw FileError(path, "written, but cannot open its directory to sync it: " + errno_text(errno));
  const int rc = ::fsync(fd);
  const int e = errno;
  ::close(fd);
  // Some file systems cannot sync directories at all (EINVAL): nothing more can be done there.
  if (rc != 0 && e != EINVAL) throw FileError(path, "written, but syncing its directory failed: " + errno_text(e));
}

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

}  // namespace

void check_writable(const fs::path& path) { resolve(path); }

StagedFile::StagedFile(const fs::path& path, const std::function<void(const PutBytes& put)>& fill) : path_(path) {
  const Target target = resolve(path);
  file_ = target.file;
  directory_ = target.directory;
  const int fd = create_temporary(target, path, temporary_);
  // A signal that ends the program from here on removes the temporary (support/stop_signals).
  slot_ = support::remember_temporary(temporary_.c_str());
  // Reads errno before anything else can change it.
  const auto fail = [&](const char* cause) {
    const int e = errno;
    throw FileError(path, std::string(cause) + ": " + errno_text(e));
  };
  try {
    std::unique_ptr<std::FILE, FileCloser> f(::fdopen(fd, "wb"));
    if (!f) {
      const int e = errno;
      ::close(fd);
      errno = e;
      fail("cannot write the temporary file");
    }
    if (target.exists && ::fchmod(fd, target.mode) != 0) fail("cannot keep the permissions of the file it replaces");
    const PutBytes put = [&](const void* bytes, std::size_t n) {
      errno = 0;
      if (std::fwrite(bytes, 1, n, f.get()) != n) fail("write failed");
    };
    fill(put);
    errno = 0;
    if (std::fflush(f.get()) != 0) fail("write failed");
    if (::fsync(fd) != 0) fail("write failed on sync");
    if (std::fclose(f.release()) != 0) fail("write failed on close");
  } catch (...) {
    discard();
    throw;
  }
}

StagedFile::~StagedFile() { discard(); }

void StagedFile::discard() noexcept {
  if (temporary_.empty()) return;
  std::error_code ignored;
  fs::remove(temporary_, ignored);
  support::forget_temporary(slot_);
  temporary_.clear();
}

void StagedFile::rename_into_place() {
  if (temporary_.empty())
    throw std::logic_error("StagedFile: " + path_.string() + " has no temporary (published, or discarded after a failure)");
  errno = 0;
  if (::rename(temporary_.c_str(), file_.c_str()) != 0) {
    const int e = errno;
    discard();
    throw FileError(path_, "cannot rename the temporary file into place: " + errno_text(e));
  }
  support::forget_temporary(slot_);
  temporary_.clear();
}

void StagedFile::sync() const { sync_directory(directory_, path_); }

void StagedFile::publish() {
  rename_into_place();
  sync();
}

void write_atomically(const fs::path& path, const std::function<void(const PutBytes& put)>& fill) {
  StagedFile(path, fill).publish();
}

void write_text_atomically(const std::filesystem::path& path, std::string_view text) {
  write_atomically(path, [&](const PutBytes& put) { put(text.data(), text.size()); });
}

OutputBatch& OutputBatch::add(std::filesystem::path path, std::string text) {
  files_.push_back({std::move(path), std::move(text)});
  return *this;
}

void OutputBatch::commit() {
  std::vector<std::unique_ptr<StagedFile>> staged;
  staged.reserve(files_.size());
  // Every file complete beside its target first: a failure here leaves every target as it was.
  for (const auto& [path, text] : files_)
    staged.push_back(std::make_unique<StagedFile>(
        path, [&text = text](const PutBytes& put) { put(text.data(), text.size()); }));
  // The renames first, then the directories' syncs: a sync that fails cannot leave half the batch unrenamed.
  for (auto& f : staged) f->rename_into_place();
  for (auto& f : staged) f->sync();
  files_.clear();
}

}  // namespace netdim::support
