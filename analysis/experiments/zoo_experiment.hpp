// Seed 003, section 6 (figures 9 to 13, tables 3 and 4): the ESD of each network of a
// zoo under each output reduction, on sign inputs {-1, 1}^input with each network's
// own random initialisation (Algorithm 1), with the time and peak memory of each
// network and reduction; then, against the networks' published top-1 and top-5
// errors, the least-squares line with its one-sigma bootstrap band and Pearson's
// p-value, for each reduction's ESD and for the parameter count.
//
// Under mpirun the networks are split over the ranks (network k on rank k % size,
// each network's samples in one process) and gathered on rank 0
// (parallel/ranks.hpp), whose cells are then one process's. The report of a run is
// analysis/report/zoo_report.hpp.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/experiments/published_errors.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/analysis/stats/line_band.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::analysis::experiments {

// An output reduction as the user spelled it ("first", "sum_squares", "output:3"): the
// spelling names the reports' rows, keys and plots.
struct ZooReduction {
  std::string name;
  SpanningReduction reduce;
};

struct ZooOptions {
  std::vector<ZooReduction> reductions;  // each network is measured under each, in this order
  std::size_t samples = 3, points = 16;   // per network and reduction; inputs per sample
  std::size_t columns = 0;                // K random gradient entries per sample; 0: all
  std::size_t threads = 1;                // samples side by side
  std::size_t resamples = 1000;           // bootstrap resamples of each relation's band
  std::uint64_t seed = 0;                 // of the samples and of the bootstrap
  InputDistribution inputs = InputDistribution::Sign;
  Precision precision = Precision::Float32;
};

// One network under one reduction: the samples finished, the seconds they took and
// the process's peak memory meanwhile (NaN where unknown or not run).
struct ZooCell {
  std::vector<double> sd;
  double seconds = std::numeric_limits<double>::quiet_NaN();
  double peak_bytes = std::numeric_limits<double>::quiet_NaN();
};

struct ZooNetwork {
  std::string name;
  std::size_t parameters = 0;
  nn::Architecture architecture;
  PublishedErrors errors;       // NaN when the zoo has no errors table
  std::vector<ZooCell> cells;   // one per reduction of the options
};

// The ESD protocol of one reduction: one process per network's samples.
EsdProtocol zoo_protocol(const ZooOptions& options, const SpanningReduction& reduce);

// A network with an empty cell per reduction, checked under every reduction before any
// sample: throws what validate_protocol and check_sample_memory throw (a protocol it
// cannot run, or samples that would not fit in memory).
ZooNetwork zoo_network(std::string name, const nn::Architecture& architecture, const PublishedErrors& errors,
                       const ZooOptions& options);

struct ZooCallbacks {
  std::function<bool()> stop_requested;  // polled between samples
  // Around each cell this rank runs: its start, its finished samples so far, its end.
  std::function<void(const ZooNetwork& network, const ZooReduction& reduction)> cell_started;
  std::function<void(const std::vector<double>& sd)> progress;
  std::function<void()> cell_finished;
};

// Fills the cells of this rank's networks, network by network, each reduction in
// order; a stop request ends the run after the samples running, keeping them. Then
// gathers every cell on rank 0 (the other ranks keep their own). Returns whether any
// rank was stopped.
bool run_zoo(std::vector<ZooNetwork>& networks, const ZooOptions& options, const ZooCallbacks& callbacks = {});

// Moves the cells of this rank's networks (k % size == rank) to rank 0, where every
// cell then holds what one process would have computed. Every rank calls it.
void gather_zoo_cells(std::vector<ZooNetwork>& networks, const ZooOptions& options);

// One relation of tables 3 and 4: a quantity of the networks against an error, over
// the networks where both are finite; no band for fewer than 3 of them or a constant
// column.
struct ZooRelation {
  std::string x_name, y_name;  // "esd_first", "esd_sum_squares", ... or "parameters"; "top1_error" or "top5_error"
  std::optional<LineBand> band;
  std::vector<double> x, y;
  std::vector<std::string> labels;  // the networks' names
};

// Top-1 first, then top-5; within each, every reduction's mean ESD in order, then the
// parameter count.
std::vector<ZooRelation> zoo_relations(const ZooOptions& options, const std::vector<ZooNetwork>& networks);

}  // namespace netdim::analysis::experiments
