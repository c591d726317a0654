// netdim intrinsic FILE.net [--data fashion-mnist | X.npy,y.npy | Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy]
// [--projection dense|sparse|fastfood] [--dims LIST | the search] [training] [--json F]:
// seed 002's intrinsic dimension. The full model is trained once for the baseline,
// then the network is trained in random subspaces theta0 + P d (nn/subspace) for
// each d, and d_int90 is the smallest d whose test accuracy reaches 90% of the
// baseline (analysis/subspace/intrinsic_search.hpp). Float32 throughout, as the
// paper's code and PyTorch.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/report/json_text.hpp"
#include "analysis/subspace/intrinsic_search.hpp"
#include "cli/classification_data.hpp"
#include "cli/commands/commands.hpp"
#include "cli/file_roles.hpp"
#include "cli/network_file.hpp"
#include "cli/options.hpp"
#include "support/atomic_write.hpp"
#include "analysis/report/line_plot.hpp"
#include "nn/subspace/compressed_model.hpp"
#include "nn/subspace/dense_projection.hpp"
#include "nn/subspace/projection.hpp"
#include "nn/subspace/subspace_training.hpp"
#include "support/stop_requests.hpp"
#include "nn/train/optimizer.hpp"
#include "nn/train/trainer.hpp"

namespace netdim::cli {

namespace {

struct IntrinsicOptions {
  std::string network, data = "fashion-mnist", projection = "fastfood", optimizer = "adam", json, plot, save;
  std::vector<std::size_t> dims;
  std::size_t seeds = 1, epochs = 5, batch = 128, train_limit = 0, test_limit = 0;
  double lr = 1e-3, momentum = 0.9, threshold = 0.9, resolution = 0.05;
  std::optional<double> threshold_absolute;
  std::uint64_t seed = 0;
};

// A seed for the projection that does not share its stream with the model's initialisation (splitmix64).
std::uint64_t projection_seed(std::uint64_t seed) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::string fixed(double v, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// Accuracy against log10 d: every run, the mean per d, the threshold, and d_int90.
analysis::report::LinePlot accuracy_plot(const analysis::subspace::SearchResult& result, double baseline, double target,
                               const std::string& rule) {
  analysis::report::LinePlot plot;
  plot.title = "test accuracy in random subspaces (baseline " + fixed(baseline, 4) + ")";
  plot.x_label = "log10 d";
  plot.y_label = "test accuracy";
  analysis::report::Series runs{"runs", {}, {}, false, true}, mean{"mean over seeds", {}, {}, true, false};
  std::map<std::size_t, std::pair<double, std::size_t>> per_d;
  for (const auto& r : result.runs) {
    runs.x.push_back(std::log10(double(r.d)));
    runs.y.push_back(r.accuracy);
    per_d[r.d].first += r.accuracy;
    per_d[r.d].second += 1;
  }
  for (const auto& [d, sum] : per_d) {
    mean.x.push_back(std::log10(double(d)));
    mean.y.push_back(sum.first / double(sum.second));
  }
  plot.series = {runs, mean};
  if (result.d_int) {
    const auto& [sum, n] = per_d.at(*result.d_int);
    plot.series.push_back({"d_int90 = " + std::to_string(*result.d_int), {std::log10(double(*result.d_int))}, {sum / double(n)}, false, true});
  }
  plot.references.push_back({"threshold: " + rule, target});
  return plot;
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
  app->add_option("--json", o->json,
                  "also write {\"baseline\", \"threshold\", \"d_int90\", \"complete\", \"runs\": [{\"d\", \"seed\", "
                  "\"accuracy\", \"fraction\", \"seconds\"}]}");
  app->add_option("--plot", o->plot, "write an SVG of accuracy against log10 d, with the threshold and d_int90");
  app->add_option("--save", o->save,
                  "store the best run at d_int90 compressed: the architecture's fingerprint, the seeds and the d "
                  "coordinates (rebuilt by netdim intrinsic-load)");
  return {app, [o, app] {
            FileRoles files(*app);
            files.input(o->network, "network");
            for (const auto& file : data_spec_files(o->data)) files.input(file, "--data");
            files.output(o->json, "--json").output(o->plot, "--plot").output(o->save, "--save");
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
            const auto kind = *nn::subspace::projection_from_name(o->projection);
            const std::size_t parameters = arch->parameter_count();
            analysis::subspace::SearchOptions search;
            search.grid = o->dims.empty() ? analysis::subspace::default_dimension_grid(parameters) : o->dims;
            std::sort(search.grid.begin(), search.grid.end());
            search.grid.erase(std::unique(search.grid.begin(), search.grid.end()), search.grid.end());
            // Before the baseline trains: a subspace of R^D has at most D dimensions.
            if (search.grid.back() > parameters)
              throw std::invalid_argument("--dims: d = " + std::to_string(search.grid.back()) + " exceeds the D = " +
                                          std::to_string(parameters) + " parameters of " + o->network);
            if (kind == nn::subspace::ProjectionKind::Dense) {
              // Known before any training: explicit dims that do not fit are refused; the search's grid stops
              // at the largest d that fits (said on stderr).
              if (!o->dims.empty() || !nn::subspace::dense_projection_fits(parameters, search.grid.front(), sizeof(float)))
                nn::subspace::require_dense_projection_fits(parameters, search.grid.back(), sizeof(float));
              const std::size_t before = search.grid.size();
              std::erase_if(search.grid, [&](std::size_t d) { return !nn::subspace::dense_projection_fits(parameters, d, sizeof(float)); });
              if (search.grid.size() < before)
                std::cerr << "dense projection: the grid stops at d = " << search.grid.back()
                          << ", the largest that fits in memory (sparse and fastfood have no such limit)\n";
            }

            support::StopRequestScope interrupt;
            nn::TrainOptions options;
            options.epochs = o->epochs;
            options.batch_size = o->batch;
            options.progress = -1;
            options.stop_requested = [] { return support::stop_requested(); };
            const auto trained_accuracy = [&](const nn::TrainResult& r) {
              return r.epochs.empty() ? std::nan("") : r.epochs.back().test.accuracy;
            };

            // The baseline: the full model, every parameter trained.
            nn::Model<float> full(*arch, o->seed);
            options.shuffle_seed = o->seed;
            std::cerr << "baseline: " << parameters << " parameters\n";
            auto optimizer = nn::make_optimizer<float>(o->optimizer, o->lr, o->momentum);
            const double baseline = trained_accuracy(nn::train(full, *optimizer, train_set, &test_set, options));
            if (support::stop_requested()) {
              std::cerr << "interrupted during the baseline: nothing to report\n";
              return 130;
            }
            const bool absolute = o->threshold_absolute.has_value();
            const double target = absolute ? *o->threshold_absolute : o->threshold * baseline;
            const std::string rule = absolute ? "absolute test accuracy " + fixed(*o->threshold_absolute, 4)
                                              : fixed(o->threshold, 2) + " of the baseline (" + fixed(target, 4) + ")";
            std::cerr << "baseline test accuracy " << fixed(baseline, 4) << "; target: " << rule << "\n";

            std::map<std::pair<std::size_t, std::uint64_t>, nn::subspace::CompressedModel> kept;  // for --save
            const auto run = [&](std::size_t d, std::uint64_t seed) {
              nn::Model<float> model(*arch, seed);
              nn::subspace::Subspace<float> sub(model.parameters(),
                                            nn::subspace::make_projection<float>(kind, projection_seed(seed), parameters, d));
              auto opt = nn::make_optimizer<float>(o->optimizer, o->lr, o->momentum);
              nn::TrainOptions run_options = options;
              run_options.shuffle_seed = seed;
              const double accuracy = trained_accuracy(nn::train(model, sub.trainable(), *opt, train_set, &test_set, run_options));
              if (!o->save.empty()) {
                nn::subspace::CompressedModel& m = kept[{d, seed}];
                m = nn::subspace::compressed_model_of(*arch);  // the fingerprint, D and the initialisers of theta0
                m.projection = kind;
                m.init_seed = seed;
                m.projection_seed = projection_seed(seed);
                m.coordinates.assign(sub.coordinates().begin(), sub.coordinates().end());
              }
              std::cerr << "d = " << d << ", seed " << seed << ": accuracy " << fixed(accuracy, 4) << " ("
                        << fixed(accuracy / baseline, 3) << " of the baseline)\n";
              return accuracy;
            };
            search.seeds = o->seeds;
            search.first_seed = o->seed;
            search.target = target;
            search.resolution = o->resolution;
            const auto stop = [] { return support::stop_requested(); };
            const analysis::subspace::SearchResult result = o->dims.empty() ? analysis::subspace::search_intrinsic_dimension(run, search, stop)
                                                                  : analysis::subspace::run_dimensions(run, search, stop);

            std::ostringstream table;
            table << "       d  seed  accuracy  fraction  seconds\n";
            for (const auto& r : result.runs) {
              char line[120];
              std::snprintf(line, sizeof line, "%8zu  %4llu  %8.4f  %8.4f  %7.1f\n", r.d, static_cast<unsigned long long>(r.seed),
                            r.accuracy, r.accuracy / baseline, r.seconds);
              table << line;
            }
            table << "baseline (" << parameters << " parameters): test accuracy " << fixed(baseline, 4) << "\n";
            table << "data: " << loaded.description << "\n";
            table << "threshold: " << rule << "\n";
            table << "projection: " << o->projection << ", " << result.runs.size() << " runs\n";
            if (result.d_int)
              table << "d_int" << (absolute ? "" : std::to_string(int(std::lround(o->threshold * 100)))) << " = "
                    << *result.d_int << (result.complete ? "" : " (an upper bound: interrupted)") << "\n";
            else
              table << "no d reached the threshold" << (result.complete ? "" : " (interrupted)") << "\n";
            std::cout << table.str();

            if (!o->json.empty()) {
              nlohmann::ordered_json j;
              j["network"] = o->network;
              j["parameters"] = parameters;
              j["data"] = loaded.description;
              j["projection"] = o->projection;
              j["baseline"] = baseline;
              j["threshold"] = {{"kind", absolute ? "absolute" : "relative"},
                                {"value", absolute ? *o->threshold_absolute : o->threshold},
                                {"accuracy", target}};
              j["d_int90"] = result.d_int ? nlohmann::ordered_json(*result.d_int) : nlohmann::ordered_json(nullptr);
              j["complete"] = result.complete;
              j["runs"] = nlohmann::ordered_json::array();
              for (const auto& r : result.runs)
                j["runs"].push_back({{"d", r.d}, {"seed", r.seed}, {"accuracy", r.accuracy},
                                     {"fraction", r.accuracy / baseline}, {"seconds", r.seconds}});
              support::write_text_atomically(o->json, analysis::report::json_text(j));
            }
            if (!o->plot.empty()) analysis::report::write_svg(o->plot, accuracy_plot(result, baseline, target, rule));
            if (!o->save.empty()) {
              const analysis::subspace::SubspaceRun* best = nullptr;
              for (const auto& r : result.runs)
                if (result.d_int && r.d == *result.d_int && (!best || r.accuracy > best->accuracy)) best = &r;
              if (best) {
                nn::subspace::save_compressed(o->save, kept.at({best->d, best->seed}));
                std::cout << "saved d = " << best->d << ", seed " << best->seed << " (test accuracy "
                          << fixed(best->accuracy, 4) << ") in " << o->save << ": " << parameters << " parameters from "
                          << best->d << " coordinates, " << fixed(double(parameters) / double(best->d), 1)
                          << "x fewer numbers; " << std::filesystem::file_size(o->save) << " bytes against "
                          << 4 * parameters << " for float32 parameters\n";
              } else {
                std::cout << "nothing saved in " << o->save << ": no d reached the threshold\n";
              }
            }
            return result.complete ? 0 : 130;
          }};
}

}  // namespace netdim::cli
