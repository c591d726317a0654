// netdim fitexp [--networks R] [training budget] [protocol flags] -o rows.csv [--json F]
// [--plot PREFIX]: seed 003's section 4 experiment (figure 3): training error against
// the ESD and against the parameter count over R random MLPs, with Pearson's r and
// its p-value (analysis/experiments/fit_experiment.hpp).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include "netdim/analysis/experiments/fit_experiment.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/report/fit_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/protocol_options.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/support/stop_requests.hpp"
#include "netdim/support/progress.hpp"

namespace netdim::cli {

namespace {
struct FitexpOptions {
  analysis::FitOptions fit;
  ProtocolFlags protocol;
  std::string csv, plot;
  JsonOutput json;
};

}  // namespace

Command add_fitexp(CLI::App& parent) {
  auto o = std::make_shared<FitexpOptions>();
  CLI::App* app = parent.add_subcommand(
      "fitexp", "Training error against ESD and parameter count over random MLPs fitting 8 points (seed 003, figure 3)");
  app->add_option("--networks", o->fit.networks, "R: random MLPs (default 200)")->transform(integer_in(3, 100000));
  app->add_option("--max-layers", o->fit.max_layers, "hidden layers drawn from 1 to this (default 6)")->transform(integer_in(1, 100));
  app->add_option("--max-nodes", o->fit.max_width, "nodes per hidden layer drawn from 2 to this (default 30)")
      ->transform(integer_in(2, 10000));
  app->add_option("--fit-points", o->fit.points, "points to fit, x and y uniform on [-1, 1], 1e-4 apart (default 8, at most 10000)")
      ->transform(integer_in(2, analysis::kMaxFitPoints));
  app->add_option("--restarts", o->fit.restarts, "SGD runs per network; the best counts (default 10)")->transform(integer_in(1, 1000));
  app->add_option("--steps", o->fit.steps, "full-batch SGD steps per run (default 2000)")->transform(integer_in(1, 10000000));
  app->add_option("--lr", o->fit.lr, "learning rate (default 0.01)")->check(finite_in(0, 100, Ends::OpenLow));
  app->add_option("--momentum", o->fit.momentum, "SGD momentum (default 0.9)")->check(finite_in(0, 1, Ends::OpenHigh));
  add_protocol_flags(*app, o->protocol, ProtocolUse::Sampling);
  app->add_option("-o,--csv", o->csv, "the rows: network,layers,parameters,esd,esd_stderr,train_error")->required();
  add_json_option(*app, o->json, "{\"experiment\", \"error_vs_esd\", \"error_vs_parameters\", \"rows\"}");
  app->add_option("--plot", o->plot, "write PREFIX-esd.svg and PREFIX-parameters.svg scatter plots");
  return {app, [o, app] {
            FileRoles files(*app);
            files.output(o->csv, "--csv").json(o->json).prefix(o->plot, "--plot");
            if (!o->plot.empty()) {
              files.derived(o->plot + "-esd.svg", "--plot");
              files.derived(o->plot + "-parameters.svg", "--plot");
            }
            o->fit.protocol = protocol_from(o->protocol);
            o->fit.seed = o->protocol.seed;
            support::StopRequestScope interrupt;
            const bool root = analysis::world().root();  // under mpirun, rank 0 alone reports and writes
            support::Progress progress("fitexp", o->fit.networks, root ? -1 : 0);
            analysis::FitCallbacks callbacks;
            callbacks.stop_requested = [] { return support::stop_requested(); };
            callbacks.row_done = [&](std::size_t done) { progress.update(done); };
            const analysis::FitResult r = analysis::run_fit_experiment(o->fit, o->fit.protocol.threads, callbacks);
            progress.finish();
            if (!root) return r.interrupted ? 130 : 0;
            support::OutputBatch outputs;  // the CSV, the plots and the JSON file: all or none
            outputs.add(o->csv, analysis::report::fit_rows_csv(r));
            if (!o->plot.empty()) {
              outputs.add(o->plot + "-esd.svg", analysis::report::to_svg(analysis::report::fit_scatter(r, true, r.error_vs_esd)));
              outputs.add(o->plot + "-parameters.svg", analysis::report::to_svg(analysis::report::fit_scatter(r, false, r.error_vs_parameters)));
            }
            std::size_t rows = 0;
            for (const auto& row : r.rows) rows += row.has_value();
            write_report(
                o->json, [&] { return analysis::report::json_text(analysis::report::fit_json(o->fit, o->fit.protocol, r)); },
                [&] {
                  std::string text = std::to_string(rows) + " of " + std::to_string(o->fit.networks) + " networks in " +
                                     o->csv + "\n" + analysis::report::correlation_line("training error against ESD", r.error_vs_esd) +
                                     analysis::report::correlation_line("training error against parameters", r.error_vs_parameters);
                  if (r.interrupted) text += "interrupted: the rows and correlations cover the networks finished\n";
                  return text;
                },
                outputs);
            return r.interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
