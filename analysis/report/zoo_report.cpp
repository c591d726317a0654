#include "netdim/analysis/report/zoo_report.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>

#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/spectral/sample_summary.hpp"

namespace netdim::analysis::report {

using experiments::ZooCell;
using experiments::ZooNetwork;
using experiments::ZooOptions;
using experiments::ZooRelation;

namespace {

const char* dtype_name(Precision p) { return p == Precision::Float32 ? "float32" : "float64"; }

std::vector<std::string> reduction_names(const ZooOptions& o) {
  std::vector<std::string> names;
  for (const auto& r : o.reductions) names.push_back(r.name);
  return names;
}

}  // namespace

std::string zoo_plot_name(const std::string& prefix, const std::string& x_name, const std::string& y_name) {
  return prefix + "-" + (x_name == "parameters" ? x_name : "esd-" + x_name.substr(4)) + "-" + y_name.substr(0, 4) +
         ".svg";
}

LinePlot zoo_relation_plot(const ZooRelation& r) {
  LinePlot plot;
  plot.x_label = r.x_name == "parameters" ? "parameters" : "ESD (" + r.x_name.substr(4) + ")";
  plot.y_label = r.y_name == "top1_error" ? "top-1 error (%)" : "top-5 error (%)";
  char title[200];
  if (r.band)
    std::snprintf(title, sizeof title, "%s against %s: r = %.3f, p = %.2g (n = %zu)", plot.y_label.c_str(),
                  plot.x_label.c_str(), r.band->correlation.r, r.band->correlation.p, r.band->correlation.n);
  else
    std::snprintf(title, sizeof title, "%s against %s", plot.y_label.c_str(), plot.x_label.c_str());
  plot.title = title;
  plot.series.push_back({"networks", r.x, r.y, false, true});
  if (r.band) {
    const auto& b = *r.band;
    std::vector<double> fitted;
    for (double x : b.x) fitted.push_back(b.fit.slope * x + b.fit.intercept);
    plot.series.push_back({"least squares", b.x, fitted, true, false});
    plot.series.push_back({"1-sigma band", b.x, b.low, true, false});
    plot.series.push_back({"", b.x, b.high, true, false, true});
  }
  return plot;
}

std::string zoo_rows_csv(const ZooOptions& o, const std::vector<ZooNetwork>& networks) {
  std::ostringstream os;
  os << "network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error\n";
  for (const ZooNetwork& n : networks)
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const ZooCell& c = n.cells[r];
      if (c.sd.empty()) continue;
      const SampleSummary s = summarize_samples(c.sd);
      os << n.name << ',' << n.parameters << ',' << o.reductions[r].name << ',' << round_trip_or_empty(s.mean) << ','
         << round_trip_or_empty(s.stderr_of_mean) << ',' << round_trip_or_empty(s.min) << ','
         << round_trip_or_empty(s.max) << ',' << c.sd.size() << ',' << round_trip_or_empty(c.seconds) << ','
         << round_trip_or_empty(c.peak_bytes) << ',' << round_trip_or_empty(n.errors.top1) << ','
         << round_trip_or_empty(n.errors.top5) << '\n';
    }
  return os.str();
}

nlohmann::ordered_json zoo_json(const ZooOptions& o, const std::vector<ZooNetwork>& networks,
                                const std::vector<ZooRelation>& rel, bool interrupted) {
  nlohmann::ordered_json j;
  j["protocol"] = {{"samples", o.samples},
                   {"points", o.points},
                   {"columns", o.columns},
                   {"inputs", input_distribution_name(o.inputs)},
                   {"dtype", dtype_name(o.precision)},
                   {"init", "network"},
                   {"seed", o.seed},
                   {"reductions", reduction_names(o)},
                   {"bootstrap_resamples", o.resamples}};
  j["networks"] = nlohmann::ordered_json::array();
  for (const ZooNetwork& n : networks) {
    nlohmann::ordered_json x;
    x["name"] = n.name;
    x["parameters"] = n.parameters;
    x["top1_error"] = finite_or_null(n.errors.top1);
    x["top5_error"] = finite_or_null(n.errors.top5);
    x["esd"] = nlohmann::ordered_json::object();
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const ZooCell& c = n.cells[r];
      const std::string& name = o.reductions[r].name;
      if (c.sd.empty()) {
        x["esd"][name] = nullptr;
        continue;
      }
      const SampleSummary s = summarize_samples(c.sd);
      x["esd"][name] = {{"esd", s.mean},
                        {"stderr", finite_or_null(s.stderr_of_mean)},
                        {"min", s.min},
                        {"max", s.max},
                        {"sd", c.sd},
                        {"seconds", finite_or_null(c.seconds)},
                        {"peak_bytes", finite_or_null(c.peak_bytes)}};
    }
    j["networks"].push_back(std::move(x));
  }
  j["correlations"] = nlohmann::ordered_json::array();
  for (const ZooRelation& r : rel) {
    nlohmann::ordered_json c;
    c["x"] = r.x_name;
    c["y"] = r.y_name;
    c["n"] = r.x.size();
    c["r"] = r.band ? finite_or_null(r.band->correlation.r) : nullptr;
    c["p"] = r.band ? finite_or_null(r.band->correlation.p) : nullptr;
    c["slope"] = r.band ? finite_or_null(r.band->fit.slope) : nullptr;
    c["intercept"] = r.band ? finite_or_null(r.band->fit.intercept) : nullptr;
    j["correlations"].push_back(std::move(c));
  }
  j["interrupted"] = interrupted;
  return j;
}

std::string zoo_tables_text(const ZooOptions& o, const std::vector<ZooNetwork>& networks,
                            const std::vector<ZooRelation>& rel) {
  std::ostringstream os;
  char line[400];
  std::snprintf(line, sizeof line, "%-20s %11s", "network", "parameters");
  os << line;
  for (const auto& r : o.reductions) {
    std::snprintf(line, sizeof line, " %18s %8s %9s", ("ESD " + r.name).c_str(), "seconds", "peak MiB");
    os << line;
  }
  os << "   top-1   top-5\n";
  for (const ZooNetwork& n : networks) {
    std::snprintf(line, sizeof line, "%-20s %11zu", n.name.c_str(), n.parameters);
    os << line;
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const ZooCell& c = n.cells[r];
      if (c.sd.empty()) {
        std::snprintf(line, sizeof line, " %18s %8s %9s", "-", "-", "-");
      } else {
        const SampleSummary s = summarize_samples(c.sd);
        char esd[40];
        std::snprintf(esd, sizeof esd, "%.3f +- %.3f", s.mean, std::isnan(s.stderr_of_mean) ? 0.0 : s.stderr_of_mean);
        std::snprintf(line, sizeof line, " %18s %8.1f %9.0f", esd, c.seconds, c.peak_bytes / 1048576.0);
      }
      os << line;
    }
    std::snprintf(line, sizeof line, "  %6.2f  %6.2f\n", n.errors.top1, n.errors.top5);
    os << line;
  }
  os << "\n" << "relation                        n        r          p\n";
  for (const ZooRelation& r : rel) {
    if (r.band)
      std::snprintf(line, sizeof line, "%-14s ~ %-14s %3zu %8.4f %10.3g\n", r.y_name.c_str(), r.x_name.c_str(),
                    r.x.size(), r.band->correlation.r, r.band->correlation.p);
    else
      std::snprintf(line, sizeof line, "%-14s ~ %-14s %3zu        -          - (fewer than 3 networks)\n",
                    r.y_name.c_str(), r.x_name.c_str(), r.x.size());
    os << line;
  }
  return os.str();
}

}  // namespace netdim::analysis::report
