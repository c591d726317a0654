// netdim::cli::run: the whole `netdim` command. Each subcommand lives in cli/commands/ (see
// commands.hpp); this file only wires them into one CLI11 app and maps failures to exit codes:
// 0 success, 1 bad input (a missing file, a network with errors), 2 bad usage.
#include "netdim/cli/run.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/support/stop_signals.hpp"

#ifndef NETDIM_VERSION
#error "NETDIM_VERSION is defined by cli/meson.build from the project version"
#endif

namespace {
// Under mpirun, rank 0 alone prints: the others compute their share and say nothing
// (their standard output goes to /dev/null until run returns).
struct QuietUnlessRoot {
  std::ofstream null_sink{"/dev/null"};
  std::streambuf* saved = nullptr;
  QuietUnlessRoot() {
    if (!netdim::analysis::world().root()) saved = std::cout.rdbuf(null_sink.rdbuf());
  }
  ~QuietUnlessRoot() {
    if (saved) std::cout.rdbuf(saved);
  }
};
}  // namespace

namespace netdim::cli {

int run(int argc, char** argv) {
  const netdim::analysis::MpiSession mpi(&argc, &argv);  // under mpirun only
  const QuietUnlessRoot quiet;
  netdim::support::install_stop_handlers();  // SIGINT, SIGTERM, SIGHUP never leave a temporary behind
  CLI::App app{"netdim: describe neural networks in .net files, check, count and draw them", "netdim"};
  app.set_version_flag("--version", "netdim " NETDIM_VERSION);
  app.require_subcommand(0, 1);
  std::vector<Command> commands;
  for (AddCommand add : kCommands) commands.push_back(add(app));

  if (const auto code = parse(app, argc, argv)) return *code;
  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    try {
      int code = command.run();
      // A full disk or a closed pipe must not pass for success.
      if (!std::cout.flush()) throw std::runtime_error("cannot write to standard output");
      // Commands return 130 when a stop signal ended their work early; SIGTERM and SIGHUP say so
      // with their own codes (143, 129), as a shell reports a process they killed.
      if (code == 130) code = netdim::support::interrupted_exit_code();
      return code;
    } catch (const std::exception& e) {
      std::string message = e.what();
      for (char& c : message)
        if (c == '\n') c = ' ';
      // Under mpirun every rank meets the same bad input: rank 0 alone says so.
      if (netdim::analysis::world().root()) std::cerr << "netdim: error: " << message << "\n";
      return 1;
    }
  }
  std::cerr << app.help();  // no subcommand: the usage
  return 2;
}

}  // namespace netdim::cli
