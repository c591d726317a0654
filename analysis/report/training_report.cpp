#include "netdim/analysis/report/training_report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "netdim/analysis/report/number_format.hpp"

namespace netdim::analysis::report {

namespace {

nlohmann::ordered_json spread_json(const Spread& s) {
  return {{"mean", finite_or_null(s.mean)}, {"sd", finite_or_null(s.sd)}, {"min", finite_or_null(s.min)},
          {"max", finite_or_null(s.max)}};
}

}  // namespace

std::string training_runs_csv(const std::vector<TrainedNetwork>& networks, const TrainingComparison& c) {
  std::ostringstream os;
  os << "network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete\n";
  for (const auto& run : c.runs)
    for (const auto& e : run.epochs)
      os << networks[run.network].name << ',' << run.seed << ',' << e.epoch << ',' << round_trip(e.train.loss) << ','
         << round_trip(e.train.accuracy) << ',' << round_trip(e.test.loss) << ',' << round_trip(e.test.accuracy) << ','
         << round_trip(e.seconds) << ',' << (run.complete && e.complete ? 1 : 0) << '\n';
  return os.str();
}

nlohmann::ordered_json training_json(const TrainingSetup& o, const std::vector<TrainedNetwork>& networks,
                                     const TrainingComparison& c, const std::vector<BudgetRow>& table) {
  nlohmann::ordered_json j;
  j["setup"] = {{"data", o.data},
                {"epochs", o.plan.epochs},
                {"seeds", o.plan.seeds},
                {"first_seed", o.plan.first_seed},
                {"batch", o.plan.batch_size},
                {"optimizer", o.plan.optimizer.name},
                {"lr", o.plan.optimizer.lr},
                {"momentum", o.plan.optimizer.name == "sgd" ? nlohmann::ordered_json(o.plan.optimizer.momentum) : nullptr},
                {"dtype", o.dtype},
                {"esd_samples", o.esd_samples}};
  j["networks"] = nlohmann::ordered_json::array();
  for (const TrainedNetwork& n : networks) {
    nlohmann::ordered_json x;
    x["name"] = n.name;
    x["parameters"] = n.parameters;
    x["esd"] = n.esd ? finite_or_null(n.esd->summary.mean) : nullptr;
    x["esd_stderr"] = n.esd ? finite_or_null(n.esd->summary.stderr_of_mean) : nullptr;
    j["networks"].push_back(std::move(x));
  }
  j["table"] = nlohmann::ordered_json::array();
  for (const auto& row : table)
    j["table"].push_back({{"network", networks[row.network].name},
                          {"epochs", row.epochs},
                          {"runs", row.runs},
                          {"train_accuracy", spread_json(row.train_accuracy)},
                          {"test_accuracy", spread_json(row.test_accuracy)}});
  j["runs"] = nlohmann::ordered_json::array();
  for (const auto& run : c.runs) {
    nlohmann::ordered_json r;
    r["network"] = networks[run.network].name;
    r["seed"] = run.seed;
    r["complete"] = run.complete;
    r["epochs"] = nlohmann::ordered_json::array();
    for (const auto& e : run.epochs)
      r["epochs"].push_back({{"epoch", e.epoch},
                             {"train_loss", finite_or_null(e.train.loss)},
                             {"train_accuracy", finite_or_null(e.train.accuracy)},
                             {"test_loss", finite_or_null(e.test.loss)},
                             {"test_accuracy", finite_or_null(e.test.accuracy)},
                             {"seconds", e.seconds}});
    j["runs"].push_back(std::move(r));
  }
  j["interrupted"] = c.interrupted;
  return j;
}

namespace {

std::string accuracy_cell(const Spread& s) {
  if (!std::isfinite(s.mean)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4f +- %.4f", s.mean, s.sd);
  return buf;
}

}  // namespace

std::string training_table_text(const std::vector<TrainedNetwork>& networks, const std::vector<BudgetRow>& table) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %10s %16s %6s %4s %20s %20s\n", "network", "parameters", "ESD", "epochs",
                "runs", "train accuracy", "test accuracy");
  os << line;
  for (const auto& row : table) {
    const TrainedNetwork& n = networks[row.network];
    char esd[40] = "-";
    if (n.esd) std::snprintf(esd, sizeof esd, "%.2f +- %.2f", n.esd->summary.mean, n.esd->summary.stderr_of_mean);
    std::snprintf(line, sizeof line, "%-28s %10zu %16s %6zu %4zu %20s %20s\n", n.name.c_str(), n.parameters, esd,
                  row.epochs, row.runs, accuracy_cell(row.train_accuracy).c_str(),
                  accuracy_cell(row.test_accuracy).c_str());
    os << line;
  }
  os << "accuracy: mean +- sample standard deviation over the seeds; training accuracy is the running\n"
        "accuracy over the epoch's minibatches (as Keras and PyTorch loops report it)\n";
  return os.str();
}

// Figures 6 and 8: the mean accuracy per epoch of each network.
LinePlot training_curves(const std::vector<TrainedNetwork>& networks, const TrainingComparison& c, bool test,
                         const std::string& data_description) {
  LinePlot plot;
  plot.title = std::string(test ? "test" : "training") + " accuracy, " + data_description;
  plot.x_label = "epoch";
  plot.y_label = test ? "test accuracy" : "training accuracy";
  for (std::size_t k = 0; k < networks.size(); ++k) {
    Series s{networks[k].name, {}, {}};
    const auto mean = mean_curve(c, k, test);
    for (std::size_t e = 0; e < mean.size(); ++e) {
      s.x.push_back(static_cast<double>(e + 1));
      s.y.push_back(mean[e]);
    }
    if (!s.x.empty()) plot.series.push_back(std::move(s));
  }
  return plot;
}

}  // namespace netdim::analysis::report
