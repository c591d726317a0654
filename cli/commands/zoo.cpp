// netdim zoo A.net B.net ... [--errors table.csv] [budget flags] -o rows.csv [--json F]
// [--plot PREFIX]: seed 003, section 6. The ESD of each network under each output
// reduction (pick_first, sum_squares) on sign inputs {-1, 1}^input with random
// weights (Algorithm 1), each network's time and peak memory; then, against the
// published top-1 and top-5 errors, the least-squares line with its one-sigma
// bootstrap band and the p-value, for the ESD and for the parameter count (figures 9
// to 13, tables 3 and 4). Under mpirun the networks are split over the ranks. The
// experiment is analysis/experiments/zoo_experiment.hpp, its reports
// analysis/report/zoo_report.hpp.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <thread>

#include "netdim/analysis/experiments/published_errors.hpp"
#include "netdim/analysis/experiments/zoo_experiment.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/analysis/report/zoo_report.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/protocol_options.hpp"
#include "netdim/cli/reduce_option.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/support/progress.hpp"
#include "netdim/support/stop_requests.hpp"

namespace netdim::cli {

namespace {

struct ZooFlags {
  std::vector<std::string> files, reductions{"first", "sum_squares"};
  std::string errors, csv, plot;
  JsonOutput json;
  ProtocolFlags protocol = survey_defaults();
  std::size_t resamples = 1000;

  // Section 6's budget, small enough to try (the paper: 10 samples of 500 points, 10^6 columns).
  static ProtocolFlags survey_defaults() {
    ProtocolFlags p;
    p.samples = 3;
    p.points = 16;
    p.inputs = "sign";
    p.dtype = "float32";
    return p;
  }
};

analysis::experiments::ZooOptions zoo_options(const ZooFlags& f) {
  const analysis::EsdProtocol p = protocol_from(f.protocol);
  analysis::experiments::ZooOptions o;
  for (const auto& r : f.reductions) o.reductions.push_back({r, reduction_named(r)});
  o.samples = p.samples;
  o.points = p.points;
  o.columns = p.columns;
  o.threads = p.threads;
  o.resamples = f.resamples;
  o.seed = p.seed;
  o.inputs = p.inputs;
  o.precision = p.precision;
  return o;
}

}  // namespace

Command add_zoo(CLI::App& parent) {
  auto o = std::make_shared<ZooFlags>();
  CLI::App* app = parent.add_subcommand(
      "zoo", "The ESD of many networks against their published errors, and the parameter count against them (seed 003, section 6)");
  app->add_option("FILES", o->files, "the .net files (examples/zoo/*.net)")->required();
  app->add_option("--errors", o->errors,
                  "CSV of published errors: a header with name,top1_error,top5_error (percent); '#' lines are comments "
                  "(examples/zoo/published_errors.csv)");
  app->add_option("--reduce", o->reductions, "output reductions, comma-separated (default first,sum_squares)")
      ->delimiter(',')
      ->check(reduction_validator(false));
  add_protocol_flags(*app, o->protocol, ProtocolUse::Survey);
  app->add_option("--resamples", o->resamples, "bootstrap resamples of the band (default 1000)")->transform(integer_in(2, 1000000));
  app->add_option("-o,--csv", o->csv,
                  "rows: network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error");
  add_json_option(*app, o->json, "{\"protocol\", \"networks\", \"correlations\", \"interrupted\"}");
  app->add_option("--plot", o->plot,
                  "write PREFIX-esd-REDUCE-top1.svg, PREFIX-esd-REDUCE-top5.svg, PREFIX-parameters-top1.svg and "
                  "PREFIX-parameters-top5.svg (figures 9, 10 and 13)");
  return {app, [o, app] {
            FileRoles files(*app);
            for (const auto& file : o->files) files.input(file, "FILES");
            files.input(o->errors, "--errors").output(o->csv, "--csv").json(o->json).prefix(o->plot, "--plot");
            if (!o->plot.empty())  // every name a plot may take, before any work
              for (const char* y : {"top1_error", "top5_error"}) {
                files.derived(analysis::report::zoo_plot_name(o->plot, "parameters", y), "--plot");
                for (const auto& r : o->reductions) files.derived(analysis::report::zoo_plot_name(o->plot, "esd_" + r, y), "--plot");
              }
            using analysis::experiments::ZooNetwork;
            const analysis::experiments::ZooOptions options = zoo_options(*o);
            std::map<std::string, analysis::PublishedErrors> errors;
            if (!o->errors.empty()) errors = analysis::read_published_errors(o->errors);
            std::vector<ZooNetwork> networks;
            for (const auto& file : o->files) {
              const auto a = load_network(file);
              if (!a) return 1;
              const std::string name = std::filesystem::path(file).stem().string();
              analysis::PublishedErrors published;
              if (!o->errors.empty()) {
                const auto it = errors.find(name);
                if (it == errors.end())
                  throw std::invalid_argument(o->errors + ": no row for '" + name + "' (" + file + ")");
                published = it->second;
              }
              // Every network and reduction is checked, memory included, before the first sample.
              try {
                networks.push_back(analysis::experiments::zoo_network(name, *a, published, options));
              } catch (const std::exception& e) {
                throw std::invalid_argument(file + ": " + e.what());
              }
            }
            support::StopRequestScope interrupt;
            const bool root = analysis::world().root();
            std::optional<support::Progress> progress;
            analysis::experiments::ZooCallbacks callbacks;
            callbacks.stop_requested = [] { return support::stop_requested(); };
            callbacks.cell_started = [&](const ZooNetwork& n, const analysis::experiments::ZooReduction& r) {
              progress.emplace(n.name + " " + r.name, options.samples, root ? -1 : 0);
            };
            callbacks.progress = [&](const std::vector<double>& sd) { progress->update(sd.size()); };
            callbacks.cell_finished = [&] { progress.reset(); };
            const bool interrupted = analysis::experiments::run_zoo(networks, options, callbacks);
            if (!root) return interrupted ? 130 : 0;
            const auto relations = analysis::experiments::zoo_relations(options, networks);
            namespace report = analysis::report;
            support::OutputBatch outputs;  // the CSV, the plots and the JSON file: all or none
            if (!o->csv.empty()) outputs.add(o->csv, report::zoo_rows_csv(options, networks));
            if (!o->plot.empty())
              for (const auto& r : relations)
                if (!r.x.empty())
                  outputs.add(report::zoo_plot_name(o->plot, r.x_name, r.y_name), report::to_svg(report::zoo_relation_plot(r)));
            write_report(
                o->json, [&] { return report::json_text(report::zoo_json(options, networks, relations, interrupted)); },
                [&] {
                  return report::zoo_tables_text(options, networks, relations) +
                         (interrupted ? "interrupted: the tables cover the samples finished\n" : "");
                },
                outputs);
            return interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
