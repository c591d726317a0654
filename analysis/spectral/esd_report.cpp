#include "netdim/analysis/spectral/esd_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "netdim/analysis/report/number_format.hpp"

namespace netdim::analysis {
namespace {

std::string fixed(double v, int digits = 3) { return report::fixed(v, digits); }

using report::finite_or_null;

std::string init_name(const EsdProtocol& p) { return p.init ? p.init->describe() : "network"; }

// Where every sample's parameters come from: drawn from the initialisers, or given.
std::string params_name(const EsdProtocol& p) { return p.parameters ? "given:" + p.parameters_source : "drawn"; }

std::string inputs_name(const EsdProtocol& p) {
  return p.inputs == InputDistribution::Data ? "data:" + p.data_source : input_distribution_name(p.inputs);
}

}  // namespace

nlohmann::ordered_json protocol_json(const EsdProtocol& p, std::size_t parameters) {
  nlohmann::ordered_json j;
  j["samples"] = p.samples;
  j["points"] = points_for(p, parameters);
  j["init"] = init_name(p);
  j["params"] = params_name(p);
  j["inputs"] = inputs_name(p);
  j["reduce"] = p.reduce.name();
  j["columns"] = p.columns == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(p.columns);
  j["dtype"] = p.precision == Precision::Float32 ? "float32" : "float64";
  j["seed"] = p.seed;
  j["until_stderr"] = p.until_stderr > 0 ? nlohmann::ordered_json(p.until_stderr) : nlohmann::ordered_json(nullptr);
  j["bootstrap_resamples"] = kBootstrapResamples;
  return j;
}

nlohmann::ordered_json esd_json(const EsdResult& r, const EsdProtocol& p) {
  const bool any = !r.sd.empty();
  const double nan = std::nan("");
  nlohmann::ordered_json j;
  j["esd"] = finite_or_null(any ? r.summary.mean : nan);
  j["stderr"] = finite_or_null(any ? r.summary.stderr_of_mean : nan);
  j["ci95"] = any ? nlohmann::ordered_json::array({r.summary.ci95_low, r.summary.ci95_high}) : nlohmann::ordered_json(nullptr);
  j["min"] = finite_or_null(any ? r.summary.min : nan);
  j["max"] = finite_or_null(any ? r.summary.max : nan);
  j["samples"] = r.sd.size();
  j["sd"] = r.sd;
  j["parameters"] = r.parameters;
  j["interrupted"] = r.interrupted;
  j["reached_stderr"] = r.reached_stderr;
  j["protocol"] = protocol_json(p, r.parameters);
  return j;
}

std::string esd_text(const EsdResult& r, const EsdProtocol& p, const std::string& name) {
  std::ostringstream os;
  os << name << ": " << r.parameters << " parameters; " << r.sd.size() << " sample" << (r.sd.size() == 1 ? "" : "s")
     << " of " << r.points << " points (inputs " << inputs_name(p) << (p.parameters ? ", params " + params_name(p) : ", init " + init_name(p)) << ", reduce "
     << p.reduce.name();
  if (p.columns != 0) os << ", " << p.columns << " random columns";
  os << ", " << (p.precision == Precision::Float32 ? "float32" : "float64") << ", seed " << p.seed << ")\n";
  if (r.sd.empty()) {
    os << "no sample finished\n";
    return os.str();
  }
  const SampleSummary& s = r.summary;
  os << "ESD  " << fixed(s.mean);
  if (s.count >= 2)
    os << " +- " << fixed(s.stderr_of_mean) << " (standard error)   95% CI [" << fixed(s.ci95_low) << ", "
       << fixed(s.ci95_high) << "] (bootstrap)";
  os << "\nSD   min " << fixed(s.min) << "   max " << fixed(s.max) << "\n";
  if (p.until_stderr > 0)
    os << (r.reached_stderr ? "stopped: the standard error reached " : "stopped at the sample limit before the standard error reached ")
       << p.until_stderr << "\n";
  if (r.interrupted) os << "interrupted: the samples above are those finished\n";
  return os.str();
}

report::Histogram esd_histogram(const EsdResult& r, const std::string& name) {
  report::Histogram h;
  h.title = name + ": spanning dimension of " + std::to_string(r.sd.size()) + " samples";
  h.x_label = "spanning dimension (effective rank of J)";
  h.values = r.sd;
  if (!r.sd.empty()) h.markers.push_back({"ESD " + fixed(r.summary.mean, 2), r.summary.mean});
  return h;
}

nlohmann::ordered_json spectrum_json(const SpanningSample& s, std::size_t index, const EsdProtocol& p,
                                     std::size_t parameters) {
  nlohmann::ordered_json j;
  j["sample"] = index;
  j["rows"] = s.rows;
  j["columns"] = s.columns;
  j["sd"] = s.sd;
  j["singular_values"] = s.singular_values;
  j["protocol"] = protocol_json(p, parameters);
  return j;
}

std::string spectrum_csv(const SpanningSample& s) {
  std::ostringstream os;
  os << "index,singular_value\n";
  for (std::size_t i = 0; i < s.singular_values.size(); ++i) os << i << ',' << report::round_trip(s.singular_values[i]) << '\n';
  return os.str();
}

report::LinePlot spectrum_plot(const SpanningSample& s, const std::string& name) {
  report::LinePlot plot;
  std::size_t nonzero = 0;
  for (double v : s.singular_values) nonzero += v > 0;
  plot.title = name + ": singular values of J (" + std::to_string(s.rows) + " x " + std::to_string(s.columns) + "; " +
               std::to_string(nonzero) + " nonzero), SD " + fixed(s.sd, 2);
  plot.x_label = "index";
  plot.y_label = "singular value";
  plot.log_y = true;
  report::Series series{"singular values", {}, {}};
  for (std::size_t i = 0; i < s.singular_values.size(); ++i) {
    series.x.push_back(static_cast<double>(i));
    series.y.push_back(s.singular_values[i]);
  }
  plot.series.push_back(std::move(series));
  return plot;
}

}  // namespace netdim::analysis
