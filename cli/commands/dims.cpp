// netdim dims FILE.net...: "how many dimensions does this network have?" on one screen:
// the nominal dimension (the parameter count), the exact spanning dimension where the
// network allows exact arithmetic (analysis/exact/psd.hpp), and the ESD with its
// confidence interval (analysis/spectral/esd.hpp), each with a line saying what it means.
#include <filesystem>
#include <iostream>
#include <memory>

#include "netdim/analysis/exact/exact_answer.hpp"
#include "netdim/analysis/report/dims_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/protocol_options.hpp"
#include "netdim/support/stop_requests.hpp"
#include "netdim/support/progress.hpp"

namespace netdim::cli {

namespace {
struct DimsOptions {
  std::vector<std::string> files;
  ProtocolFlags protocol;
  std::size_t draws = 5;
  JsonOutput json;
};

}  // namespace

Command add_dims(CLI::App& parent) {
  auto o = std::make_shared<DimsOptions>();
  CLI::App* app = parent.add_subcommand(
      "dims", "How many dimensions does this network have? Nominal, exact (where it applies) and expected");
  app->add_option("FILE", o->files, "one or more .net files")->required();
  add_protocol_flags(*app, o->protocol, ProtocolUse::Sampling);
  add_params_flag(*app, o->protocol);
  app->add_option("--draws", o->draws, "random points of the exact rank (default 5)")->transform(integer_in(1, 10000));
  add_json_option(*app, o->json, "one object per file: {\"file\", \"nominal\", \"exact\", \"exact_reason\", \"esd\"}");
  return {app, [o, app] {
            FileRoles files(*app);
            for (const std::string& f : o->files) files.input(f, "FILE");
            files.input(protocol_input_file(o->protocol), "--inputs").input(o->protocol.params, "--params").json(o->json);
            if (!o->protocol.params.empty() && o->files.size() != 1)
              throw std::runtime_error("--params gives the parameters of one network: give one FILE");
            std::vector<nn::Architecture> networks;
            for (const std::string& f : o->files) {
              auto network = load_network(f);
              if (!network) return 1;
              networks.push_back(std::move(*network));
            }
            analysis::EsdProtocol protocol = protocol_from(o->protocol);
            set_given_parameters(protocol, o->protocol, networks.front());
            for (const nn::Architecture& a : networks) analysis::validate_protocol(a, protocol);
            support::StopRequestScope interrupt;
            nlohmann::ordered_json all = nlohmann::ordered_json::array();
            bool interrupted = false;
            for (std::size_t i = 0; i < networks.size() && !interrupted; ++i) {
              const nn::Architecture& a = networks[i];
              const std::string name = std::filesystem::path(o->files[i]).filename().string();
              // Ctrl-C (or SIGTERM) between exact draws ends them; the answer covers those finished.
              const analysis::ExactAnswer exact =
                  analysis::exact_answer(a, o->draws, protocol.seed, [] { return support::stop_requested(); });
              if (exact.interrupted) interrupted = true;
              support::Progress progress("ESD " + name, protocol.samples);
              analysis::EsdCallbacks callbacks;
              callbacks.stop_requested = [] { return support::stop_requested(); };
              callbacks.progress = [&](const std::vector<double>& sd) { progress.update(sd.size()); };
              const analysis::EsdResult esd = analysis::expected_spanning_dimension(a, protocol, callbacks);
              progress.finish();
              interrupted = interrupted || esd.interrupted;
              if (o->json.asked()) all.push_back(analysis::report::dims_json(o->files[i], a, exact, esd, protocol));
              // The text as each network finishes (JSON on stdout replaces it).
              if (!o->json.to_stdout())
                std::cout << (i ? "\n" : "") << analysis::report::dims_text(name, a, exact, esd, protocol) << std::flush;
            }
            write_report(o->json, [&] { return analysis::report::json_text(all); }, [] { return std::string(); });
            return interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
