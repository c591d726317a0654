// netdim zoo A.net B.net ... [--errors table.csv] [budget flags] -o rows.csv [--json F]
// [--plot PREFIX]: seed 003, section 6. The ESD of each network under each output
// reduction (pick_first, sum_squares) on sign inputs {-1, 1}^input with random
// weights (Algorithm 1), each network's time and peak memory; then, against the
// published top-1 and top-5 errors, the least-squares line with its one-sigma
// bootstrap band and the p-value, for the ESD and for the parameter count (figures 9
// to 13, tables 3 and 4). Under mpirun the networks are split over the ranks.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <sstream>
#include <thread>

#include "support/process_memory.hpp"
#include "analysis/parallel/ranks.hpp"
#include "analysis/report/json_text.hpp"
#include "analysis/report/line_plot.hpp"
#include "analysis/spectral/esd.hpp"
#include "analysis/spectral/sample_memory.hpp"
#include "analysis/experiments/published_errors.hpp"
#include "analysis/stats/line_band.hpp"
#include "cli/commands/commands.hpp"
#include "cli/file_roles.hpp"
#include "cli/network_file.hpp"
#include "cli/options.hpp"
#include "cli/reduce_option.hpp"
#include "support/atomic_write.hpp"
#include "nn/data/data_error.hpp"
#include "support/stop_requests.hpp"
#include "support/progress.hpp"

namespace netdim::cli {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct ZooOptions {
  std::vector<std::string> files, reductions{"first", "sum_squares"};
  std::string errors, csv, json, plot, inputs = "sign", dtype = "float32";
  std::size_t samples = 3, points = 16, columns = 0, threads = 0, resamples = 1000;
  std::uint64_t seed = 0;
};

using analysis::PublishedErrors;

// One network under one reduction.
struct Cell {
  std::vector<double> sd;  // the samples finished
  double seconds = kNaN, peak_bytes = kNaN;
};

struct Network {
  std::string name;
  std::size_t parameters = 0;
  nn::Architecture architecture;
  PublishedErrors errors;
  std::vector<Cell> cells;  // one per reduction
};

// PREFIX-esd-REDUCE-top1.svg, PREFIX-parameters-top5.svg, ...: x_name "esd_first" or "parameters",
// y_name "top1_error" or "top5_error".
std::string plot_name(const std::string& prefix, const std::string& x_name, const std::string& y_name) {
  return prefix + "-" + (x_name == "parameters" ? x_name : "esd-" + x_name.substr(4)) + "-" + y_name.substr(0, 4) +
         ".svg";
}

analysis::EsdProtocol protocol_for(const ZooOptions& o, const std::string& reduction) {
  analysis::EsdProtocol p;
  p.samples = o.samples;
  p.points = o.points;
  p.columns = o.columns;
  p.seed = o.seed;
  p.threads = o.threads;
  p.inputs = o.inputs == "sign"     ? analysis::InputDistribution::Sign
             : o.inputs == "normal" ? analysis::InputDistribution::Normal
                                    : analysis::InputDistribution::Uniform;
  p.precision = o.dtype == "float32" ? analysis::Precision::Float32 : analysis::Precision::Float64;
  p.reduce = reduction_named(reduction);
  p.single_process = true;  // under mpirun the networks are split over the ranks, not one network's samples
  return p;
}

std::string number(double v) {
  if (std::isnan(v)) return "";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

nlohmann::ordered_json finite_or_null(double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nullptr; }

double mean_of(const std::vector<double>& v) {
  if (v.empty()) return kNaN;
  double s = 0;
  for (double x : v) s += x;
  return s / static_cast<double>(v.size());
}

// One relation of tables 3 and 4: a quantity of the networks against an error.
struct Relation {
  std::string x_name, y_name;  // "esd_first" / "parameters", "top1_error" / "top5_error"
  std::optional<analysis::LineBand> band;
  std::vector<double> x, y;
  std::vector<std::string> labels;
};

std::vector<Relation> relations(const ZooOptions& o, const std::vector<Network>& networks) {
  std::vector<Relation> out;
  const std::size_t quantities = o.reductions.size() + 1;  // each reduction's ESD, then the parameter count
  for (const bool top5 : {false, true})
    for (std::size_t q = 0; q < quantities; ++q) {
      Relation r;
      r.x_name = q < o.reductions.size() ? "esd_" + o.reductions[q] : "parameters";
      r.y_name = top5 ? "top5_error" : "top1_error";
      for (const Network& n : networks) {
        const double x = q < o.reductions.size() ? mean_of(n.cells[q].sd) : static_cast<double>(n.parameters);
        const double y = top5 ? n.errors.top5 : n.errors.top1;
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        r.x.push_back(x);
        r.y.push_back(y);
        r.labels.push_back(n.name);
      }
      try {
        r.band = analysis::line_with_band(r.x, r.y, o.resamples, o.seed);
      } catch (const std::invalid_argument&) {
        // fewer than 3 networks, or a constant column: no line
      }
      out.push_back(std::move(r));
    }
  return out;
}

analysis::report::LinePlot relation_plot(const Relation& r) {
  analysis::report::LinePlot plot;
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
    plot.series.push_back({"1-sigma band", b.x, b.low,
                           true, false});
    plot.series.push_back({"", b.x, b.high, true, false, true});
  }
  return plot;
}

std::string rows_csv(const ZooOptions& o, const std::vector<Network>& networks) {
  std::ostringstream os;
  os << "network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error\n";
  for (const Network& n : networks)
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const Cell& c = n.cells[r];
      if (c.sd.empty()) continue;
      const analysis::SampleSummary s = analysis::summarize_samples(c.sd);
      os << n.name << ',' << n.parameters << ',' << o.reductions[r] << ',' << number(s.mean) << ','
         << number(s.stderr_of_mean) << ',' << number(s.min) << ',' << number(s.max) << ',' << c.sd.size() << ','
         << number(c.seconds) << ',' << number(c.peak_bytes) << ',' << number(n.errors.top1) << ','
         << number(n.errors.top5) << '\n';
    }
  return os.str();
}

nlohmann::ordered_json zoo_json(const ZooOptions& o, const std::vector<Network>& networks,
                                const std::vector<Relation>& rel, bool interrupted) {
  nlohmann::ordered_json j;
  j["protocol"] = {{"samples", o.samples}, {"points", o.points},   {"columns", o.columns},
                   {"inputs", o.inputs},   {"dtype", o.dtype},     {"init", "network"},
                   {"seed", o.seed},       {"reductions", o.reductions}, {"bootstrap_resamples", o.resamples}};
  j["networks"] = nlohmann::ordered_json::array();
  for (const Network& n : networks) {
    nlohmann::ordered_json x;
    x["name"] = n.name;
    x["parameters"] = n.parameters;
    x["top1_error"] = finite_or_null(n.errors.top1);
    x["top5_error"] = finite_or_null(n.errors.top5);
    x["esd"] = nlohmann::ordered_json::object();
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const Cell& c = n.cells[r];
      if (c.sd.empty()) {
        x["esd"][o.reductions[r]] = nullptr;
        continue;
      }
      const analysis::SampleSummary s = analysis::summarize_samples(c.sd);
      x["esd"][o.reductions[r]] = {{"esd", s.mean},
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
  for (const Relation& r : rel) {
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

std::string tables_text(const ZooOptions& o, const std::vector<Network>& networks, const std::vector<Relation>& rel) {
  std::ostringstream os;
  char line[400];
  std::snprintf(line, sizeof line, "%-20s %11s", "network", "parameters");
  os << line;
  for (const auto& r : o.reductions) {
    std::snprintf(line, sizeof line, " %18s %8s %9s", ("ESD " + r).c_str(), "seconds", "peak MiB");
    os << line;
  }
  os << "   top-1   top-5\n";
  for (const Network& n : networks) {
    std::snprintf(line, sizeof line, "%-20s %11zu", n.name.c_str(), n.parameters);
    os << line;
    for (std::size_t r = 0; r < o.reductions.size(); ++r) {
      const Cell& c = n.cells[r];
      if (c.sd.empty()) {
        std::snprintf(line, sizeof line, " %18s %8s %9s", "-", "-", "-");
      } else {
        const analysis::SampleSummary s = analysis::summarize_samples(c.sd);
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
  for (const Relation& r : rel) {
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

// Networks k with k % size == rank are this rank's; rank 0 gets every cell.
void gather(std::vector<Network>& networks, std::size_t reductions, std::size_t samples) {
  const std::size_t per_cell = 2 + samples + 1;  // seconds, peak, count, samples
  std::vector<double> values(networks.size() * reductions * per_cell, 0.0);
  std::vector<char> present(networks.size(), 0);
  const analysis::Ranks ranks = analysis::world();
  for (std::size_t k = 0; k < networks.size(); ++k) {
    if (!ranks.owns(k)) continue;
    present[k] = 1;
    for (std::size_t r = 0; r < reductions; ++r) {
      double* v = values.data() + (k * reductions + r) * per_cell;
      const Cell& c = networks[k].cells[r];
      v[0] = c.seconds;
      v[1] = c.peak_bytes;
      v[2] = static_cast<double>(c.sd.size());
      for (std::size_t s = 0; s < c.sd.size(); ++s) v[3 + s] = c.sd[s];
    }
  }
  analysis::gather_to_root(values, present);
  if (!ranks.root()) return;
  for (std::size_t k = 0; k < networks.size(); ++k)
    for (std::size_t r = 0; r < reductions; ++r) {
      const double* v = values.data() + (k * reductions + r) * per_cell;
      Cell& c = networks[k].cells[r];
      c.seconds = v[0];
      c.peak_bytes = v[1];
      c.sd.assign(v + 3, v + 3 + static_cast<std::size_t>(v[2]));
    }
}
}  // namespace

Command add_zoo(CLI::App& parent) {
  auto o = std::make_shared<ZooOptions>();
  CLI::App* app = parent.add_subcommand(
      "zoo", "The ESD of many networks against their published errors, and the parameter count against them (seed 003, section 6)");
  app->add_option("FILES", o->files, "the .net files (examples/zoo/*.net)")->required();
  app->add_option("--errors", o->errors,
                  "CSV of published errors: a header with name,top1_error,top5_error (percent); '#' lines are comments "
                  "(examples/zoo/published_errors.csv)");
  app->add_option("--reduce", o->reductions, "output reductions, comma-separated (default first,sum_squares)")
      ->delimiter(',')
      ->check(reduction_validator(false));
  app->add_option("--samples", o->samples, "samples per network and reduction (default 3; the paper: 10)")
      ->transform(integer_in(1, 100000));
  app->add_option("--points", o->points, "inputs per sample (default 16; the paper: 500)")->transform(integer_in(1, 100000));
  app->add_option("--columns", o->columns, "K random gradient entries per sample (default 0: all; the paper: 1000000)")
      ->transform(integer_in(0, 1000000000));
  app->add_option("--inputs", o->inputs, "sign (default, {-1, 1}), uniform or normal")
      ->check(CLI::IsMember({"sign", "uniform", "normal"}));
  app->add_option("--dtype", o->dtype, "float32 (default) or float64")->check(CLI::IsMember({"float32", "float64"}));
  app->add_option("--seed", o->seed, "seed of the samples and the bootstrap (default 0)")
      ->transform(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  app->add_option("--threads", o->threads, "samples side by side (default: every core)")->transform(integer_in(1, 4096));
  app->add_option("--resamples", o->resamples, "bootstrap resamples of the band (default 1000)")->transform(integer_in(2, 1000000));
  app->add_option("-o,--csv", o->csv,
                  "rows: network,parameters,reduce,esd,stderr,min,max,samples,seconds,peak_bytes,top1_error,top5_error");
  app->add_option("--json", o->json, "write {\"protocol\", \"networks\", \"correlations\", \"interrupted\"}");
  app->add_option("--plot", o->plot,
                  "write PREFIX-esd-REDUCE-top1.svg, PREFIX-esd-REDUCE-top5.svg, PREFIX-parameters-top1.svg and "
                  "PREFIX-parameters-top5.svg (figures 9, 10 and 13)");
  return {app, [o, app] {
            if (o->threads == 0) o->threads = std::max(1u, std::thread::hardware_concurrency());
            FileRoles files(*app);
            for (const auto& file : o->files) files.input(file, "FILES");
            files.input(o->errors, "--errors").output(o->csv, "--csv").output(o->json, "--json").prefix(o->plot, "--plot");
            if (!o->plot.empty())  // every name a plot may take, before any work
              for (const char* y : {"top1_error", "top5_error"}) {
                files.derived(plot_name(o->plot, "parameters", y), "--plot");
                for (const auto& r : o->reductions) files.derived(plot_name(o->plot, "esd_" + r, y), "--plot");
              }
            std::map<std::string, PublishedErrors> errors;
            if (!o->errors.empty()) errors = analysis::read_published_errors(o->errors);
            std::vector<Network> networks;
            for (const auto& file : o->files) {
              const auto a = load_network(file);
              if (!a) return 1;
              Network n{std::filesystem::path(file).stem().string(), a->parameter_count(), *a, {}, {}};
              if (!o->errors.empty()) {
                const auto it = errors.find(n.name);
                if (it == errors.end())
                  throw std::invalid_argument(o->errors + ": no row for '" + n.name + "' (" + file + ")");
                n.errors = it->second;
              }
              n.cells.resize(o->reductions.size());
              // Every network and reduction is checked, memory included, before the first sample.
              for (const auto& r : o->reductions) {
                const analysis::EsdProtocol p = protocol_for(*o, r);
                try {
                  analysis::validate_protocol(*a, p);
                  analysis::check_sample_memory(*a, p);
                } catch (const std::exception& e) {
                  throw std::invalid_argument(file + ": " + e.what());
                }
              }
              networks.push_back(std::move(n));
            }
            support::StopRequestScope interrupt;
            const analysis::Ranks ranks = analysis::world();
            bool interrupted = false;
            for (std::size_t k = 0; k < networks.size() && !interrupted; ++k) {
              if (!ranks.owns(k)) continue;
              Network& n = networks[k];
              for (std::size_t r = 0; r < o->reductions.size() && !interrupted; ++r) {
                const analysis::EsdProtocol p = protocol_for(*o, o->reductions[r]);
                support::Progress progress(n.name + " " + o->reductions[r], p.samples, ranks.root() ? -1 : 0);
                analysis::EsdCallbacks callbacks;
                callbacks.stop_requested = [] { return support::stop_requested(); };
                callbacks.progress = [&](const std::vector<double>& sd) { progress.update(sd.size()); };
                support::reset_peak_memory();
                const auto start = std::chrono::steady_clock::now();
                const analysis::EsdResult e = analysis::expected_spanning_dimension(n.architecture, p, callbacks);
                progress.finish();
                Cell& c = n.cells[r];
                c.sd = e.sd;
                c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                const auto peak = support::peak_memory();
                c.peak_bytes = peak ? static_cast<double>(*peak) : kNaN;
                interrupted = e.interrupted;
              }
            }
            interrupted = analysis::any_rank(interrupted);
            gather(networks, o->reductions.size(), o->samples);
            if (!ranks.root()) return interrupted ? 130 : 0;
            const std::vector<Relation> rel = relations(*o, networks);
            if (!o->csv.empty()) support::write_text_atomically(o->csv, rows_csv(*o, networks));
            if (!o->json.empty()) support::write_text_atomically(o->json, analysis::report::json_text(zoo_json(*o, networks, rel, interrupted)));
            if (!o->plot.empty())
              for (const Relation& r : rel)
                if (!r.x.empty())
                  analysis::report::write_svg(plot_name(o->plot, r.x_name, r.y_name), relation_plot(r));
            std::cout << tables_text(*o, networks, rel);
            if (interrupted) std::cout << "interrupted: the tables cover the samples finished\n";
            return interrupted ? 130 : 0;
          }};
}

}  // namespace netdim::cli
