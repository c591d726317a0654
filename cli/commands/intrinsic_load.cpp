// netdim intrinsic-load FILE.net MODEL.sub [--data ...]: rebuilds the parameters of
// a model `netdim intrinsic --save` stored compressed (theta0 from its seed, P from
// its seed, theta = theta0 + P d) and evaluates them on the test set: the same
// accuracy as the run that saved it, from d numbers instead of D.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "netdim/cli/classification_data.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/nn/subspace/compressed_model.hpp"
#include "netdim/nn/train/trainer.hpp"

namespace netdim::cli {

namespace {
struct LoadOptions {
  std::string network, model, data = "fashion-mnist";
  std::size_t test_limit = 0;
};
}  // namespace

Command add_intrinsic_load(CLI::App& parent) {
  auto o = std::make_shared<LoadOptions>();
  CLI::App* app = parent.add_subcommand(
      "intrinsic-load", "Rebuild a model saved by `netdim intrinsic --save` and report its test accuracy");
  app->add_option("network", o->network, "the .net file it was trained from")->required();
  app->add_option("model", o->model, "the file written by netdim intrinsic --save")->required();
  app->add_option("--data", o->data,
                  "as given to netdim intrinsic: fashion-mnist (default), X.npy,y.npy (every fifth row is the test set) "
                  "or Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy");
  app->add_option("--test-limit", o->test_limit, "use only the first N test examples")->transform(integer_in(1, 100'000'000));
  return {app, [o] {
            require_readable(o->model);
            const std::optional<nn::Architecture> arch = load_network(o->network);
            if (!arch) return 1;
            // Saved from this network (layers and initialisers), or one line saying what differs.
            const nn::subspace::CompressedModel saved = nn::subspace::load_compressed(o->model, *arch);
            nn::Model<float> model(*arch, saved.init_seed);
            model.set_parameters(nn::subspace::rebuild_parameters(*arch, saved));
            DataRequest request;
            request.spec = o->data;
            request.input_shape = arch->input_shape();
            request.hold_out_from_pair = true;
            request.test_limit = o->test_limit;
            const data::Dataset<float> test = *load_classification_data<float>(request).test;
            const nn::Evaluation e = nn::evaluate(model, model.parameters(), test, nn::LossKind::CrossEntropy);
            const std::size_t d = saved.coordinates.size(), D = saved.parameters;
            char line[200];
            std::snprintf(line, sizeof line, "test accuracy %.4f, test loss %.6f (%zu examples)\n", e.accuracy, e.loss,
                          test.size());
            std::cout << line;
            std::snprintf(line, sizeof line, "%zu parameters from %zu coordinates in a %s subspace: %.1fx fewer numbers; ",
                          D, d, std::string(nn::subspace::projection_name(saved.projection)).c_str(), double(D) / double(d));
            std::cout << line << std::filesystem::file_size(o->model) << " bytes against " << 4 * D
                      << " for float32 parameters\n";
            return 0;
          }};
}

}  // namespace netdim::cli
