// The files one command reads and writes, checked together before any work: the output
// rules of every netdim command in one place.
//   - an output option given with an empty path is refused (never ignored, never stdout);
//   - every output is writable (support::check_writable: absent or a regular file, in a
//     writable directory; a symlink is followed to the regular file it names);
//   - no output is one of the inputs, compared by file identity (device and inode after
//     every symlink), not by spelling: `draw in.net -o ./in.net` and a symlink to in.net
//     are both refused;
//   - no two outputs are the same file, nor a file and a name derived from a prefix
//     (zoo --plot PREFIX writes PREFIX-*.svg: each derived name is declared up front).
// Declare the inputs first, then the outputs; each call throws std::runtime_error with one
// line naming the option(s) and the path.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "netdim/cli/json_output.hpp"
#include "netdim/support/input_file.hpp"

namespace netdim::cli {

class FileRoles {
 public:
  // `command` is the subcommand's app: it tells which options were given at all.
  explicit FileRoles(const CLI::App& command) : command_(command) {}

  // An input file (skipped when empty). Inputs that do not exist are left to their reader.
  FileRoles& input(const std::filesystem::path& path, const std::string& option);
  // The output of `option` (its long name, "--csv"); nothing when the option was not given.
  FileRoles& output(const std::string& path, const std::string& option);
  // --json's file, when it names one (a lone --json and `--json -` are standard output).
  FileRoles& json(const JsonOutput& json);
  // An option whose value is a prefix of output names (--plot PREFIX): refused when given empty;
  // declare each name derived from it with derived().
  FileRoles& prefix(const std::string& value, const std::string& option);
  // A file the command writes under a name it derives from `option`'s value (a prefix).
  FileRoles& derived(const std::filesystem::path& path, const std::string& option);

 private:
  struct Entry {
    std::string path, option;
    bool has_identity = false;
    support::FileIdentity identity;
    std::filesystem::path resolved;  // absolute, symlinks of existing parts resolved
  };
  // The option's CLI11 record: whether it was given at all.
  bool given(const std::string& option) const;
  Entry entry(const std::filesystem::path& path, const std::string& option) const;
  void add_output(const Entry& e);

  const CLI::App& command_;
  std::vector<Entry> inputs_, outputs_;
};

}  // namespace netdim::cli
