// netdim jacobian FILE.net --inputs X.npy [--params P.npy] [--seed S] [--reduce R] --out J.npy:
// the per-example parameter Jacobian J[i, j] = d g(x_i) / d theta_j in float64, columns in the
// canonical flat order (PyTorch's layout), from one batched sweep (analysis/jacobian/batched_jacobian.hpp).
#include <iostream>
#include <memory>
#include <stdexcept>

#include "analysis/jacobian/batched_jacobian.hpp"
#include "cli/commands/commands.hpp"
#include "cli/network_file.hpp"
#include "cli/npy_input.hpp"
#include "cli/options.hpp"
#include "cli/reduce_option.hpp"
#include "nn/data/npy.hpp"
#include "nn/model.hpp"

namespace netdim::cli {

namespace {
struct JacobianOptions {
  std::string file, inputs, params, output, reduce = "first";
  std::uint64_t seed = 0;
};
}  // namespace

Command add_jacobian(CLI::App& parent) {
  auto o = std::make_shared<JacobianOptions>();
  CLI::App* app = parent.add_subcommand(
      "jacobian", "Write the per-example parameter Jacobian J[i, j] = d g(x_i) / d theta_j as .npy (float64)");
  app->add_option("FILE", o->file, "the .net file")->required();
  app->add_option("--inputs", o->inputs, "a .npy array [n, input...] of n inputs")->required();
  app->add_option("--params", o->params,
                  "a .npy vector of the m parameters in canonical order (default: the seeded initialisation)");
  app->add_option("--seed", o->seed, "seed of the default initialisation (default 0)")->check(integer_in(0, UINT64_MAX));
  app->add_option("--reduce", o->reduce,
                  "how several outputs make g: first (default), sum_squares (sum of f_k^2), stack (k rows per "
                  "input, row i*k + c), output:K (the K-th output)")
      ->check(reduction_validator(false));
  app->add_option("-o,--out", o->output, "the .npy file to write, shape [rows, m]")->required();
  return {app, [o] {
            require_writable(o->output, "--out");
            const auto network = load_network(o->file);
            if (!network) return 1;
            const nn::Model<double> model(*network, o->seed);
            const Tensor<double> inputs = read_finite_npy(o->inputs, "--inputs");
            const Tensor<double> theta = o->params.empty() ? model.parameters() : read_finite_npy(o->params, "--params");
            const analysis::OutputReduction reduce = reduction_named(o->reduce).single;
            const Tensor<double> j = analysis::batched_jacobian(model, theta, inputs, reduce);
            data::write_npy(o->output, j);
            std::cout << "J: " << j.shape()[0] << " x " << j.shape()[1] << " (" << reduce.name() << "), written to "
                      << o->output << "\n";
            return 0;
          }};
}

}  // namespace netdim::cli
