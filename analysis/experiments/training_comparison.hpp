// Seed 003, section 5: do shortcuts that raise the ESD show in training? Several
// networks trained on the same data, each from several seeds, with the training
// and test accuracy of every epoch; then, per network and epoch budget, the mean
// and spread over the seeds (tables 1 and 2, figures 6 and 8).
//
// Run (network k, seed s) initialises the model from seed s and shuffles the
// minibatches from seed s, so every network sees the same batch order under the
// same seed. An epoch budget E is read off epoch E of the run: with a constant
// learning rate, training E epochs and stopping is exactly the first E epochs of
// a longer run, so one run serves every budget.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "netdim/nn/architecture.hpp"
#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/train/trainer.hpp"

namespace netdim::analysis {

struct OptimizerChoice {
  std::string name = "sgd";  // "sgd" or "adam"
  double lr = 0.01;
  double momentum = 0.9;  // SGD only
};

struct TrainingPlan {
  std::vector<nn::Architecture> networks;
  std::size_t seeds = 3;           // runs per network, seeds first_seed, first_seed + 1, ...
  std::uint64_t first_seed = 0;
  std::size_t epochs = 10;         // every run trains this many epochs
  std::size_t batch_size = 128;
  OptimizerChoice optimizer;
};

struct TrainingRun {
  std::size_t network = 0;  // index into TrainingPlan::networks
  std::uint64_t seed = 0;
  std::vector<nn::EpochResult> epochs;
  bool complete = true;  // false for the run Ctrl-C cut short
};

struct TrainingCallbacks {
  std::function<void(std::size_t network, std::uint64_t seed)> run_started;
  std::function<void(const TrainingRun& run, const nn::EpochResult& epoch)> epoch_done;
  // The model's parameters (canonical order, as float64) after each epoch; empty: not asked for.
  std::function<void(const TrainingRun& run, const nn::EpochResult& epoch, const Tensor<double>& parameters)> parameters_after_epoch;
  int progress = -1;  // the trainer's progress bar: -1 when stderr is a terminal, 0 never, 1 always
  std::function<bool()> stop_requested;  // polled at the end of every batch (e.g. Ctrl-C); empty: never
};

struct TrainingComparison {
  std::vector<TrainingRun> runs;  // network-major, then seed; a run cut short is last
  bool interrupted = false;
};

// The data reshaped to a network's input: [N, ...] to [N, input shape] when the element
// counts agree (Fashion-MNIST's [N, 1, 28, 28] feeds an input(784) network). Throws
// std::invalid_argument naming both shapes otherwise, or for an empty set;
// require_input_shape is that check alone, without the copy.
template <FloatingScalar T>
data::Dataset<T> shaped_for(const data::Dataset<T>& set, const Shape& input);
template <FloatingScalar T>
void require_input_shape(const data::Dataset<T>& set, const Shape& input);

// Trains every network from every seed, in that order. callbacks.stop_requested (Ctrl-C)
// stops at the end of a batch: the finished runs are kept and the one cut short is returned with complete = false.
// Throws std::invalid_argument for an empty plan or an unknown optimiser, and
// std::runtime_error when a run diverges (naming the network index and seed).
template <FloatingScalar T>
TrainingComparison compare_training(const TrainingPlan& plan, const data::Dataset<T>& train_set,
                                    const std::type_identity_t<data::Dataset<T>>* test_set,
                                    const TrainingCallbacks& callbacks = {});

struct Spread {
  double mean = 0, sd = 0, min = 0, max = 0;  // sd: the sample standard deviation (0 for one run)
};

// One row of tables 1 and 2: a network after `epochs` epochs, over its complete runs.
struct BudgetRow {
  std::size_t network = 0;
  std::size_t epochs = 0;
  std::size_t runs = 0;
  Spread train_accuracy, test_accuracy;  // test: NaN fields without a test set
};

// Rows network-major, then budget; budgets beyond the runs' epochs are skipped.
std::vector<BudgetRow> budget_table(const TrainingComparison& comparison, std::size_t networks,
                                    const std::vector<std::size_t>& budgets);

// The mean over a network's complete runs of one metric per epoch (figures 6 and 8):
// `test` picks the test accuracy, else the training accuracy.
std::vector<double> mean_curve(const TrainingComparison& comparison, std::size_t network, bool test);

Spread spread(const std::vector<double>& values);

}  // namespace netdim::analysis
