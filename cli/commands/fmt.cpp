// netdim fmt FILE.net [--write | --check]: the canonical form of a file.
#include <iostream>
#include <memory>

#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/support/atomic_write.hpp"

namespace netdim::cli {

namespace {
struct FmtOptions {
  std::string file;
  bool write = false, check = false;
};

int run_fmt(const FmtOptions& o) {
  require_readable(o.file);
  if (o.write) require_writable(o.file, "--write");
  const dsl::FormatResult formatted = dsl::format_file(o.file);
  print_diagnostics(formatted.diagnostics);
  if (!formatted.text) return 1;
  const std::string& text = *formatted.text;
  if (o.check || o.write) {
    if (read_text(o.file) == text) return 0;
    if (o.check) {
      std::cerr << "netdim: " << o.file << " is not in canonical form (netdim fmt --write " << o.file
                << " rewrites it)\n";
      return 1;
    }
    // write_atomically keeps the replaced file's permission bits.
    support::write_text_atomically(o.file, text);
    return 0;
  }
  std::cout << text;
  return 0;
}
}  // namespace

Command add_fmt(CLI::App& parent) {
  auto o = std::make_shared<FmtOptions>();
  CLI::App* app = parent.add_subcommand("fmt", "Print the canonical form of a network file (or rewrite the file)");
  app->add_option("FILE", o->file, "the .net file")->required();
  CLI::Option* write = app->add_flag("--write", o->write, "rewrite FILE in place (atomically) when it differs");
  app->add_flag("--check", o->check, "print nothing; exit 1 when FILE is not in canonical form")->excludes(write);
  return {app, [o] { return run_fmt(*o); }};
}

}  // namespace netdim::cli
