#include "netdim/analysis/experiments/training_comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>

#include "netdim/nn/model.hpp"
#include "netdim/nn/train/optimizer.hpp"

namespace netdim::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

template <FloatingScalar T>
std::unique_ptr<nn::Optimizer<T>> make_optimizer(const OptimizerChoice& o) {
  return nn::make_optimizer<T>(o.name, o.lr, o.momentum);
}

}  // namespace

template <FloatingScalar T>
void require_input_shape(const data::Dataset<T>& set, const Shape& input) {
  if (set.size() == 0 || !set.fits_input(input))
    throw std::invalid_argument("the network takes inputs of shape " + shape_string(input) + ", the data's are " +
                                shape_string(set.example_shape()));
}

template <FloatingScalar T>
data::Dataset<T> shaped_for(const data::Dataset<T>& set, const Shape& input) {
  require_input_shape(set, input);
  data::Dataset<T> shaped = set;
  shaped.reshape_inputs(input);
  return shaped;
}

template <FloatingScalar T>
TrainingComparison compare_training(const TrainingPlan& plan, const data::Dataset<T>& train_set,
                                    const std::type_identity_t<data::Dataset<T>>* test_set,
                                    const TrainingCallbacks& callbacks) {
  if (plan.networks.empty() || plan.seeds == 0 || plan.epochs == 0)
    throw std::invalid_argument("a training comparison needs at least one network, one seed and one epoch");
  make_optimizer<T>(plan.optimizer);  // an unknown optimiser fails before any work
  TrainingComparison result;
  for (std::size_t k = 0; k < plan.networks.size() && !result.interrupted; ++k) {
    const nn::Architecture& net = plan.networks[k];
    const data::Dataset<T> train_k = shaped_for(train_set, net.input_shape());
    std::optional<data::Dataset<T>> test_k;
    if (test_set) test_k = shaped_for(*test_set, net.input_shape());
    for (std::size_t s = 0; s < plan.seeds && !result.interrupted; ++s) {
      TrainingRun run;
      run.network = k;
      run.seed = plan.first_seed + s;
      if (callbacks.run_started) callbacks.run_started(k, run.seed);
      nn::Model<T> model(net, run.seed);
      const auto optimizer = make_optimizer<T>(plan.optimizer);
      nn::TrainOptions options;
      options.epochs = plan.epochs;
      options.batch_size = plan.batch_size;
      options.shuffle_seed = run.seed;
      options.progress = callbacks.progress;
      options.stop_requested = callbacks.stop_requested;
      options.on_epoch = [&](const nn::EpochResult& e) {
        run.epochs.push_back(e);
        if (callbacks.epoch_done) callbacks.epoch_done(run, e);
        if (callbacks.parameters_after_epoch) callbacks.parameters_after_epoch(run, e, xt::cast<double>(model.parameters()));
      };
      nn::TrainResult trained;
      try {
        trained = nn::train(model, *optimizer, train_k, test_k ? &*test_k : nullptr, options);
      } catch (const std::runtime_error& e) {
        throw std::runtime_error("network " + std::to_string(k + 1) + ", seed " + std::to_string(run.seed) + ": " +
                                 e.what());
      }
      run.complete = !trained.interrupted;
      result.interrupted = trained.interrupted;
      result.runs.push_back(std::move(run));
    }
  }
  return result;
}

Spread spread(const std::vector<double>& values) {
  if (values.empty()) return {kNaN, kNaN, kNaN, kNaN};
  Spread s;
  const double n = static_cast<double>(values.size());
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  double squares = 0;
  for (double v : values) squares += (v - s.mean) * (v - s.mean);
  s.sd = values.size() > 1 ? std::sqrt(squares / (n - 1)) : 0.0;
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

std::vector<BudgetRow> budget_table(const TrainingComparison& comparison, std::size_t networks,
                                    const std::vector<std::size_t>& budgets) {
  std::vector<BudgetRow> rows;
  for (std::size_t k = 0; k < networks; ++k)
    for (std::size_t budget : budgets) {
      std::vector<double> train, test;
      for (const TrainingRun& run : comparison.runs)
        if (run.network == k && run.complete && budget >= 1 && budget <= run.epochs.size()) {
          train.push_back(run.epochs[budget - 1].train.accuracy);
          test.push_back(run.epochs[budget - 1].test.accuracy);
        }
      if (train.empty()) continue;
      rows.push_back({k, budget, train.size(), spread(train), spread(test)});
    }
  return rows;
}

std::vector<double> mean_curve(const TrainingComparison& comparison, std::size_t network, bool test) {
  std::vector<double> sum;
  std::vector<std::size_t> count;
  for (const TrainingRun& run : comparison.runs) {
    if (run.network != network || !run.complete) continue;
    if (sum.size() < run.epochs.size()) {
      sum.resize(run.epochs.size(), 0.0);
      count.resize(run.epochs.size(), 0);
    }
    for (std::size_t e = 0; e < run.epochs.size(); ++e) {
      sum[e] += test ? run.epochs[e].test.accuracy : run.epochs[e].train.accuracy;
      ++count[e];
    }
  }
  for (std::size_t e = 0; e < sum.size(); ++e) sum[e] /= static_cast<double>(count[e]);
  return sum;
}

#define NETDIM_TRAINING_COMPARISON(T)                                                                     \
  template void require_input_shape(const data::Dataset<T>&, const Shape&);                            \
  template data::Dataset<T> shaped_for(const data::Dataset<T>&, const Shape&);                          \
  template TrainingComparison compare_training(const TrainingPlan&, const data::Dataset<T>&,              \
                                               const data::Dataset<T>*, const TrainingCallbacks&);
NETDIM_TRAINING_COMPARISON(float)
NETDIM_TRAINING_COMPARISON(double)

}  // namespace netdim::analysis
