// netdim-extend: the `netdim` command with one more activation and one more layer type,
// built against an installed netdim. It checks the new operation with check_op, registers it
// as the activation `isru` and, inside the layer type `isru_gain`, and hands the command line
// to netdim::cli::run, so that `netdim-extend check|dims|esd isru.net` (every subcommand)
// reads networks that use them.
#include <iostream>
#include <netdim/autodiff/check_op.hpp>
#include <netdim/cli/run.hpp>
#include <netdim/nn/activation.hpp>

#include "isru.hpp"
#include "isru_gain.hpp"

int main(int argc, char** argv) {
  using namespace netdim;
  // The rules, in both modes and to second order, at random points: refuse to start if wrong.
  const Tensor<double> at{{-2.0, -0.5, 0.3}, {0.7, 1.5, 4.0}};
  const CheckReport report =
      check_op("isru", [](const std::vector<Var<double>>& x) { return extend::isru(x[0]); }, {at});
  if (!report.ok) {
    std::cerr << "netdim-extend: isru fails check_op:\n" << report.summary() << "\n";
    return 1;
  }
  // Not polynomial: float and double only; exact analyses (psd, coeffs) refuse it by name.
  nn::register_activation(nn::make_activation<nn::ActivationExactness::NotExact>(
      "isru", "x / sqrt(1 + x^2)", [](const auto& x, double) { return extend::isru(x); }));
  // A layer type: a learned gain per feature, then ISRU with its alpha (isru_gain.hpp).
  nn::register_layer_type(extend::isru_gain_layer());
  return cli::run(argc, argv);
}
