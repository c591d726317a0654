// netdim export FILE.net --json [-o OUT]: the graph for scripts.
#include <iostream>
#include <memory>

#include "analysis/report/graph_json.hpp"
#include "cli/commands/commands.hpp"
#include "cli/file_roles.hpp"
#include "cli/options.hpp"
#include "cli/network_file.hpp"

namespace netdim::cli {

namespace {
struct ExportOptions {
  std::string file, output;
  bool json = false;
};
}  // namespace

Command add_export(CLI::App& parent) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = parent.add_subcommand(
      "export", "Write the graph as JSON: layers, inputs, shapes, attributes, parameter blocks and their offsets");
  app->add_option("FILE", o->file, "the .net file")->required();
  app->add_flag("--json", o->json, "JSON (the only format so far; required so that others can come)")->required();
  app->add_option("-o,--output", o->output, "write here instead of to stdout");
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").output(o->output, "--output");
            const auto network = load_network(o->file);
            if (!network) return 1;
            if (o->output.empty()) std::cout << analysis::report::graph_json(*network);
            else analysis::report::write_graph_json(o->output, *network);
            return 0;
          }};
}

}  // namespace netdim::cli
