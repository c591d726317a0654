// Writing a file so that nobody ever sees half of it, and nothing but a
// regular file is ever replaced.
//
// The bytes go to a fresh temporary in the target's directory (created with
// O_CREAT | O_EXCL | O_NOFOLLOW under an unpredictable name, so an existing
// file or symlink of that name is never followed or reused), are flushed to
// disk with fsync, and the temporary is renamed over the target, after which
// the directory is fsynced too. On any failure the temporary is removed and a
// FileError (data::FileError) of one line names the file and the cause; the target is left as it was.
//
// The rules for the target PATH:
//   - absent: created (its directory must exist);
//   - a regular file: replaced, keeping its permission bits;
//   - a symlink: written THROUGH to the regular file it finally names (which is
//     replaced as above; the link itself stays). A dangling symlink, or one that
//     leads to anything but a regular file, is refused;
//   - anything else (directory, character or block device, FIFO, socket): refused,
//     so that running as root never replaces /dev/null or a pipe with a file.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace netdim::support {

// Appends n bytes to the file being written (throws FileError on failure).
using PutBytes = std::function<void(const void* bytes, std::size_t n)>;

void write_atomically(const std::filesystem::path& path, const std::function<void(const PutBytes& put)>& fill);

// The same for a whole text (a CSV, JSON, an SVG document) already in memory.
void write_text_atomically(const std::filesystem::path& path, std::string_view text);

// One file written but not yet in place: the temporary beside its target, filled, flushed and
// synced; publish() renames it over the target. Destroyed unpublished (an exception on the way,
// a batch that failed), it removes the temporary and the target stays as it was.
class StagedFile {
 public:
  StagedFile(const std::filesystem::path& path, const std::function<void(const PutBytes& put)>& fill);
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;
  ~StagedFile();
  void publish();  // rename_into_place(), then sync()
  void rename_into_place();
  void sync() const;  // the directory, so that the rename survives a crash

 private:
  void discard() noexcept;
  std::filesystem::path path_, file_, directory_, temporary_;
  int slot_ = -1;
};

// The files one command writes, all or none: commit() writes each completely beside its target
// first and only then renames them into place, so that a full disk or a directory in the way of
// the last one leaves none of them written (the renames that follow rarely fail).
class OutputBatch {
 public:
  OutputBatch& add(std::filesystem::path path, std::string text);
  bool empty() const { return files_.empty(); }
  void commit();

 private:
  std::vector<std::pair<std::filesystem::path, std::string>> files_;
};

// Applies the same rules without writing anything, so that a program can check
// its output paths before any work: the target (after a symlink) is absent or a
// regular file, and its directory exists and is writable. Throws FileError.
void check_writable(const std::filesystem::path& path);

}  // namespace netdim::support
