// netdim esd FILE.net [protocol flags] [--json] [--plot hist.svg]: the expected spanning
// dimension (seed 003, Algorithm 1; analysis/spectral/esd.hpp) with its standard error,
// a 95% bootstrap interval and the SD distribution. Progress on stderr; Ctrl-C stops
// after the samples running and reports those finished (exit 130).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "netdim/analysis/report/json_text.hpp"
#include "netdim/analysis/spectral/esd_report.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/protocol_options.hpp"
#include "netdim/support/stop_requests.hpp"
#include "netdim/support/progress.hpp"

namespace netdim::cli {

namespace {
struct EsdOptions {
  std::string file, plot;
  ProtocolFlags protocol;
  JsonOutput json;
};
}  // namespace

Command add_esd(CLI::App& parent) {
  auto o = std::make_shared<EsdOptions>();
  CLI::App* app = parent.add_subcommand(
      "esd", "The expected spanning dimension: the mean effective rank of the parameter Jacobian over random draws");
  app->add_option("FILE", o->file, "the .net file")->required();
  add_protocol_flags(*app, o->protocol, ProtocolUse::Sampling);
  add_params_flag(*app, o->protocol);
  add_json_option(*app, o->json,
                  "{\"esd\", \"stderr\", \"ci95\", \"min\", \"max\", \"samples\", \"sd\", \"parameters\", "
                  "\"interrupted\", \"reached_stderr\", \"protocol\"}");
  app->add_option("--plot", o->plot, "write the histogram of the SD samples, the ESD marked, as SVG");
  return {app, [o, app] {
            FileRoles(*app)
                .input(o->file, "FILE")
                .input(protocol_input_file(o->protocol), "--inputs")
                .input(o->protocol.params, "--params")
                .output(o->plot, "--plot")
                .json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            analysis::EsdProtocol protocol = protocol_from(o->protocol);
            set_given_parameters(protocol, o->protocol, *network);
            analysis::validate_protocol(*network, protocol);
            const std::string name = std::filesystem::path(o->file).filename().string();

            support::StopRequestScope interrupt;
            support::Progress progress("ESD " + name, protocol.samples);
            analysis::EsdCallbacks callbacks;
            callbacks.stop_requested = [] { return support::stop_requested(); };
            callbacks.progress = [&](const std::vector<double>& sd) {
              const double se = analysis::standard_error(sd);
              char note[96];
              double mean = 0;
              for (double v : sd) mean += v / static_cast<double>(sd.size());
              std::snprintf(note, sizeof note, "%zu samples, ESD %.3f +- %.3f", sd.size(), mean, std::isnan(se) ? 0.0 : se);
              progress.update(sd.size(), note);
            };
            const analysis::EsdResult r = analysis::expected_spanning_dimension(*network, protocol, callbacks);
            progress.finish();
            support::OutputBatch outputs;  // the plot and the JSON file: both or neither
            if (!o->plot.empty() && !r.sd.empty()) outputs.add(o->plot, analysis::report::to_svg(analysis::esd_histogram(r, name)));
            write_report(
                o->json, [&] { return analysis::report::json_text(analysis::esd_json(r, protocol)); },
                [&] {
                  std::string text = analysis::esd_text(r, protocol, name);
                  if (!o->plot.empty() && !r.sd.empty()) text += "histogram written to " + o->plot + "\n";
                  return text;
                },
                outputs);
            return r.interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
