// netdim import MODEL.onnx -o MODEL.net [--params MODEL.npy]: an ONNX model as a .net file (and its
// trained parameters as a .npy vector in canonical order), written together or not at all.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/dsl/dsl.hpp"
#include "netdim/interop/onnx_import.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/support/atomic_write.hpp"

namespace netdim::cli {

namespace {
struct ImportOptions {
  std::string model, output, params;
};
}  // namespace

Command add_import(CLI::App& parent) {
  auto o = std::make_shared<ImportOptions>();
  CLI::App* app = parent.add_subcommand(
      "import", "Read an ONNX model: write its network as a .net file and its parameters as a .npy vector");
  app->add_option("MODEL", o->model, "the .onnx model")->required();
  app->add_option("-o,--output", o->output, "the .net file to write")->required();
  app->add_option("--params", o->params, "also write the model's parameters here (.npy, float64, canonical order)");
  return {app, [o, app] {
            FileRoles(*app).input(o->model, "MODEL").output(o->output, "--output").output(o->params, "--params");
            if (!is_onnx_file(o->model)) throw std::runtime_error("MODEL: '" + o->model + "' is not an .onnx file");
            require_readable(o->model);
            const interop::OnnxImport imported = interop::import_onnx_file(o->model);
            const nn::Architecture& a = imported.architecture;
            std::string comment = "Imported by netdim from " + std::filesystem::path(o->model).filename().string();
            if (!imported.producer.empty()) comment += " (" + imported.producer + ", opset " + std::to_string(imported.opset) + ")";
            comment += ": " + std::to_string(a.parameter_count()) + " parameters, fingerprint " + a.fingerprint() + ".";
            for (const std::string& n : imported.notes) comment += "\n" + n + ".";
            const std::string text = dsl::write_network(a, comment);
            // What the text loads to must be the model, name for name.
            const dsl::LoadResult back = dsl::load_source(text, o->output);
            if (!back.ok() || back.architecture->fingerprint() != a.fingerprint())
              throw std::logic_error("import: the written network does not load back to the model's architecture");
            support::OutputBatch batch;
            batch.add(o->output, text);
            if (!o->params.empty()) batch.add(o->params, data::npy_bytes(imported.parameters));
            batch.commit();
            std::cout << "imported " << o->model << ": " << a.layers().size() << " layers, " << a.parameter_count()
                      << " parameters, fingerprint " << a.fingerprint() << "\n";
            for (const std::string& n : imported.notes) std::cout << "  " << n << "\n";
            std::cout << "wrote " << o->output << (o->params.empty() ? "" : " and " + o->params) << "\n";
            return 0;
          }};
}

}  // namespace netdim::cli
