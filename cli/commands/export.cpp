// netdim export FILE.net --json [-o OUT]: the graph for scripts.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/analysis/report/graph_json.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/network_file.hpp"

namespace netdim::cli {

namespace {
struct ExportOptions {
  std::string file, output;
  JsonOutput json;
};
}  // namespace

Command add_export(CLI::App& parent) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = parent.add_subcommand(
      "export", "Write the graph as JSON: layers, inputs, shapes, attributes, parameter blocks and their offsets");
  app->add_option("FILE", o->file, "the .net file")->required();
  add_json_option(*app, o->json, "the graph (the only format so far; required so that others can come)")->required();
  app->add_option("-o,--output", o->output, "write here instead of to stdout");
  return {app, [o, app] {
            if (!o->json.file().empty() && !o->output.empty())
              throw std::runtime_error("--json FILE and --output both name the output: give one");
            FileRoles(*app).input(o->file, "FILE").output(o->output, "--output").json(o->json);
            const std::string output = o->output.empty() ? o->json.file() : o->output;
            const auto network = load_network(o->file);
            if (!network) return 1;
            if (output.empty()) std::cout << analysis::report::graph_json(*network);
            else analysis::report::write_graph_json(output, *network);
            return 0;
          }};
}

}  // namespace netdim::cli
