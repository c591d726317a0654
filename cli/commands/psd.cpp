// netdim psd FILE.net [--draws N] [--seed S] [--bound B] [--params P.npy] [--inputs X.npy]
// [--modular] [--json]: the polynomial spanning dimension, exactly (analysis/exact/psd.hpp).
#include <iostream>
#include <memory>
#include <stdexcept>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/npy_input.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/support/stop_requests.hpp"

namespace netdim::cli {

namespace {
struct PsdCommandOptions {
  std::string file, params, inputs;
  std::size_t draws = 5;
  std::uint64_t seed = 0;
  std::int64_t bound = 1000;
  bool modular = false;
  JsonOutput json;
};
// A .npy array as exact rationals: each double's exact binary value.
Tensor<Rational> read_rational_npy(const std::string& path, const std::string& option) {
  const Tensor<double> values = read_finite_npy(path, option);
  Tensor<Rational> exact = Tensor<Rational>::from_shape(shape_of(values));
  for (std::size_t i = 0; i < values.size(); ++i) exact.data()[i] = Rational(values.data()[i]);
  return exact;
}

}  // namespace

Command add_psd(CLI::App& parent) {
  auto o = std::make_shared<PsdCommandOptions>();
  CLI::App* app = parent.add_subcommand(
      "psd", "The polynomial spanning dimension: the exact rank of the Jacobian at random integer parameters");
  app->add_option("FILE", o->file, "the .net file (polynomial or piecewise-linear activations)")->required();
  app->add_option("--draws", o->draws, "random parameter points; the PSD is the maximum rank (default 5)")
      ->transform(integer_in(1, 10000));
  app->add_option("--seed", o->seed, "seed of the inputs and the draws (default 0)")
      ->transform(integer_in(0, UINT64_MAX));
  app->add_option("--bound", o->bound, "parameters are drawn uniformly from [-B, B] \\ {0} (default 1000)")
      ->transform(integer_in(1, std::uint64_t{1} << 40));
  app->add_option("--params", o->params,
                  "a .npy vector of the m parameters (canonical order): one draw at that point, no probability");
  app->add_option("--inputs", o->inputs, "a .npy array [n, input...] of n >= m distinct inputs (default: drawn)");
  app->add_flag("--modular", o->modular,
                "the rank mod the prime p = 2^61 - 1, a certified lower bound of the rank over Q (equal unless p "
                "divides every maximal nonzero minor); a polynomial network's Jacobian is formed mod p, much faster "
                "for large networks");
  add_json_option(*app, o->json,
                "{\"psd\", \"parameters\", \"points\", \"draws\": [{\"draw\", \"rank\"}], "
                "\"probability_bound\", ...}");
  return {app, [o, app] {
            FileRoles(*app).input(o->file, "FILE").input(o->params, "--params").input(o->inputs, "--inputs").json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            analysis::PsdOptions options;
            options.draws = o->draws;
            options.seed = o->seed;
            options.parameter_bound = o->bound;
            options.modular = o->modular;
            if (!o->params.empty()) options.parameters = read_rational_npy(o->params, "--params");
            if (!o->inputs.empty()) options.inputs = read_rational_npy(o->inputs, "--inputs");
            // Ctrl-C (or SIGTERM) between draws keeps the ranks finished: exit 130 with their report.
            support::StopRequestScope interrupt;
            options.stop_requested = [] { return support::stop_requested(); };
            const analysis::PsdResult r = analysis::psd(*network, options);
            write_report(o->json, [&] { return analysis::report::json_text(analysis::psd_json(r)); }, [&] { return analysis::psd_text(r); });
            return r.interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
