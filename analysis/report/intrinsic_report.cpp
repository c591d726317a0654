#include "netdim/analysis/report/intrinsic_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <utility>

#include "netdim/analysis/report/number_format.hpp"

namespace netdim::analysis::report {

std::string intrinsic_rule(const experiments::IntrinsicOptions& options, double target) {
  return options.threshold_absolute ? "absolute test accuracy " + fixed(*options.threshold_absolute, 4)
                                    : fixed(options.threshold, 2) + " of the baseline (" + fixed(target, 4) + ")";
}

std::string intrinsic_table(const experiments::IntrinsicResult& result, const experiments::IntrinsicOptions& options,
                            const IntrinsicSetup& setup) {
  const double baseline = result.baseline;
  std::ostringstream table;
  table << "       d  seed  accuracy  fraction  seconds\n";
  for (const auto& r : result.search.runs) {
    char line[120];
    std::snprintf(line, sizeof line, "%8zu  %4llu  %8.4f  %8.4f  %7.1f\n", r.d, static_cast<unsigned long long>(r.seed),
                  r.accuracy, r.accuracy / baseline, r.seconds);
    table << line;
  }
  table << "baseline (" << result.parameters << " parameters): test accuracy " << fixed(baseline, 4) << "\n";
  table << "data: " << setup.data << "\n";
  table << "threshold: " << intrinsic_rule(options, result.target) << "\n";
  table << "projection: " << setup.projection << ", " << result.search.runs.size() << " runs\n";
  if (result.search.d_int)
    table << "d_int" << (options.threshold_absolute ? "" : std::to_string(int(std::lround(options.threshold * 100))))
          << " = " << *result.search.d_int << (result.search.complete ? "" : " (an upper bound: interrupted)") << "\n";
  else
    table << "no d reached the threshold" << (result.search.complete ? "" : " (interrupted)") << "\n";
  return table.str();
}

nlohmann::ordered_json intrinsic_json(const experiments::IntrinsicResult& result,
                                      const experiments::IntrinsicOptions& options, const IntrinsicSetup& setup) {
  const bool absolute = options.threshold_absolute.has_value();
  nlohmann::ordered_json j;
  j["network"] = setup.network;
  j["parameters"] = result.parameters;
  j["data"] = setup.data;
  j["projection"] = setup.projection;
  j["baseline"] = result.baseline;
  j["threshold"] = {{"kind", absolute ? "absolute" : "relative"},
                    {"value", absolute ? *options.threshold_absolute : options.threshold},
                    {"accuracy", result.target}};
  j["d_int90"] = result.search.d_int ? nlohmann::ordered_json(*result.search.d_int) : nlohmann::ordered_json(nullptr);
  j["complete"] = result.search.complete;
  j["runs"] = nlohmann::ordered_json::array();
  for (const auto& r : result.search.runs)
    j["runs"].push_back({{"d", r.d}, {"seed", r.seed}, {"accuracy", r.accuracy},
                         {"fraction", r.accuracy / result.baseline}, {"seconds", r.seconds}});
  return j;
}

LinePlot intrinsic_plot(const experiments::IntrinsicResult& result, const experiments::IntrinsicOptions& options) {
  LinePlot plot;
  plot.title = "test accuracy in random subspaces (baseline " + fixed(result.baseline, 4) + ")";
  plot.x_label = "log10 d";
  plot.y_label = "test accuracy";
  Series runs{"runs", {}, {}, false, true}, mean{"mean over seeds", {}, {}, true, false};
  std::map<std::size_t, std::pair<double, std::size_t>> per_d;
  for (const auto& r : result.search.runs) {
    runs.x.push_back(std::log10(double(r.d)));
    runs.y.push_back(r.accuracy);
    per_d[r.d].first += r.accuracy;
    per_d[r.d].second += 1;
  }
  for (const auto& [d, sum] : per_d) {
    mean.x.push_back(std::log10(double(d)));
    mean.y.push_back(sum.first / double(sum.second));
  }
  plot.series = {runs, mean};
  if (const auto& d_int = result.search.d_int) {
    const auto& [sum, n] = per_d.at(*d_int);
    plot.series.push_back({"d_int90 = " + std::to_string(*d_int), {std::log10(double(*d_int))}, {sum / double(n)}, false, true});
  }
  plot.references.push_back({"threshold: " + intrinsic_rule(options, result.target), result.target});
  return plot;
}

}  // namespace netdim::analysis::report
