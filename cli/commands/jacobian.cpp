// netdim jacobian FILE.net --inputs X.npy [--params P.npy] [--seed S] [--reduce R] --out J.npy:
// the per-example parameter Jacobian J[i, j] = d g(x_i) / d theta_j in float64, columns in the
// canonical flat order (PyTorch's layout), from one batched sweep (analysis/jacobian/batched_jacobian.hpp).
#include <algorithm>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/analysis/jacobian/batched_jacobian.hpp"
#include "netdim/analysis/jacobian/layer_sweep.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/support/process_memory.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/npy_input.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/reduce_option.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/nn/model.hpp"

namespace netdim::cli {

namespace {
struct JacobianOptions {
  std::string file, inputs, params, output, reduce = "first";
  std::uint64_t seed = 0;
};

// The k per-output Jacobians [k, n, m], from the stacked one (row i*k + c is output c of input i).
Tensor<double> per_output_jacobians(const nn::Model<double>& model, const Tensor<double>& theta,
                                    const Tensor<double>& inputs) {
  const Tensor<double> stacked = analysis::batched_jacobian(model, theta, inputs, analysis::OutputReduction::stack());
  const std::size_t m = stacked.shape()[1], k = shape_size(model.architecture().output_shape());
  const std::size_t n = stacked.shape()[0] / k;
  Tensor<double> j = Tensor<double>::from_shape({k, n, m});
  for (std::size_t c = 0; c < k; ++c)
    for (std::size_t i = 0; i < n; ++i)
      std::copy_n(stacked.data() + (i * k + c) * m, m, j.data() + (c * n + i) * m);
  return j;
}
}  // namespace

Command add_jacobian(CLI::App& parent) {
  auto o = std::make_shared<JacobianOptions>();
  CLI::App* app = parent.add_subcommand(
      "jacobian", "Write the per-example parameter Jacobian J[i, j] = d g(x_i) / d theta_j as .npy (float64)");
  app->add_option("FILE", o->file, "the .net file")->required();
  app->add_option("--inputs", o->inputs, "a .npy array [n, input...] of n inputs")->required();
  app->add_option("--params", o->params,
                  "the m parameters: a .npy vector in canonical order, or an .onnx model's own weights "
                  "(default: the seeded initialisation)");
  app->add_option("--seed", o->seed, "seed of the default initialisation (default 0)")->transform(integer_in(0, UINT64_MAX));
  app->add_option("--reduce", o->reduce,
                  "how several outputs make g: first (default), sum_squares (sum of f_k^2), stack (k rows per "
                  "input, row i*k + c), output:K (the K-th output), mean (one Jacobian per output: shape [k, n, m])")
      ->check(reduction_validator(true));
  app->add_option("-o,--out", o->output, "the .npy file to write, shape [rows, m]")->required();
  return {app, [o, app] {
            FileRoles(*app)
                .input(o->file, "FILE")
                .input(o->inputs, "--inputs")
                .input(o->params, "--params")
                .output(o->output, "--out");
            const auto network = load_network(o->file);
            if (!network) return 1;
            const nn::Model<double> model(*network, o->seed);
            const Tensor<double> inputs = read_finite_npy(o->inputs, "--inputs");
            const Tensor<double> theta = o->params.empty() ? model.parameters() : read_parameters(o->params, *network, "--params");
            const analysis::SpanningReduction named = reduction_named(o->reduce);
            // J in float64 with its copy, and the activations the sweep keeps: refused before the sweep.
            const std::size_t examples = inputs.shape().empty() ? 0 : inputs.shape()[0];
            const std::size_t per_example =
                named.mean_over_outputs || named.single.name() == "stack" ? shape_size(network->output_shape()) : 1;
            support::require_memory(analysis::batched_jacobian_bytes(*network, examples, per_example),
                                    "the Jacobian (" + std::to_string(examples * per_example) + " x " +
                                        std::to_string(network->parameter_count()) +
                                        " float64) and the activations of its sweep",
                                    "give fewer --inputs rows");
            if (named.mean_over_outputs) {
              const Tensor<double> j = per_output_jacobians(model, theta, inputs);
              data::write_npy(o->output, j);
              std::cout << "J: " << j.shape()[0] << " Jacobians of " << j.shape()[1] << " x " << j.shape()[2]
                        << " (one per output), written to " << o->output << "\n";
              return 0;
            }
            const Tensor<double> j = analysis::batched_jacobian(model, theta, inputs, named.single);
            data::write_npy(o->output, j);
            std::cout << "J: " << j.shape()[0] << " x " << j.shape()[1] << " (" << named.single.name()
                      << "), written to " << o->output << "\n";
            return 0;
          }};
}

}  // namespace netdim::cli
