// netdim check FILE.net: parse, infer every shape, print the flat layer table.
#include <iostream>
#include <memory>

#include "netdim/analysis/report/layer_table.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/network_file.hpp"

namespace netdim::cli {

Command add_check(CLI::App& parent) {
  auto file = std::make_shared<std::string>();
  CLI::App* app = parent.add_subcommand(
      "check", "Parse a network, infer every shape and print its layers (name, kind, output shape, parameters)");
  app->add_option("FILE", *file, "the .net file")->required();
  return {app, [file] {
            const auto network = load_network(*file);
            if (!network) return 1;
            std::cout << analysis::report::layer_table(*network) << "total: " << network->parameter_count()
                      << " parameters in " << network->layers().size() << " layers, input "
                      << shape_string(network->input_shape()) << ", output " << shape_string(network->output_shape())
                      << "\n";
            return 0;
          }};
}

}  // namespace netdim::cli
