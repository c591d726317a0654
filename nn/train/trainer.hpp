// Training a model on a data set: seeded shuffled minibatches, epochs, train
// and test loss and accuracy per epoch, a progress bar on stderr (when it is a
// terminal), a CSV log, checkpoints, and a clean stop at the end of a batch
// (leaving a valid checkpoint) when the caller's stop_requested says so: the
// command line passes one that reads Ctrl-C (support/stop_requests); the library
// itself never touches signals.
//
// What the optimiser moves is a Trainable: by default the model's own flat
// parameters; subspace training (theta = theta0 + P d) passes the coordinates
// d and the map from d to theta instead, and nothing else changes.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>
#include <vector>

#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/train/optimizer.hpp"

namespace netdim::nn {

enum class LossKind { CrossEntropy, MeanSquared, MeanAbsolute, BinaryCrossEntropy };
std::optional<LossKind> loss_from_name(std::string_view name);  // cross_entropy, mse, mae, bce
std::string_view loss_name(LossKind loss);

struct Evaluation {
  double loss = 0;
  double accuracy = 0;  // NaN for regression losses
};

struct EpochResult {
  std::size_t epoch = 0;  // from 1
  Evaluation train, test;  // test is NaN when there is no test set
  double seconds = 0;
  bool complete = true;  // false for an epoch cut short by stop_requested (its train numbers cover the batches done)
};

struct TrainResult {
  std::vector<EpochResult> epochs;
  bool interrupted = false;  // stopped by stop_requested, e.g. Ctrl-C (the last epoch may be partial)
};

struct TrainOptions {
  std::size_t epochs = 10;
  std::size_t batch_size = 128;
  std::uint64_t shuffle_seed = 0;
  LossKind loss = LossKind::CrossEntropy;
  std::filesystem::path csv_log;     // empty: no log; columns epoch,train_loss,train_accuracy,
                                     // test_loss,test_accuracy,seconds,complete (1, or 0 for a partial epoch)
  std::filesystem::path checkpoint;  // empty: none; else saved after every epoch and when stopped
  int progress = -1;                 // -1: when stderr is a terminal; 0: never; 1: always
  std::function<void(const EpochResult&)> on_epoch;  // called after every epoch, e.g. to print it
  std::function<bool()> stop_requested;  // polled at the end of every batch: true stops there (e.g. Ctrl-C);
                                         // empty: never stops early
};

template <FloatingScalar T>
struct Trainable {
  Tensor<T>* coordinates = nullptr;                       // what the optimiser updates
  std::function<Var<T>(const Var<T>&)> to_parameters;     // coordinates -> flat model parameters
};

// Loss and accuracy of the model at parameters theta over a whole data set, in batches.
template <FloatingScalar T>
Evaluation evaluate(const Model<T>& model, const Tensor<T>& theta, const data::Dataset<T>& set, LossKind loss,
                    std::size_t batch_size = 1000);

template <FloatingScalar T>
TrainResult train(Model<T>& model, Optimizer<T>& optimizer, const data::Dataset<T>& train_set,
                  const std::type_identity_t<data::Dataset<T>>* test_set, const TrainOptions& options);

// The general form: the optimiser moves `trainable`; the model's parameters are
// set to trainable.to_parameters(coordinates) at the end of every epoch.
template <FloatingScalar T>
TrainResult train(Model<T>& model, Trainable<T> trainable, Optimizer<T>& optimizer, const data::Dataset<T>& train_set,
                  const std::type_identity_t<data::Dataset<T>>* test_set, const TrainOptions& options);

#define NETDIM_TRAINER_EXTERN(T)                                                                                  \
  extern template Evaluation evaluate(const Model<T>&, const Tensor<T>&, const data::Dataset<T>&, LossKind,      \
                                      std::size_t);                                                              \
  extern template TrainResult train(Model<T>&, Optimizer<T>&, const data::Dataset<T>&, const data::Dataset<T>*,  \
                                    const TrainOptions&);                                                        \
  extern template TrainResult train(Model<T>&, Trainable<T>, Optimizer<T>&, const data::Dataset<T>&,             \
                                    const data::Dataset<T>*, const TrainOptions&);
NETDIM_TRAINER_EXTERN(float)
NETDIM_TRAINER_EXTERN(double)
#undef NETDIM_TRAINER_EXTERN

}  // namespace netdim::nn
