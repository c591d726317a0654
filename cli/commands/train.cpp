// netdim train A.net [B.net ...] [--data ...] [--epochs E] [--seeds S] [--budgets ...]
// [--esd-samples N] [-o runs.csv] [--json F] [--plot PREFIX]: trains each network from
// each seed on the same data and tabulates the training and test accuracy per epoch
// budget, mean and spread over the seeds, beside each network's ESD (seed 003,
// section 5; analysis/experiments/training_comparison.hpp). Progress on stderr;
// Ctrl-C keeps the finished runs (exit 130).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "netdim/analysis/experiments/training_comparison.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/cli/classification_data.hpp"
#include "netdim/analysis/report/line_plot.hpp"
#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/support/process_memory.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/stop_requests.hpp"

namespace netdim::cli {

namespace {
struct TrainCommandOptions {
  std::vector<std::string> files;
  std::string data = "fashion-mnist", data_dir = data::kFashionMnistDir, dtype = "float32";
  std::string csv, plot;
  JsonOutput json;
  std::size_t train_subset = 0, esd_samples = 0, noise_images = 1000;
  std::vector<std::size_t> budgets;
  analysis::TrainingPlan plan;
};

struct Network {
  std::string name;  // the file's stem
  nn::Architecture architecture;
  std::size_t parameters = 0;
  std::optional<analysis::EsdResult> esd;
};

// --data: fashion-mnist, noise (drawn from the first seed, so every network fits the
// same noise), X.npy,y.npy (training only) or X.npy,y.npy,Xtest.npy,ytest.npy.
template <FloatingScalar T>
ClassificationData<T> load_data(const TrainCommandOptions& o) {
  DataRequest request;
  request.spec = o.data;
  request.fashion_mnist_dir = o.data_dir;
  request.noise_images = o.noise_images;
  request.noise_seed = o.plan.first_seed;
  request.train_limit = o.train_subset;
  request.train_limit_flag = "--train-subset";
  if (o.data == "noise")  // 28x28 images, drawn before anything else runs
    support::require_memory(double(o.noise_images) * 28 * 28 * sizeof(T), std::to_string(o.noise_images) + " noise images",
                       "lower --noise-images");
  return load_classification_data<T>(request);
}

using analysis::report::finite_or_null;
using analysis::report::round_trip;

nlohmann::ordered_json spread_json(const analysis::Spread& s) {
  return {{"mean", finite_or_null(s.mean)}, {"sd", finite_or_null(s.sd)}, {"min", finite_or_null(s.min)},
          {"max", finite_or_null(s.max)}};
}

std::string runs_csv(const std::vector<Network>& networks, const analysis::TrainingComparison& c) {
  std::ostringstream os;
  os << "network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete\n";
  for (const auto& run : c.runs)
    for (const auto& e : run.epochs)
      os << networks[run.network].name << ',' << run.seed << ',' << e.epoch << ',' << round_trip(e.train.loss) << ','
         << round_trip(e.train.accuracy) << ',' << round_trip(e.test.loss) << ',' << round_trip(e.test.accuracy) << ','
         << round_trip(e.seconds) << ',' << (run.complete && e.complete ? 1 : 0) << '\n';
  return os.str();
}

nlohmann::ordered_json train_json(const TrainCommandOptions& o, const std::string& data_description,
                                  const std::vector<Network>& networks, const analysis::TrainingComparison& c,
                                  const std::vector<analysis::BudgetRow>& table) {
  nlohmann::ordered_json j;
  j["setup"] = {{"data", data_description},
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
  for (const Network& n : networks) {
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

std::string accuracy_cell(const analysis::Spread& s) {
  if (!std::isfinite(s.mean)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4f +- %.4f", s.mean, s.sd);
  return buf;
}

std::string table_text(const std::vector<Network>& networks, const std::vector<analysis::BudgetRow>& table) {
  std::ostringstream os;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %10s %16s %6s %4s %20s %20s\n", "network", "parameters", "ESD", "epochs",
                "runs", "train accuracy", "test accuracy");
  os << line;
  for (const auto& row : table) {
    const Network& n = networks[row.network];
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
analysis::report::LinePlot curves(const std::vector<Network>& networks, const analysis::TrainingComparison& c, bool test,
                        const std::string& data_description) {
  analysis::report::LinePlot plot;
  plot.title = std::string(test ? "test" : "training") + " accuracy, " + data_description;
  plot.x_label = "epoch";
  plot.y_label = test ? "test accuracy" : "training accuracy";
  for (std::size_t k = 0; k < networks.size(); ++k) {
    analysis::report::Series s{networks[k].name, {}, {}};
    const auto mean = analysis::mean_curve(c, k, test);
    for (std::size_t e = 0; e < mean.size(); ++e) {
      s.x.push_back(static_cast<double>(e + 1));
      s.y.push_back(mean[e]);
    }
    if (!s.x.empty()) plot.series.push_back(std::move(s));
  }
  return plot;
}

template <FloatingScalar T>
int run_train(TrainCommandOptions& o, const CLI::App& app) {
  FileRoles files(app);
  for (const auto& file : o.files) files.input(file, "FILES");
  for (const auto& file : data_spec_files(o.data)) files.input(file, "--data");
  files.output(o.csv, "--csv").json(o.json).prefix(o.plot, "--plot");
  if (!o.plot.empty()) {
    files.derived(o.plot + "-train.svg", "--plot");
    files.derived(o.plot + "-test.svg", "--plot");
  }
  std::vector<Network> networks;
  for (const auto& file : o.files) {
    const auto a = load_network(file);
    if (!a) return 1;
    networks.push_back({std::filesystem::path(file).stem().string(), *a, a->parameter_count(), std::nullopt});
    o.plan.networks.push_back(*a);
  }
  const ClassificationData<T> d = load_data<T>(o);
  for (std::size_t k = 0; k < networks.size(); ++k) {
    try {
      analysis::require_input_shape(d.train, networks[k].architecture.input_shape());
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(o.files[k] + ": " + e.what());
    }
  }
  if (o.budgets.empty()) o.budgets = {o.plan.epochs};
  for (std::size_t b : o.budgets)
    if (b > o.plan.epochs)
      throw std::invalid_argument("--budgets: " + std::to_string(b) + " is beyond --epochs " + std::to_string(o.plan.epochs));

  support::StopRequestScope interrupt;
  if (o.esd_samples > 0)
    for (Network& n : networks) {
      analysis::EsdProtocol protocol;
      protocol.samples = o.esd_samples;
      protocol.seed = o.plan.first_seed;
      analysis::EsdCallbacks callbacks;
      callbacks.stop_requested = [] { return support::stop_requested(); };
      std::cerr << "ESD of " << n.name << " (" << o.esd_samples << " samples)\n";
      n.esd = analysis::expected_spanning_dimension(n.architecture, protocol, callbacks);
      if (n.esd->interrupted) break;
    }
  analysis::TrainingComparison c;
  if (!support::stop_requested()) {
    analysis::TrainingCallbacks callbacks;
    callbacks.run_started = [&](std::size_t k, std::uint64_t seed) {
      std::cerr << "training " << networks[k].name << ", seed " << seed << "\n";
    };
    callbacks.stop_requested = [] { return support::stop_requested(); };
    c = analysis::compare_training(o.plan, d.train, d.test ? &*d.test : nullptr, callbacks);
  }
  c.interrupted = c.interrupted || support::stop_requested();
  const auto table = analysis::budget_table(c, networks.size(), o.budgets);
  support::OutputBatch outputs;  // the CSV, the curves and the JSON file: all or none
  if (!o.csv.empty()) outputs.add(o.csv, runs_csv(networks, c));
  if (!o.plot.empty()) {
    // Stopped before one epoch ended: no point to draw, and no half-empty file; the stop is the
    // news (exit 130), not a plotting error.
    const auto drawable = [](const analysis::report::LinePlot& p) {
      for (const analysis::report::Series& s : p.series)
        for (double y : s.y)
          if (std::isfinite(y)) return true;
      return false;
    };
    const analysis::report::LinePlot train_plot = curves(networks, c, false, d.description);
    if (drawable(train_plot) || !c.interrupted) {
      outputs.add(o.plot + "-train.svg", analysis::report::to_svg(train_plot));
      if (d.test) outputs.add(o.plot + "-test.svg", analysis::report::to_svg(curves(networks, c, true, d.description)));
    } else {
      std::cerr << "interrupted before the first epoch ended: no curves to draw in " << o.plot << "-*.svg\n";
    }
  }
  write_report(
      o.json, [&] { return analysis::report::json_text(train_json(o, d.description, networks, c, table)); },
      [&] {
        std::ostringstream text;
        text << d.description << "; " << o.plan.seeds << " seed(s) from " << o.plan.first_seed << ", "
             << o.plan.optimizer.name << " lr " << o.plan.optimizer.lr << ", batch " << o.plan.batch_size << ", "
             << o.dtype << "\n"
             << table_text(networks, table);
        if (c.interrupted) text << "interrupted: the table covers the runs finished\n";
        return text.str();
      },
      outputs);
  return c.interrupted ? 130 : 0;
}
}  // namespace

Command add_train(CLI::App& parent) {
  auto o = std::make_shared<TrainCommandOptions>();
  CLI::App* app = parent.add_subcommand(
      "train", "Train networks from several seeds on the same data: accuracy per epoch budget beside the ESD (seed 003, section 5)");
  app->add_option("FILES", o->files, "the .net files")->required();
  app->add_option("--data", o->data,
                  "fashion-mnist (default; Debian's dataset-fashion-mnist), noise (random images, 10 random labels), "
                  "X.npy,y.npy or X.npy,y.npy,Xtest.npy,ytest.npy");
  app->add_option("--data-dir", o->data_dir, "where the Fashion-MNIST files are (default " + std::string(data::kFashionMnistDir) + ")");
  app->add_option("--noise-images", o->noise_images, "images of --data noise (default 1000)")->transform(integer_in(1, 10000000));
  app->add_option("--train-subset", o->train_subset, "train on the first N training examples only")
      ->transform(integer_in(1, 100000000));
  app->add_option("--epochs", o->plan.epochs, "epochs of every run (default 10)")->transform(integer_in(1, 1000000));
  app->add_option("--budgets", o->budgets, "epoch budgets of the table, e.g. 1,5,10 (default: --epochs)")
      ->delimiter(',')
      ->transform(integer_in(1, 1000000));
  app->add_option("--seeds", o->plan.seeds, "runs per network (default 3)")->transform(integer_in(1, 10000));
  app->add_option("--seed", o->plan.first_seed, "the first seed: initialisation, batch order and noise (default 0)")
      ->transform(integer_in(0, std::numeric_limits<std::uint64_t>::max()));
  app->add_option("--batch", o->plan.batch_size, "minibatch size (default 128)")->transform(integer_in(1, 100000000));
  app->add_option("--optimizer", o->plan.optimizer.name, "sgd (default) or adam")->check(CLI::IsMember({"sgd", "adam"}));
  app->add_option("--lr", o->plan.optimizer.lr, "learning rate (default 0.01)")->check(finite_in(0, 100, Ends::OpenLow));
  app->add_option("--momentum", o->plan.optimizer.momentum, "SGD momentum (default 0.9)")
      ->check(finite_in(0, 1, Ends::OpenHigh));
  app->add_option("--dtype", o->dtype, "float32 (default) or float64")->check(CLI::IsMember({"float32", "float64"}));
  app->add_option("--esd-samples", o->esd_samples, "also the ESD of each network, default protocol, N samples (default 0: none)")
      ->transform(integer_in(0, 1000000));
  app->add_option("-o,--csv", o->csv, "every epoch of every run: network,seed,epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete");
  add_json_option(*app, o->json, "{\"setup\", \"networks\", \"table\", \"runs\", \"interrupted\"}");
  app->add_option("--plot", o->plot, "write PREFIX-train.svg (and PREFIX-test.svg with a test set): mean accuracy per epoch");
  return {app, [o, app] { return o->dtype == "float32" ? run_train<float>(*o, *app) : run_train<double>(*o, *app); }};
}

}  // namespace netdim::cli
