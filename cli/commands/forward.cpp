// netdim forward FILE --inputs X.npy [--params P] [--dtype float32] -o Y.npy: the network's outputs
// for a batch, so that an import can be checked against the framework that exported it.
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/npy_input.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/support/process_memory.hpp"

namespace netdim::cli {

namespace {
struct ForwardOptions {
  std::string file, inputs, params, output, dtype = "float64";
  std::uint64_t seed = 0;
};

template <class T>
Tensor<T> outputs(const nn::Architecture& network, const Tensor<double>& theta, const Tensor<double>& x, std::uint64_t seed) {
  nn::Model<T> model(network, seed);
  model.set_parameters(xt::cast<T>(theta));
  return model.predict(xt::cast<T>(x));
}
}  // namespace

Command add_forward(CLI::App& parent) {
  auto o = std::make_shared<ForwardOptions>();
  CLI::App* app = parent.add_subcommand("forward", "Write the network's outputs for a batch of inputs as .npy");
  app->add_option("FILE", o->file, "the .net file or .onnx model")->required();
  app->add_option("--inputs", o->inputs, "a .npy array [n, input...] of n inputs")->required();
  app->add_option("--params", o->params,
                  "the parameters: a .npy vector in canonical order, or an .onnx model's own weights "
                  "(default: the seeded initialisation)");
  app->add_option("--seed", o->seed, "seed of the default initialisation (default 0)")->transform(integer_in(0, UINT64_MAX));
  app->add_option("--dtype", o->dtype, "float64 (default) or float32: the scalar the network computes in")
      ->check(CLI::IsMember({"float64", "float32"}));
  app->add_option("-o,--out", o->output, "the .npy file to write, shape [n, output...], of --dtype")->required();
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").input(o->inputs, "--inputs").input(o->params, "--params").output(o->output, "--out");
            const auto network = load_network(o->file);
            if (!network) return 1;
            const Tensor<double> theta = o->params.empty() ? nn::Model<double>(*network, o->seed).parameters()
                                                           : read_parameters(o->params, *network, "--params");
            const Tensor<double> x = read_finite_npy(o->inputs, "--inputs");
            const Shape& want = network->input_shape();
            if (x.dimension() < 1 || Shape(x.shape().begin() + 1, x.shape().end()) != want || x.shape()[0] == 0)
              throw std::runtime_error("--inputs " + o->inputs + ": shape " + shape_string(shape_of(x)) + "; the network takes [n, " +
                                       shape_string(want).substr(1) + " with n >= 1");
            if (o->dtype == "float32") {
              const Tensor<float> y = outputs<float>(*network, theta, x, o->seed);
              data::write_npy(o->output, y);
              std::cout << "Y: " << shape_string(shape_of(y)) << " float32, written to " << o->output << "\n";
            } else {
              const Tensor<double> y = outputs<double>(*network, theta, x, o->seed);
              data::write_npy(o->output, y);
              std::cout << "Y: " << shape_string(shape_of(y)) << " float64, written to " << o->output << "\n";
            }
            return 0;
          }};
}

}  // namespace netdim::cli
