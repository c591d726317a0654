// netdim intrinsic FILE.net [--data fashion-mnist | Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy]
// [--projection dense|sparse|fastfood] [--dims LIST | the search] [training] [--json F]:
// seed 002's intrinsic dimension. The full model is trained once for the baseline,
// then the network is trained in random subspaces theta0 + P d (nn/subspace) for
// each d, and d_int90 is the smallest d whose test accuracy reaches 90% of the
// baseline (analysis/subspace/intrinsic_search.hpp). Float32 throughout, as the
// paper's code and PyTorch.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <nlohmann/json.hpp>

#include "analysis/report/json_text.hpp"
#include "analysis/subspace/intrinsic_search.hpp"
#include "cli/commands/commands.hpp"
#include "cli/network_file.hpp"
#include "cli/options.hpp"
#include "nn/data/atomic_write.hpp"
#include "nn/data/dataset.hpp"
#include "nn/data/npy.hpp"
#include "nn/subspace/projection.hpp"
#include "nn/subspace/subspace_training.hpp"
#include "nn/train/interrupt.hpp"
#include "nn/train/trainer.hpp"

namespace netdim::cli {

namespace {

struct IntrinsicOptions {
  std::string network, data = "fashion-mnist", projection = "fastfood", optimizer = "adam", json;
  std::vector<std::size_t> dims;
  std::size_t seeds = 1, epochs = 5, batch = 128, train_limit = 0, test_limit = 0;
  double lr = 1e-3, momentum = 0.9, threshold = 0.9, resolution = 0.05;
  std::optional<double> threshold_absolute;
  std::uint64_t seed = 0;
};

using Set = data::Dataset<float>;

// The first `limit` examples (all when 0 or more than there are).
Set first(Set set, std::size_t limit) {
  if (limit == 0 || limit >= set.size()) return set;
  Shape shape = shape_of(set.inputs);
  const std::size_t row = shape_size(shape) / shape[0];
  shape[0] = limit;
  Tensor<float> inputs = Tensor<float>::from_shape(shape);
  std::copy_n(set.inputs.data(), limit * row, inputs.data());
  set.inputs = std::move(inputs);
  set.labels.resize(limit);
  return set;
}

Set npy_set(const std::string& x_path, const std::string& y_path, const Shape& input_shape) {
  Set set;
  const Tensor<double> x = data::read_npy<double>(x_path);
  const data::NpyIntegers y = data::read_npy_integers(y_path);
  if (x.dimension() < 1 || x.shape()[0] != y.values.size())
    throw std::runtime_error("--data: " + x_path + " has " + (x.dimension() ? std::to_string(x.shape()[0]) : "no") +
                             " rows but " + y_path + " has " + std::to_string(y.values.size()) + " labels");
  Shape want = input_shape;
  want.insert(want.begin(), x.shape()[0]);
  if (shape_size(shape_of(x)) != shape_size(want))
    throw std::runtime_error("--data: " + x_path + " has shape " + shape_string(shape_of(x)) +
                             ", which does not fit the network's input " + shape_string(input_shape));
  set.inputs = Tensor<float>::from_shape(want);
  std::transform(x.begin(), x.end(), set.inputs.begin(), [](double v) { return static_cast<float>(v); });
  for (const auto v : y.values) {
    if (v < 0 || v > 100000) throw std::runtime_error("--data: " + y_path + " has a label " + std::to_string(v) + " that is not a class");
    set.labels.push_back(static_cast<int>(v));
  }
  return set;
}

std::pair<Set, Set> load_data(const IntrinsicOptions& o, const Shape& input_shape) {
  if (o.data == "fashion-mnist") {
    const bool flat = input_shape.size() == 1;
    if (!(flat ? input_shape == Shape{784} : input_shape == Shape{1, 28, 28}))
      throw std::runtime_error("--data fashion-mnist: the network's input " + shape_string(input_shape) +
                               " is neither [784] nor [1, 28, 28]");
    if (!std::filesystem::exists(data::kFashionMnistDir))
      throw std::runtime_error(std::string("--data fashion-mnist: ") + data::kFashionMnistDir +
                               " is missing (apt-get install dataset-fashion-mnist)");
    return {data::load_fashion_mnist<float>("train", data::kFashionMnistDir, flat),
            data::load_fashion_mnist<float>("test", data::kFashionMnistDir, flat)};
  }
  std::vector<std::string> files;
  std::stringstream list(o.data);
  for (std::string f; std::getline(list, f, ',');) files.push_back(f);
  if (files.size() != 4)
    throw std::runtime_error("--data: expected fashion-mnist or Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy, got '" + o.data + "'");
  return {npy_set(files[0], files[1], input_shape), npy_set(files[2], files[3], input_shape)};
}

// A seed for the projection that does not share its stream with the model's initialisation (splitmix64).
std::uint64_t projection_seed(std::uint64_t seed) {
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ULL;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::unique_ptr<nn::Optimizer<float>> make_optimizer(const IntrinsicOptions& o) {
  if (o.optimizer == "sgd") return std::make_unique<nn::SGD<float>>(o.lr, o.momentum);
  return std::make_unique<nn::Adam<float>>(o.lr);
}

std::string fixed(double v, int digits) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

Command add_intrinsic(CLI::App& parent) {
  auto o = std::make_shared<IntrinsicOptions>();
  CLI::App* app = parent.add_subcommand(
      "intrinsic", "Intrinsic dimension (seed 002): train in random subspaces theta0 + P d and find d_int90");
  app->add_option("network", o->network, "the .net file")->required();
  app->add_option("--data", o->data,
                  "fashion-mnist (default) or Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy (inputs, integer labels)");
  app->add_option("--projection", o->projection, "dense, sparse or fastfood (default)")
      ->check(CLI::IsMember({"dense", "sparse", "fastfood"}));
  app->add_option("--dims", o->dims, "explicit subspace dimensions, comma-separated (default: the search)")
      ->delimiter(',')
      ->check(integer_in(1, 1'000'000'000));
  app->add_option("--seeds", o->seeds, "runs per d, seeds 0.. (default 1)")->check(integer_in(1, 1000));
  app->add_option("--seed", o->seed, "seed of the baseline and offset of the runs' seeds (default 0)")
      ->check(integer_in(0, 1'000'000'000));
  app->add_option("--epochs", o->epochs, "epochs per training (default 5)")->check(integer_in(1, 100000));
  app->add_option("--optimizer", o->optimizer, "adam (default) or sgd")->check(CLI::IsMember({"adam", "sgd"}));
  app->add_option("--lr", o->lr, "learning rate (default 1e-3)")->check(finite_in(0, 100, Ends::OpenLow));
  app->add_option("--momentum", o->momentum, "SGD momentum (default 0.9)")->check(finite_in(0, 1, Ends::OpenHigh));
  app->add_option("--batch", o->batch, "minibatch size (default 128)")->check(integer_in(1, 1'000'000));
  auto* relative = app->add_option("--threshold", o->threshold, "fraction of the baseline's accuracy (default 0.9)")
                       ->check(finite_in(0, 1, Ends::OpenLow));
  app->add_option("--threshold-absolute", o->threshold_absolute,
                  "an absolute test accuracy instead (the original MNIST notebooks' 0.9)")
      ->check(finite_in(0, 1, Ends::OpenLow))
      ->excludes(relative);
  app->add_option("--resolution", o->resolution, "bisection stops within this fraction of d (default 0.05)")
      ->check(finite_in(0, 1));
  app->add_option("--train-limit", o->train_limit, "use only the first N training examples")->check(integer_in(1, 100'000'000));
  app->add_option("--test-limit", o->test_limit, "use only the first N test examples")->check(integer_in(1, 100'000'000));
  app->add_option("--json", o->json,
                  "also write {\"baseline\", \"threshold\", \"d_int90\", \"complete\", \"runs\": [{\"d\", \"seed\", "
                  "\"accuracy\", \"fraction\", \"seconds\"}]}");
  return {app, [o] {
            if (!o->json.empty()) require_writable(o->json, "--json");
            const std::optional<nn::Architecture> arch = load_network(o->network);
            if (!arch) return 1;
            auto [train_set, test_set] = load_data(*o, arch->input_shape());
            train_set = first(std::move(train_set), o->train_limit);
            test_set = first(std::move(test_set), o->test_limit);
            const auto kind = *subspace::projection_from_name(o->projection);

            nn::InterruptGuard interrupt;
            nn::TrainOptions options;
            options.epochs = o->epochs;
            options.batch_size = o->batch;
            options.progress = -1;
            const auto trained_accuracy = [&](const nn::TrainResult& r) {
              return r.epochs.empty() ? std::nan("") : r.epochs.back().test.accuracy;
            };

            // The baseline: the full model, every parameter trained.
            nn::Model<float> full(*arch, o->seed);
            const std::size_t parameters = full.parameter_count();
            options.shuffle_seed = o->seed;
            std::cerr << "baseline: " << parameters << " parameters\n";
            auto optimizer = make_optimizer(*o);
            const double baseline = trained_accuracy(nn::train(full, *optimizer, train_set, &test_set, options));
            if (nn::InterruptGuard::requested()) {
              std::cerr << "interrupted during the baseline: nothing to report\n";
              return 130;
            }
            const bool absolute = o->threshold_absolute.has_value();
            const double target = absolute ? *o->threshold_absolute : o->threshold * baseline;
            const std::string rule = absolute ? "absolute test accuracy " + fixed(*o->threshold_absolute, 4)
                                              : fixed(o->threshold, 2) + " of the baseline (" + fixed(target, 4) + ")";
            std::cerr << "baseline test accuracy " << fixed(baseline, 4) << "; target: " << rule << "\n";

            const auto run = [&](std::size_t d, std::uint64_t seed) {
              nn::Model<float> model(*arch, seed);
              subspace::Subspace<float> sub(model.parameters(),
                                            subspace::make_projection<float>(kind, projection_seed(seed), parameters, d));
              auto opt = make_optimizer(*o);
              nn::TrainOptions run_options = options;
              run_options.shuffle_seed = seed;
              const double accuracy = trained_accuracy(nn::train(model, sub.trainable(), *opt, train_set, &test_set, run_options));
              std::cerr << "d = " << d << ", seed " << seed << ": accuracy " << fixed(accuracy, 4) << " ("
                        << fixed(accuracy / baseline, 3) << " of the baseline)\n";
              return accuracy;
            };
            subspace::SearchOptions search;
            search.grid = o->dims.empty() ? subspace::default_dimension_grid(parameters) : o->dims;
            std::sort(search.grid.begin(), search.grid.end());
            search.grid.erase(std::unique(search.grid.begin(), search.grid.end()), search.grid.end());
            search.seeds = o->seeds;
            search.first_seed = o->seed;
            search.target = target;
            search.resolution = o->resolution;
            subspace::SearchResult result;
            if (o->dims.empty()) {
              result = subspace::search_intrinsic_dimension(run, search, [] { return nn::InterruptGuard::requested(); });
            } else {
              // Explicit dims: every one runs; d_int90 is the smallest whose mean accuracy reaches the target.
              for (std::size_t d : search.grid) {
                double sum = 0;
                std::size_t done = 0;
                for (std::size_t k = 0; k < o->seeds && !nn::InterruptGuard::requested(); ++k) {
                  const auto start = std::chrono::steady_clock::now();
                  const double accuracy = run(d, o->seed + k);
                  if (nn::InterruptGuard::requested()) break;
                  result.runs.push_back({d, o->seed + k, accuracy,
                                         std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
                  sum += accuracy;
                  ++done;
                }
                if (done < o->seeds) {
                  result.complete = false;
                  break;
                }
                if (!result.d_int && sum / double(done) >= target) result.d_int = d;
              }
            }

            std::ostringstream table;
            table << "       d  seed  accuracy  fraction  seconds\n";
            for (const auto& r : result.runs) {
              char line[120];
              std::snprintf(line, sizeof line, "%8zu  %4llu  %8.4f  %8.4f  %7.1f\n", r.d, static_cast<unsigned long long>(r.seed),
                            r.accuracy, r.accuracy / baseline, r.seconds);
              table << line;
            }
            table << "baseline (" << parameters << " parameters): test accuracy " << fixed(baseline, 4) << "\n";
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
              data::write_text_atomically(o->json, report::json_text(j));
            }
            return result.complete ? 0 : 130;
          }};
}

}  // namespace netdim::cli
