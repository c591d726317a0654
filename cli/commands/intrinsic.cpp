// netdim intrinsic FILE.net [--data fashion-mnist | X.npy,y.npy | Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy]
// [--projection dense|sparse|fastfood] [--dims LIST | the search] [training] [--json F]:
// seed 002's intrinsic dimension. The full model is trained once for the baseline,
// then the network is trained in random subspaces theta0 + P d (nn/subspace) for
// each d, and d_int90 is the smallest d whose test accuracy reaches 90% of the
// baseline (analysis/subspace/intrinsic_search.hpp). Float32 throughout, as the
// paper's code and PyTorch. The experiment is analysis/experiments/intrinsic_experiment.hpp,
// its reports analysis/report/intrinsic_report.hpp.
#include <filesystem>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "netdim/analysis/experiments/intrinsic_experiment.hpp"
#include "netdim/analysis/report/intrinsic_report.hpp"
#include "netdim/analysis/report/json_text.hpp"
#include "netdim/analysis/report/number_format.hpp"
#include "netdim/cli/classification_data.hpp"
#include "netdim/cli/commands/commands.hpp"
#include "netdim/cli/file_roles.hpp"
#include "netdim/cli/network_file.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/nn/subspace/compressed_model.hpp"
#include "netdim/nn/subspace/projection.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/support/stop_requests.hpp"

namespace netdim::cli {

namespace {

struct IntrinsicOptions {
  std::string network, data = "fashion-mnist", projection = "fastfood", optimizer = "adam", plot, save;
  JsonOutput json;
  std::vector<std::size_t> dims;
  std::size_t seeds = 1, epochs = 5, batch = 128, train_limit = 0, test_limit = 0;
  double lr = 1e-3, momentum = 0.9, threshold = 0.9, resolution = 0.05;
  std::optional<double> threshold_absolute;
  std::uint64_t seed = 0;
};

analysis::experiments::IntrinsicOptions experiment_options(const IntrinsicOptions& o) {
  analysis::experiments::IntrinsicOptions e;
  e.projection = *nn::subspace::projection_from_name(o.projection);
  e.dims = o.dims;
  e.seeds = o.seeds;
  e.seed = o.seed;
  e.epochs = o.epochs;
  e.batch = o.batch;
  e.optimizer = o.optimizer;
  e.lr = o.lr;
  e.momentum = o.momentum;
  e.threshold = o.threshold;
  e.threshold_absolute = o.threshold_absolute;
  e.resolution = o.resolution;
  e.keep_models = !o.save.empty();
  return e;
}

}  // namespace

Command add_intrinsic(CLI::App& parent) {
  auto o = std::make_shared<IntrinsicOptions>();
  CLI::App* app = parent.add_subcommand(
      "intrinsic", "Intrinsic dimension (seed 002): train in random subspaces theta0 + P d and find d_int90");
  app->add_option("network", o->network, "the .net file")->required();
  app->add_option("--data", o->data,
                  "fashion-mnist (default), X.npy,y.npy (every fifth row held out as the test set) or "
                  "Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy (inputs, integer labels)");
  app->add_option("--projection", o->projection, "dense, sparse or fastfood (default)")
      ->check(CLI::IsMember({"dense", "sparse", "fastfood"}));
  app->add_option("--dims", o->dims, "explicit subspace dimensions, comma-separated (default: the search)")
      ->delimiter(',')
      ->transform(integer_in(1, 1'000'000'000));
  app->add_option("--seeds", o->seeds, "runs per d, seeds 0.. (default 1)")->transform(integer_in(1, 1000));
  app->add_option("--seed", o->seed, "seed of the baseline and offset of the runs' seeds (default 0)")
      ->transform(integer_in(0, 1'000'000'000));
  app->add_option("--epochs", o->epochs, "epochs per training (default 5)")->transform(integer_in(1, 100000));
  app->add_option("--optimizer", o->optimizer, "adam (default) or sgd")->check(CLI::IsMember({"adam", "sgd"}));
  app->add_option("--lr", o->lr, "learning rate (default 1e-3)")->check(finite_in(0, 100, Ends::OpenLow));
  app->add_option("--momentum", o->momentum, "SGD momentum (default 0.9)")->check(finite_in(0, 1, Ends::OpenHigh));
  app->add_option("--batch", o->batch, "minibatch size (default 128)")->transform(integer_in(1, 1'000'000));
  auto* relative = app->add_option("--threshold", o->threshold, "fraction of the baseline's accuracy (default 0.9)")
                       ->check(finite_in(0, 1, Ends::OpenLow));
  app->add_option("--threshold-absolute", o->threshold_absolute,
                  "an absolute test accuracy instead (the original MNIST notebooks' 0.9)")
      ->check(finite_in(0, 1, Ends::OpenLow))
      ->excludes(relative);
  app->add_option("--resolution", o->resolution, "bisection stops within this fraction of d (default 0.05)")
      ->check(finite_in(0, 1));
  app->add_option("--train-limit", o->train_limit, "use only the first N training examples")->transform(integer_in(1, 100'000'000));
  app->add_option("--test-limit", o->test_limit, "use only the first N test examples")->transform(integer_in(1, 100'000'000));
  add_json_option(*app, o->json,
                  "{\"baseline\", \"threshold\", \"d_int90\", \"complete\", \"runs\": [{\"d\", \"seed\", "
                  "\"accuracy\", \"fraction\", \"seconds\"}]}");
  app->add_option("--plot", o->plot, "write an SVG of accuracy against log10 d, with the threshold and d_int90");
  app->add_option("--save", o->save,
                  "store the best run at d_int90 compressed: the architecture's fingerprint, the seeds and the d "
                  "coordinates (rebuilt by netdim intrinsic-load)");
  return {app, [o, app] {
            FileRoles files(*app);
            files.input(o->network, "network");
            for (const auto& file : data_spec_files(o->data)) files.input(file, "--data");
            files.json(o->json).output(o->plot, "--plot").output(o->save, "--save");
            const std::optional<nn::Architecture> arch = load_network(o->network);
            if (!arch) return 1;
            DataRequest request;
            request.spec = o->data;
            request.input_shape = arch->input_shape();
            request.hold_out_from_pair = true;
            request.train_limit = o->train_limit;
            request.test_limit = o->test_limit;
            ClassificationData<float> loaded = load_classification_data<float>(request);
            const data::Dataset<float>& train_set = loaded.train;
            const data::Dataset<float>& test_set = *loaded.test;
            namespace report = analysis::report;
            using report::fixed;
            const analysis::experiments::IntrinsicOptions options = experiment_options(*o);
            const std::size_t parameters = arch->parameter_count();
            std::vector<std::size_t> grid = analysis::experiments::dimension_grid(options, parameters);
            // Before the baseline trains: a subspace of R^D has at most D dimensions.
            if (grid.back() > parameters)
              throw std::invalid_argument("--dims: d = " + std::to_string(grid.back()) + " exceeds the D = " +
                                          std::to_string(parameters) + " parameters of " + o->network);
            // Known before any training: explicit dims that do not fit are refused; the search's grid stops
            // at the largest d that fits (said on stderr).
            if (analysis::experiments::fit_dense_grid(grid, options, parameters))
              std::cerr << "dense projection: the grid stops at d = " << grid.back()
                        << ", the largest that fits in memory (sparse and fastfood have no such limit)\n";

            support::StopRequestScope interrupt;
            analysis::experiments::IntrinsicCallbacks callbacks;
            callbacks.stop_requested = [] { return support::stop_requested(); };
            double baseline_accuracy = 0;
            callbacks.baseline_done = [&](double baseline, double target) {
              baseline_accuracy = baseline;
              std::cerr << "baseline test accuracy " << fixed(baseline, 4)
                        << "; target: " << report::intrinsic_rule(options, target) << "\n";
            };
            callbacks.run_done = [&](std::size_t d, std::uint64_t seed, double accuracy) {
              std::cerr << "d = " << d << ", seed " << seed << ": accuracy " << fixed(accuracy, 4) << " ("
                        << fixed(accuracy / baseline_accuracy, 3) << " of the baseline)\n";
            };
            std::cerr << "baseline: " << parameters << " parameters\n";
            const analysis::experiments::IntrinsicResult result =
                analysis::experiments::run_intrinsic(*arch, train_set, test_set, options, grid, callbacks);
            if (result.baseline_interrupted) {
              std::cerr << "interrupted during the baseline: nothing to report\n";
              return 130;
            }
            const report::IntrinsicSetup setup{o->network, loaded.description, o->projection};
            support::OutputBatch outputs;  // the plot and the JSON file: both or neither (--save follows them)
            if (!o->plot.empty()) outputs.add(o->plot, report::to_svg(report::intrinsic_plot(result, options)));
            write_report(o->json, [&] { return report::json_text(report::intrinsic_json(result, options, setup)); },
                         [&] { return report::intrinsic_table(result, options, setup); }, outputs);
            if (!o->save.empty()) {
              // Beside the text report; on stderr when stdout carries the JSON.
              std::ostream& note = o->json.to_stdout() ? std::cerr : std::cout;
              if (const analysis::subspace::SubspaceRun* best = result.best()) {
                nn::subspace::save_compressed(o->save, result.models.at({best->d, best->seed}));
                note << "saved d = " << best->d << ", seed " << best->seed << " (test accuracy "
                          << fixed(best->accuracy, 4) << ") in " << o->save << ": " << parameters << " parameters from "
                          << best->d << " coordinates, " << fixed(double(parameters) / double(best->d), 1)
                          << "x fewer numbers; " << std::filesystem::file_size(o->save) << " bytes against "
                          << 4 * parameters << " for float32 parameters\n";
              } else {
                note << "nothing saved in " << o->save << ": no d reached the threshold\n";
              }
            }
            return result.search.complete ? 0 : 130;
          }};
}

}  // namespace netdim::cli
