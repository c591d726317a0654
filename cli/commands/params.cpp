// netdim params FILE.net [--json]: the nominal dimension, layer by layer.
#include <iostream>
#include <memory>

#include "analysis/count/parameter_table.hpp"
#include "cli/commands/commands.hpp"
#include "cli/network_file.hpp"

namespace netdim::cli {

namespace {
struct ParamsOptions {
  std::string file;
  bool json = false;
};
}  // namespace

Command add_params(CLI::App& parent) {
  auto o = std::make_shared<ParamsOptions>();
  CLI::App* app = parent.add_subcommand("params", "Count the weights and biases of every layer and in all");
  app->add_option("FILE", o->file, "the .net file")->required();
  app->add_flag("--json", o->json, "print JSON: {\"total\", \"weights\", \"biases\", \"layers\": [...]}");
  return {app, [o] {
            const auto network = load_network(o->file);
            if (!network) return 1;
            const analysis::count::ParameterTable table = analysis::count::parameter_table(*network);
            std::cout << (o->json ? analysis::count::to_json(table) : analysis::count::to_text(table));
            return 0;
          }};
}

}  // namespace netdim::cli
