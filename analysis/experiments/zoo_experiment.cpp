#include "netdim/analysis/experiments/zoo_experiment.hpp"

#include <chrono>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/spectral/sample_memory.hpp"
#include "netdim/analysis/stats/mean.hpp"
#include "netdim/support/process_memory.hpp"

namespace netdim::analysis::experiments {

EsdProtocol zoo_protocol(const ZooOptions& options, const SpanningReduction& reduce) {
  EsdProtocol p;
  p.samples = options.samples;
  p.points = options.points;
  p.columns = options.columns;
  p.seed = options.seed;
  p.threads = options.threads;
  p.inputs = options.inputs;
  p.precision = options.precision;
  p.reduce = reduce;
  p.single_process = true;  // under mpirun the networks are split over the ranks, not one network's samples
  return p;
}

ZooNetwork zoo_network(std::string name, const nn::Architecture& architecture, const PublishedErrors& errors,
                       const ZooOptions& options) {
  for (const ZooReduction& r : options.reductions) {
    const EsdProtocol p = zoo_protocol(options, r.reduce);
    validate_protocol(architecture, p);
    check_sample_memory(architecture, p);
  }
  ZooNetwork n{std::move(name), architecture.parameter_count(), architecture, errors, {}};
  n.cells.resize(options.reductions.size());
  return n;
}

bool run_zoo(std::vector<ZooNetwork>& networks, const ZooOptions& options, const ZooCallbacks& callbacks) {
  const Ranks ranks = world();
  bool interrupted = false;
  for (std::size_t k = 0; k < networks.size() && !interrupted; ++k) {
    if (!ranks.owns(k)) continue;
    ZooNetwork& n = networks[k];
    for (std::size_t r = 0; r < options.reductions.size() && !interrupted; ++r) {
      const EsdProtocol p = zoo_protocol(options, options.reductions[r].reduce);
      if (callbacks.cell_started) callbacks.cell_started(n, options.reductions[r]);
      EsdCallbacks esd_callbacks;
      esd_callbacks.stop_requested = callbacks.stop_requested;
      esd_callbacks.progress = callbacks.progress;
      support::reset_peak_memory();
      const auto start = std::chrono::steady_clock::now();
      const EsdResult e = expected_spanning_dimension(n.architecture, p, esd_callbacks);
      ZooCell& c = n.cells[r];
      c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      const auto peak = support::peak_memory();
      c.peak_bytes = peak ? static_cast<double>(*peak) : std::numeric_limits<double>::quiet_NaN();
      c.sd = e.sd;
      interrupted = e.interrupted;
      if (callbacks.cell_finished) callbacks.cell_finished();
    }
  }
  interrupted = any_rank(interrupted);
  gather_zoo_cells(networks, options);
  return interrupted;
}

void gather_zoo_cells(std::vector<ZooNetwork>& networks, const ZooOptions& options) {
  const std::size_t reductions = options.reductions.size();
  const std::size_t per_cell = 2 + options.samples + 1;  // seconds, peak, count, samples
  std::vector<double> values(networks.size() * reductions * per_cell, 0.0);
  std::vector<char> present(networks.size(), 0);
  const Ranks ranks = world();
  for (std::size_t k = 0; k < networks.size(); ++k) {
    if (!ranks.owns(k)) continue;
    present[k] = 1;
    for (std::size_t r = 0; r < reductions; ++r) {
      double* v = values.data() + (k * reductions + r) * per_cell;
      const ZooCell& c = networks[k].cells[r];
      v[0] = c.seconds;
      v[1] = c.peak_bytes;
      v[2] = static_cast<double>(c.sd.size());
      for (std::size_t s = 0; s < c.sd.size(); ++s) v[3 + s] = c.sd[s];
    }
  }
  gather_to_root(values, present);
  if (!ranks.root()) return;
  for (std::size_t k = 0; k < networks.size(); ++k)
    for (std::size_t r = 0; r < reductions; ++r) {
      const double* v = values.data() + (k * reductions + r) * per_cell;
      ZooCell& c = networks[k].cells[r];
      c.seconds = v[0];
      c.peak_bytes = v[1];
      c.sd.assign(v + 3, v + 3 + static_cast<std::size_t>(v[2]));
    }
}

std::vector<ZooRelation> zoo_relations(const ZooOptions& options, const std::vector<ZooNetwork>& networks) {
  std::vector<ZooRelation> out;
  const std::size_t reductions = options.reductions.size();
  const std::size_t quantities = reductions + 1;  // each reduction's ESD, then the parameter count
  for (const bool top5 : {false, true})
    for (std::size_t q = 0; q < quantities; ++q) {
      ZooRelation r;
      r.x_name = q < reductions ? "esd_" + options.reductions[q].name : "parameters";
      r.y_name = top5 ? "top5_error" : "top1_error";
      for (const ZooNetwork& n : networks) {
        const double x = q < reductions ? mean_of(n.cells[q].sd) : static_cast<double>(n.parameters);
        const double y = top5 ? n.errors.top5 : n.errors.top1;
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        r.x.push_back(x);
        r.y.push_back(y);
        r.labels.push_back(n.name);
      }
      try {
        r.band = line_with_band(r.x, r.y, options.resamples, options.seed);
      } catch (const std::invalid_argument&) {
        // fewer than 3 networks, or a constant column: no line
      }
      out.push_back(std::move(r));
    }
  return out;
}

}  // namespace netdim::analysis::experiments
