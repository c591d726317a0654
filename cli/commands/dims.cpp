// netdim dims FILE.net...: "how many dimensions does this network have?" on one screen:
// the nominal dimension (the parameter count), the exact spanning dimension where the
// network allows exact arithmetic (analysis/exact/psd.hpp), and the ESD with its
// confidence interval (analysis/spectral/esd.hpp), each with a line saying what it means.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "analysis/exact/exact_report.hpp"
#include "analysis/exact/psd.hpp"
#include "analysis/report/json_text.hpp"
#include "analysis/report/number_format.hpp"
#include "analysis/spectral/esd_report.hpp"
#include "cli/commands/commands.hpp"
#include "cli/network_file.hpp"
#include "cli/options.hpp"
#include "cli/protocol_options.hpp"
#include "support/stop_requests.hpp"
#include "support/progress.hpp"

namespace netdim::cli {

namespace {
struct DimsOptions {
  std::vector<std::string> files;
  ProtocolFlags protocol;
  std::size_t draws = 5;
  bool json = false;
};

// The exact answer, or why there is none.
struct ExactAnswer {
  std::optional<analysis::PsdResult> psd;
  std::string reason;  // when there is no psd
};

ExactAnswer exact_answer(const nn::Architecture& a, std::size_t draws, std::uint64_t seed) {
  // Ctrl-C (or SIGTERM) between exact draws ends them; the answer covers those finished.
  const analysis::NetworkDegree degree = analysis::network_degree(a);
  const std::size_t m = a.parameter_count();
  if (degree.exactness == analysis::Exactness::NotExact)
    return {std::nullopt, degree.culprit + " is not exact at rational points: no exact rank"};
  if (m > analysis::kMaxModularParameters)
    return {std::nullopt, std::to_string(m) + " parameters are more than exact rank handles here (" +
                              std::to_string(analysis::kMaxModularParameters) + ", mod p)"};
  analysis::PsdOptions options;
  options.draws = draws;
  options.seed = seed;
  options.modular = m > analysis::kMaxExactParameters;
  options.stop_requested = [] { return support::stop_requested(); };
  return {analysis::psd(a, options), ""};
}

std::string fixed(double v) { return analysis::report::fixed(v, 3); }

// Each answer: a label, the value, and under it what the value means.
std::string dims_text(const std::string& name, const nn::Architecture& a, const ExactAnswer& exact,
                      const analysis::EsdResult& esd, const analysis::EsdProtocol& protocol) {
  std::size_t weights = 0, biases = 0;
  for (const nn::LayerCount& c : a.parameter_counts()) weights += c.weights, biases += c.biases;
  std::ostringstream o;
  const std::string indent = "            ";
  o << name << ": how many dimensions?\n";
  o << "  nominal   " << a.parameter_count() << "\n"
    << indent << "parameters (" << weights << " weights, " << biases << " biases): the naive answer\n";
  if (exact.psd) {
    const analysis::PsdResult& r = *exact.psd;
    const bool polynomial = r.degree.exactness == analysis::Exactness::Polynomial;
    o << "  " << (polynomial ? "PSD       " : "exact     ") << r.psd << "\n" << indent;
    if (polynomial)
      o << "polynomial spanning dimension: the generic rank of J, " << (r.modular ? "mod p" : "exact over Q") << ",\n"
        << indent << "best of " << r.ranks.size() << " random points";
    else
      o << "exact rank of J at random rational points, best of " << r.ranks.size() << " (piecewise: it varies)";
    if (r.probability_bound) {
      char bound[32];
      std::snprintf(bound, sizeof bound, "%.2g", *r.probability_bound);
      o << "; P(higher) <= " << bound;
    }
    o << "\n";
  } else {
    o << "  exact     -\n" << indent << exact.reason << "\n";
  }
  if (esd.sd.empty()) {
    o << "  ESD       -\n" << indent << "no sample finished\n";
  } else {
    const analysis::SampleSummary& s = esd.summary;
    o << "  ESD       " << fixed(s.mean);
    if (s.count >= 2) o << " +- " << fixed(s.stderr_of_mean) << " (95% CI " << fixed(s.ci95_low) << " to " << fixed(s.ci95_high) << ")";
    o << "\n"
      << indent << "expected spanning dimension: the mean effective rank of J over " << s.count << " draws\n"
      << indent << "(" << esd.points << " "
      << (protocol.inputs == analysis::InputDistribution::Data ? "data" : analysis::input_distribution_name(protocol.inputs))
      << " inputs each): the directions training really moves in"
      << (esd.interrupted ? " (interrupted: over the samples finished)" : "") << "\n";
  }
  return o.str();
}
}  // namespace

Command add_dims(CLI::App& parent) {
  auto o = std::make_shared<DimsOptions>();
  CLI::App* app = parent.add_subcommand(
      "dims", "How many dimensions does this network have? Nominal, exact (where it applies) and expected");
  app->add_option("FILE", o->files, "one or more .net files")->required();
  add_protocol_flags(*app, o->protocol, ProtocolUse::Sampling);
  app->add_option("--draws", o->draws, "random points of the exact rank (default 5)")->transform(integer_in(1, 10000));
  app->add_flag("--json", o->json,
                "print JSON, one object per file: {\"file\", \"nominal\", \"exact\", \"exact_reason\", \"esd\"}");
  return {app, [o] {
            std::vector<nn::Architecture> networks;
            for (const std::string& f : o->files) {
              auto network = load_network(f);
              if (!network) return 1;
              networks.push_back(std::move(*network));
            }
            const analysis::EsdProtocol protocol = protocol_from(o->protocol);
            for (const nn::Architecture& a : networks) analysis::validate_protocol(a, protocol);
            support::StopRequestScope interrupt;
            nlohmann::ordered_json all = nlohmann::ordered_json::array();
            bool interrupted = false;
            for (std::size_t i = 0; i < networks.size() && !interrupted; ++i) {
              const nn::Architecture& a = networks[i];
              const std::string name = std::filesystem::path(o->files[i]).filename().string();
              const ExactAnswer exact = exact_answer(a, o->draws, protocol.seed);
              if (exact.psd && exact.psd->interrupted) interrupted = true;
              support::Progress progress("ESD " + name, protocol.samples);
              analysis::EsdCallbacks callbacks;
              callbacks.stop_requested = [] { return support::stop_requested(); };
              callbacks.progress = [&](const std::vector<double>& sd) { progress.update(sd.size()); };
              const analysis::EsdResult esd = analysis::expected_spanning_dimension(a, protocol, callbacks);
              progress.finish();
              interrupted = interrupted || esd.interrupted;
              if (o->json) {
                nlohmann::ordered_json j;
                j["file"] = o->files[i];
                j["nominal"] = a.parameter_count();
                j["exact"] = exact.psd ? analysis::psd_json(*exact.psd) : nlohmann::ordered_json(nullptr);
                j["exact_reason"] = exact.psd ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(exact.reason);
                j["esd"] = analysis::esd_json(esd, protocol);
                all.push_back(std::move(j));
              } else {
                std::cout << (i ? "\n" : "") << dims_text(name, a, exact, esd, protocol) << std::flush;
              }
            }
            if (o->json) std::cout << analysis::report::json_text(all);
            return interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
