// netdim theorem21 --max-depth L --degree K [--json]: seed 003's Theorem 2.1 (height-1
// networks with l hidden layers of x^K have PSD <= l + 2), checked for l = 1..L.
#include <iostream>
#include <memory>

#include "netdim/analysis/exact/exact_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/options.hpp"

namespace netdim::cli {

namespace {
struct Theorem21Options {
  std::size_t max_depth = 0, degree = 2, draws = 5;
  std::uint64_t seed = 0;
  std::int64_t bound = 1000;
  JsonOutput json;
};
}  // namespace

Command add_theorem21(CLI::App& parent) {
  auto o = std::make_shared<Theorem21Options>();
  CLI::App* app = parent.add_subcommand(
      "theorem21", "Check Theorem 2.1: height-1 networks with l hidden layers of x^K have PSD <= l + 2");
  app->add_option("--max-depth", o->max_depth, "the largest l (K^L at most 256: L <= 8 for K = 2, 5 for K = 3)")
      ->required()
      ->transform(integer_in(1, 8));
  app->add_option("--degree", o->degree, "the activation's degree K: 2 (square) or 3 (cube); default 2")
      ->transform(integer_in(2, 3));
  app->add_option("--draws", o->draws, "random parameter points per depth (default 5)")->transform(integer_in(1, 10000));
  app->add_option("--seed", o->seed, "seed of the inputs and the draws (default 0)")->transform(integer_in(0, UINT64_MAX));
  app->add_option("--bound", o->bound,
                  "parameters are drawn uniformly from [-B, B] \\ {0} (default 1000; larger B, smaller probability bound)")
      ->transform(integer_in(1, std::uint64_t{1} << 40));
  add_json_option(*app, o->json, "{\"rows\": [{\"depth\", \"psd\", \"bound\", ...}], \"holds\", ...}");
  return {app, [o, app] {
            FileRoles(*app).json(o->json);
            analysis::PsdOptions options;
            options.draws = o->draws;
            options.seed = o->seed;
            options.parameter_bound = o->bound;
            const auto rows = analysis::theorem21(o->max_depth, o->degree, options);
            write_report(o->json, [&] { return analysis::report::json_text(analysis::theorem21_json(rows, o->degree)); },
                         [&] { return analysis::theorem21_text(rows, o->degree); });
            return 0;
          }};
}

}  // namespace netdim::cli
