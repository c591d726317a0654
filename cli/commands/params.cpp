// netdim params FILE.net [--json]: the nominal dimension, layer by layer.
#include <iostream>
#include <memory>

#include "netdim/analysis/count/parameter_table.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"

namespace netdim::cli {

namespace {
struct ParamsOptions {
  std::string file;
  JsonOutput json;
};
}  // namespace

Command add_params(CLI::App& parent) {
  auto o = std::make_shared<ParamsOptions>();
  CLI::App* app = parent.add_subcommand("params", "Count the weights and biases of every layer and in all");
  app->add_option("FILE", o->file, "the .net file")->required();
  add_json_option(*app, o->json, "{\"total\", \"weights\", \"biases\", \"layers\": [...]}");
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            const analysis::count::ParameterTable table = analysis::count::parameter_table(*network);
            write_report(o->json, [&] { return analysis::count::to_json(table); }, [&] { return analysis::count::to_text(table); });
            return 0;
          }};
}

}  // namespace netdim::cli
