// netdim export FILE --json [-o OUT]: the graph for scripts.
// netdim export FILE --onnx M.onnx [--params P] [--seed S] [--dtype float64]: the network and its
// parameters (given, or the seeded initialisation) as an ONNX model.
// netdim export FILE --pytorch M.py: the network as a PyTorch module with netdim's parameter names.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/analysis/report/graph_json.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/interop/onnx_export.hpp"
#include "netdim/interop/pytorch_export.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/support/atomic_write.hpp"

namespace netdim::cli {

namespace {
struct ExportOptions {
  std::string file, output, onnx, pytorch, params, dtype = "float32";
  std::uint64_t seed = 0;
  JsonOutput json;
};
}  // namespace

Command add_export(CLI::App& parent) {
  auto o = std::make_shared<ExportOptions>();
  CLI::App* app = parent.add_subcommand(
      "export", "Write the network as JSON (layers, shapes, attributes, parameter blocks) or as an ONNX model");
  app->add_option("FILE", o->file, "the .net file or .onnx model")->required();
  CLI::Option* json = add_json_option(*app, o->json, "the graph as JSON");
  CLI::Option* output = app->add_option("-o,--output", o->output, "with --json: write here instead of to stdout");
  CLI::Option* onnx = app->add_option("--onnx", o->onnx, "write the network and its parameters as an ONNX model (opset 17)");
  CLI::Option* pytorch = app->add_option(
      "--pytorch", o->pytorch, "write a Python file defining the network as a PyTorch nn.Module (netdim's parameter names)");
  // One format at a time, and one is required.
  CLI::Option_group* format = app->add_option_group("format", "what to write: --json, --onnx or --pytorch");
  format->add_option(json);
  format->add_option(onnx);
  format->add_option(pytorch);
  format->require_option(1);
  output->excludes(onnx);
  output->excludes(pytorch);
  app->add_option("--params", o->params,
                  "with --onnx: the parameters, a .npy vector in canonical order or an .onnx model's weights "
                  "(default: the seeded initialisation)")
      ->needs(onnx);
  app->add_option("--seed", o->seed, "with --onnx: seed of the default initialisation (default 0)")
      ->transform(integer_in(0, UINT64_MAX))
      ->needs(onnx);
  app->add_option("--dtype", o->dtype, "with --onnx: float32 (default, as PyTorch exports) or float64")
      ->check(CLI::IsMember({"float32", "float64"}))
      ->needs(onnx);
  return {app, [o, app, onnx, pytorch] {
            if (!o->json.file().empty() && !o->output.empty())
              throw std::runtime_error("--json FILE and --output both name the output: give one");
            FileRoles(*app)
                .input(o->file, "FILE")
                .input(o->params, "--params")
                .output(o->output, "--output")
                .output(o->onnx, "--onnx")
                .output(o->pytorch, "--pytorch")
                .json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            if (pytorch->count() > 0) {
              support::write_text_atomically(o->pytorch, interop::export_pytorch(*network));
              std::cout << "wrote " << o->pytorch << ": class Net, " << network->parameter_count()
                        << " parameters; load_netdim_npy(model, PATH) sets them from a netdim .npy\n";
              return 0;
            }
            if (onnx->count() > 0) {
              const Tensor<double> theta = o->params.empty() ? nn::Model<double>(*network, o->seed).parameters()
                                                             : read_parameters(o->params, *network, "--params");
              interop::OnnxExportOptions options;
              options.float32 = o->dtype == "float32";
              options.producer_version = NETDIM_VERSION;
              support::write_text_atomically(o->onnx, interop::export_onnx(*network, theta, options));
              std::cout << "wrote " << o->onnx << ": " << network->parameter_count() << " parameters ("
                        << (o->params.empty() ? "drawn with seed " + std::to_string(o->seed) : "given by " + o->params)
                        << ", " << o->dtype << "), opset 17\n";
              return 0;
            }
            const std::string output = o->output.empty() ? o->json.file() : o->output;
            if (output.empty()) std::cout << analysis::report::graph_json(*network);
            else analysis::report::write_graph_json(output, *network);
            return 0;
          }};
}

}  // namespace netdim::cli
