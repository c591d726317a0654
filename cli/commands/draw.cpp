// netdim draw FILE.net -o net.svg: a picture of the graph (Graphviz layout).
#include <memory>

#include "netdim/analysis/report/graph_svg.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/network_file.hpp"

namespace netdim::cli {

namespace {
struct DrawOptions {
  std::string file, output;
};
}  // namespace

Command add_draw(CLI::App& parent) {
  auto o = std::make_shared<DrawOptions>();
  CLI::App* app = parent.add_subcommand(
      "draw", "Draw the graph as SVG: one box per layer, arrows for data flow, shortcuts dashed");
  app->add_option("FILE", o->file, "the .net file")->required();
  app->add_option("-o,--output", o->output, "the SVG file to write")->required();
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").output(o->output, "--output");
            const auto network = load_network(o->file);
            if (!network) return 1;
            analysis::report::write_graph_svg(o->output, *network);
            return 0;
          }};
}

}  // namespace netdim::cli
