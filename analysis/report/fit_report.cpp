#include "netdim/analysis/report/fit_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/spectral/esd_report.hpp"

namespace netdim::analysis::report {

std::string fit_rows_csv(const FitResult& r) {
  std::ostringstream os;
  os << "network,layers,parameters,esd,esd_stderr,train_error\n";
  for (const auto& row : r.rows)
    if (row)
      os << row->index << ",\"" << row->mlp.describe() << "\"," << row->parameters << ',' << round_trip(row->esd) << ','
         << round_trip(row->esd_stderr) << ',' << round_trip(row->train_error) << '\n';
  return os.str();
}

nlohmann::ordered_json correlation_json(const std::optional<Correlation>& c) {
  if (!c) return nullptr;
  nlohmann::ordered_json j;
  j["r"] = c->r;
  j["p"] = c->p;
  j["n"] = c->n;
  return j;
}

nlohmann::ordered_json fit_json(const FitOptions& o, const EsdProtocol& p,
                                   const FitResult& r) {
  nlohmann::ordered_json j;
  nlohmann::ordered_json setup;
  setup["networks"] = o.networks;
  setup["layers"] = {o.min_layers, o.max_layers};
  setup["widths"] = {o.min_width, o.max_width};
  setup["points"] = o.points;
  setup["restarts"] = o.restarts;
  setup["steps"] = o.steps;
  setup["lr"] = o.lr;
  setup["momentum"] = o.momentum;
  setup["seed"] = o.seed;
  setup["protocol"] = protocol_json(p, 0);
  setup["protocol"].erase("points");
  setup["protocol"]["points"] = p.points == 0 ? nlohmann::ordered_json("min(m, 500)") : nlohmann::ordered_json(p.points);
  j["experiment"] = setup;
  j["error_vs_esd"] = correlation_json(r.error_vs_esd);
  j["error_vs_parameters"] = correlation_json(r.error_vs_parameters);
  j["interrupted"] = r.interrupted;
  j["rows"] = nlohmann::ordered_json::array();
  for (const auto& row : r.rows) {
    if (!row) continue;
    nlohmann::ordered_json x;
    x["network"] = row->index;
    x["layers"] = row->mlp.describe();
    x["parameters"] = row->parameters;
    x["esd"] = row->esd;
    x["esd_stderr"] = std::isfinite(row->esd_stderr) ? nlohmann::ordered_json(row->esd_stderr) : nlohmann::ordered_json(nullptr);
    x["train_error"] = std::isfinite(row->train_error) ? nlohmann::ordered_json(row->train_error) : nlohmann::ordered_json(nullptr);
    j["rows"].push_back(std::move(x));
  }
  return j;
}

// Training error against one quantity, with the least-squares line (figure 3 A and B).
LinePlot fit_scatter(const FitResult& r, bool esd, const std::optional<Correlation>& c) {
  LinePlot plot;
  plot.x_label = esd ? "ESD" : "parameters";
  plot.y_label = "best training error (MSE)";
  Series dots{"networks", {}, {}, false, true};
  for (const auto& row : r.rows)
    if (row && std::isfinite(row->train_error)) {
      dots.x.push_back(esd ? row->esd : static_cast<double>(row->parameters));
      dots.y.push_back(row->train_error);
    }
  char title[160];
  std::snprintf(title, sizeof title, "training error against %s: r = %.3f, p = %.2g", esd ? "ESD" : "parameter count",
                c ? c->r : std::nan(""), c ? c->p : std::nan(""));
  plot.title = title;
  if (dots.x.size() >= 2) {
    try {
      const LineFit fit = least_squares_line(dots.x, dots.y);
      const auto [lo, hi] = std::minmax_element(dots.x.begin(), dots.x.end());
      plot.series.push_back({"least squares", {*lo, *hi}, {fit.slope * *lo + fit.intercept, fit.slope * *hi + fit.intercept}, true, false});
    } catch (const std::invalid_argument&) {
      // every x the same: no line
    }
  }
  plot.series.insert(plot.series.begin(), std::move(dots));
  return plot;
}

std::string correlation_line(const char* what, const std::optional<Correlation>& c) {
  char buf[160];
  if (!c) return std::string(what) + ": no correlation (fewer than 3 finished networks or a constant column)\n";
  std::snprintf(buf, sizeof buf, "%s: r = %.4f, p = %.3g (n = %zu)\n", what, c->r, c->p, c->n);
  return buf;
}
}  // namespace netdim::analysis::report
