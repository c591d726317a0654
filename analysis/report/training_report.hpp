// train's reports (seed 003, section 5): each run's epochs as CSV, everything as JSON, the
// table of accuracy per epoch budget (mean and spread over the seeds, beside each network's
// ESD), and the mean accuracy curves of figures 6 and 8.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/experiments/training_comparison.hpp"
#include "netdim/analysis/report/line_plot.hpp"
#include "netdim/analysis/spectral/esd.hpp"

namespace netdim::analysis::report {

// One network of the comparison, as the reports name it.
struct TrainedNetwork {
  std::string name;  // the file's stem
  std::size_t parameters = 0;
  std::optional<EsdResult> esd;  // when the ESD was asked for
};

// What the JSON's "setup" records.
struct TrainingSetup {
  std::string data;  // the data's description
  const TrainingPlan& plan;
  std::string dtype;
  std::size_t esd_samples = 0;
};

// network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete
std::string training_runs_csv(const std::vector<TrainedNetwork>& networks, const TrainingComparison& c);
// {"setup", "networks", "table", "runs", "interrupted"}
nlohmann::ordered_json training_json(const TrainingSetup& setup, const std::vector<TrainedNetwork>& networks,
                                     const TrainingComparison& c, const std::vector<BudgetRow>& table);
// The aligned table of accuracy per budget, with a closing note on what the numbers are.
std::string training_table_text(const std::vector<TrainedNetwork>& networks, const std::vector<BudgetRow>& table);
// Mean training (or test) accuracy per epoch, one series per network.
LinePlot training_curves(const std::vector<TrainedNetwork>& networks, const TrainingComparison& c, bool test,
                         const std::string& data_description);

}  // namespace netdim::analysis::report
