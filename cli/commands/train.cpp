// netdim train A.net [B.net ...] [--data ...] [--epochs E] [--seeds S] [--budgets ...]
// [--esd-samples N] [-o runs.csv] [--json F] [--plot PREFIX]: trains each network from
// each seed on the same data and tabulates the training and test accuracy per epoch
// budget, mean and spread over the seeds, beside each network's ESD (seed 003,
// section 5; analysis/experiments/training_comparison.hpp). Progress on stderr;
// Ctrl-C keeps the finished runs (exit 130).
#include <algorithm>
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
#include "netdim/analysis/report/training_report.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/support/process_memory.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/support/stop_requests.hpp"

namespace netdim::cli {

namespace {
struct TrainCommandOptions {
  std::vector<std::string> files;
  std::string data = "fashion-mnist", data_dir = data::kFashionMnistDir, dtype = "float32";
  std::string csv, plot, save_params;
  JsonOutput json;
  std::size_t train_subset = 0, esd_samples = 0, noise_images = 1000;
  std::vector<std::size_t> budgets;
  analysis::TrainingPlan plan;
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
  std::vector<analysis::report::TrainedNetwork> networks;
  for (const auto& file : o.files) {
    const auto a = load_network(file);
    if (!a) return 1;
    networks.push_back({std::filesystem::path(file).stem().string(), a->parameter_count(), std::nullopt});
    o.plan.networks.push_back(*a);
  }
  const ClassificationData<T> d = load_data<T>(o);
  for (std::size_t k = 0; k < networks.size(); ++k) {
    try {
      analysis::require_input_shape(d.train, o.plan.networks[k].input_shape());
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(o.files[k] + ": " + e.what());
    }
  }
  if (o.budgets.empty()) o.budgets = {o.plan.epochs};
  for (std::size_t b : o.budgets)
    if (b > o.plan.epochs)
      throw std::invalid_argument("--budgets: " + std::to_string(b) + " is beyond --epochs " + std::to_string(o.plan.epochs));
  // --save-params PREFIX: PREFIX-NETWORK-seedS-epochE.npy for every run and budget, declared before any work.
  const auto params_file = [&](std::size_t k, std::uint64_t seed, std::size_t epoch) {
    return o.save_params + "-" + networks[k].name + "-seed" + std::to_string(seed) + "-epoch" + std::to_string(epoch) + ".npy";
  };
  files.prefix(o.save_params, "--save-params");
  if (!o.save_params.empty())
    for (std::size_t k = 0; k < networks.size(); ++k)
      for (std::size_t s = 0; s < o.plan.seeds; ++s)
        for (std::size_t b : o.budgets) files.derived(params_file(k, o.plan.first_seed + s, b), "--save-params");

  support::StopRequestScope interrupt;
  if (o.esd_samples > 0)
    for (std::size_t k = 0; k < networks.size(); ++k) {
      analysis::report::TrainedNetwork& n = networks[k];
      analysis::EsdProtocol protocol;
      protocol.samples = o.esd_samples;
      protocol.seed = o.plan.first_seed;
      analysis::EsdCallbacks callbacks;
      callbacks.stop_requested = [] { return support::stop_requested(); };
      std::cerr << "ESD of " << n.name << " (" << o.esd_samples << " samples)\n";
      n.esd = analysis::expected_spanning_dimension(o.plan.networks[k], protocol, callbacks);
      if (n.esd->interrupted) break;
    }
  analysis::TrainingComparison c;
  std::vector<std::pair<std::string, std::string>> saved_parameters;  // --save-params: written with the rest
  if (!support::stop_requested()) {
    analysis::TrainingCallbacks callbacks;
    callbacks.run_started = [&](std::size_t k, std::uint64_t seed) {
      std::cerr << "training " << networks[k].name << ", seed " << seed << "\n";
    };
    callbacks.stop_requested = [] { return support::stop_requested(); };
    if (!o.save_params.empty())
      callbacks.parameters_after_epoch = [&](const analysis::TrainingRun& run, const nn::EpochResult& e, const Tensor<double>& theta) {
        if (std::find(o.budgets.begin(), o.budgets.end(), e.epoch) != o.budgets.end())
          saved_parameters.emplace_back(params_file(run.network, run.seed, e.epoch), data::npy_bytes(theta));
      };
    c = analysis::compare_training(o.plan, d.train, d.test ? &*d.test : nullptr, callbacks);
  }
  c.interrupted = c.interrupted || support::stop_requested();
  const auto table = analysis::budget_table(c, networks.size(), o.budgets);
  support::OutputBatch outputs;  // the CSV, the curves and the JSON file: all or none
  if (!o.csv.empty()) outputs.add(o.csv, analysis::report::training_runs_csv(networks, c));
  for (auto& [path, bytes] : saved_parameters) outputs.add(path, std::move(bytes));
  if (!o.plot.empty()) {
    // Stopped before one epoch ended: no point to draw, and no half-empty file; the stop is the
    // news (exit 130), not a plotting error.
    const auto drawable = [](const analysis::report::LinePlot& p) {
      for (const analysis::report::Series& s : p.series)
        for (double y : s.y)
          if (std::isfinite(y)) return true;
      return false;
    };
    const analysis::report::LinePlot train_plot = analysis::report::training_curves(networks, c, false, d.description);
    if (drawable(train_plot) || !c.interrupted) {
      outputs.add(o.plot + "-train.svg", analysis::report::to_svg(train_plot));
      if (d.test) outputs.add(o.plot + "-test.svg", analysis::report::to_svg(analysis::report::training_curves(networks, c, true, d.description)));
    } else {
      std::cerr << "interrupted before the first epoch ended: no curves to draw in " << o.plot << "-*.svg\n";
    }
  }
  write_report(
      o.json, [&] { return analysis::report::json_text(analysis::report::training_json({d.description, o.plan, o.dtype, o.esd_samples}, networks, c, table)); },
      [&] {
        std::ostringstream text;
        text << d.description << "; " << o.plan.seeds << " seed(s) from " << o.plan.first_seed << ", "
             << o.plan.optimizer.name << " lr " << o.plan.optimizer.lr << ", batch " << o.plan.batch_size << ", "
             << o.dtype << "\n"
             << analysis::report::training_table_text(networks, table);
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
  app->add_option("--save-params", o->save_params,
                  "write the parameters after each epoch budget as PREFIX-NETWORK-seedS-epochE.npy (float64, canonical "
                  "order), for esd --params and forward --params");
  app->add_option("--plot", o->plot, "write PREFIX-train.svg (and PREFIX-test.svg with a test set): mean accuracy per epoch");
  return {app, [o, app] { return o->dtype == "float32" ? run_train<float>(*o, *app) : run_train<double>(*o, *app); }};
}

}  // namespace netdim::cli
