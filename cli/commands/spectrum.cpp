// netdim spectrum FILE.net [protocol flags] [--sample K] [--json] [--csv F] [--plot F]: the
// singular values of the parameter Jacobian at one sample of the ESD protocol (seed 003's
// "sets of 500 singular values"), as text, JSON, CSV and a log-scale SVG plot.
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
#include "netdim/support/atomic_write.hpp"

namespace netdim::cli {

namespace {
struct SpectrumOptions {
  std::string file, csv, plot;
  ProtocolFlags protocol;
  std::size_t sample = 0;
  JsonOutput json;
};

constexpr std::size_t kShown = 12;  // singular values printed at each end of the text summary

std::string spectrum_text(const analysis::SpanningSample& s, std::size_t index, const std::string& name,
                          const std::string& reduce) {
  std::string out;
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s sample %zu: J is %zu x %zu (reduce %s); spanning dimension %.4f\n", name.c_str(),
                index, s.rows, s.columns, reduce.c_str(), s.sd);
  out += buf;
  const std::vector<double>& v = s.singular_values;
  const double top = v.empty() ? 0 : v.front();
  std::size_t above = 0;
  for (double x : v) above += x > 1e-6 * top;
  std::snprintf(buf, sizeof buf, "%zu singular values, %zu of them above 1e-6 of the largest:\n", v.size(), above);
  out += buf;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v.size() > 2 * kShown && i == kShown) {
      out += "  ...\n";
      i = v.size() - kShown;
    }
    std::snprintf(buf, sizeof buf, "  %5zu  %.6e\n", i, v[i]);
    out += buf;
  }
  return out;
}
}  // namespace

Command add_spectrum(CLI::App& parent) {
  auto o = std::make_shared<SpectrumOptions>();
  CLI::App* app = parent.add_subcommand(
      "spectrum", "The singular values of the parameter Jacobian at one sample of the ESD protocol");
  app->add_option("FILE", o->file, "the .net file")->required();
  add_protocol_flags(*app, o->protocol, ProtocolUse::OneSample);
  add_params_flag(*app, o->protocol);
  app->add_option("--sample", o->sample, "which sample of the protocol (default 0: the first of `netdim esd`)")
      ->transform(integer_in(0, 1000000));
  add_json_option(*app, o->json,
                "{\"sample\", \"rows\", \"columns\", \"sd\", \"singular_values\", \"protocol\"}");
  app->add_option("--csv", o->csv, "write index,singular_value lines as CSV");
  app->add_option("--plot", o->plot, "write the singular values on a log scale as SVG");
  return {app, [o, app] {
            FileRoles(*app)
                .input(o->file, "FILE")
                .input(protocol_input_file(o->protocol), "--inputs")
                .input(o->protocol.params, "--params")
                .output(o->csv, "--csv")
                .output(o->plot, "--plot")
                .json(o->json);
            const auto network = load_network(o->file);
            if (!network) return 1;
            analysis::EsdProtocol protocol = protocol_from(o->protocol);
            set_given_parameters(protocol, o->protocol, *network);
            protocol.samples = 1;
            const std::string name = std::filesystem::path(o->file).filename().string();
            const analysis::SpanningSample s = analysis::spanning_sample(*network, protocol, o->sample);
            support::OutputBatch outputs;  // the CSV, the plot and the JSON file: all or none
            if (!o->csv.empty()) outputs.add(o->csv, analysis::spectrum_csv(s));
            if (!o->plot.empty()) outputs.add(o->plot, analysis::report::to_svg(analysis::spectrum_plot(s, name)));
            write_report(
                o->json,
                [&] {
                  return analysis::report::json_text(
                      analysis::spectrum_json(s, o->sample, protocol, network->parameter_count()));
                },
                [&] { return spectrum_text(s, o->sample, name, protocol.reduce.name()); }, outputs);
            return 0;
          }};
}

}  // namespace netdim::cli
