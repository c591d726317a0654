#include "netdim/nn/train/trainer.hpp"

#include <chrono>
#include <cmath>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "netdim/autodiff/reverse.hpp"
#include "netdim/nn/checkpoint.hpp"
#include "netdim/support/atomic_write.hpp"
#include "netdim/nn/train/loss.hpp"
#include "netdim/support/progress.hpp"

namespace netdim::nn {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The rows `index[begin, end)` of a batch-first tensor.
template <class T>
Tensor<T> gather_rows(const Tensor<T>& all, const std::vector<std::size_t>& index, std::size_t begin, std::size_t end) {
  Shape shape = shape_of(all);
  const std::size_t row = shape_size(shape) / shape[0];
  shape[0] = end - begin;
  Tensor<T> out = Tensor<T>::from_shape(shape);
  for (std::size_t i = begin; i < end; ++i)
    std::copy_n(all.data() + index[i] * row, row, out.data() + (i - begin) * row);
  return out;
}

std::vector<int> gather_labels(const std::vector<int>& all, const std::vector<std::size_t>& index, std::size_t begin,
                               std::size_t end) {
  std::vector<int> out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) out.push_back(all[index[i]]);
  return out;
}

void check_dataset(const std::string& what, std::size_t n, bool has_labels, bool has_targets, LossKind loss) {
  if (n == 0) throw std::invalid_argument(what + " set is empty");
  const bool wants_labels = loss == LossKind::CrossEntropy;
  if (wants_labels && !has_labels)
    throw std::invalid_argument(what + " set has no class labels, which the cross_entropy loss needs");
  if (!wants_labels && !has_targets)
    throw std::invalid_argument(what + " set has no regression targets, which the " +
                                std::string(loss_name(loss)) + " loss needs");
}

// The batch loss, and how many of the batch it classifies correctly.
template <class T>
std::pair<Var<T>, std::size_t> batch_loss(const Var<T>& out, const data::Dataset<T>& set,
                                          const std::vector<std::size_t>& index, std::size_t begin, std::size_t end,
                                          LossKind loss) {
  const Tensor<T>& y = out.value();
  std::size_t correct = 0;
  if (loss == LossKind::CrossEntropy) {
    const std::vector<int> labels = gather_labels(set.labels, index, begin, end);
    const std::size_t classes = y.shape()[1];
    for (std::size_t i = 0; i < labels.size(); ++i) {
      const T* row = y.data() + i * classes;
      correct += static_cast<std::size_t>(std::max_element(row, row + classes) - row) == static_cast<std::size_t>(labels[i]);
    }
    return {cross_entropy(out, labels), correct};
  }
  const Tensor<T> target = gather_rows(set.targets, index, begin, end);
  if (shape_of(target) != out.shape())
    throw ShapeError("training: targets have shape " + shape_string(shape_of(target)) + " but the model outputs " +
                     shape_string(out.shape()));
  switch (loss) {
    case LossKind::MeanSquared: return {mse_loss(out, target), 0};
    case LossKind::MeanAbsolute: return {mae_loss(out, target), 0};
    default:
      for (std::size_t i = 0; i < y.size(); ++i) correct += (y.flat(i) > 0) == (target.flat(i) > T(0.5));
      return {binary_cross_entropy_with_logits(out, target), correct};
  }
}

bool has_accuracy(LossKind loss) { return loss == LossKind::CrossEntropy || loss == LossKind::BinaryCrossEntropy; }

std::size_t accuracy_units(LossKind loss, std::size_t n, const Shape& out_shape) {
  return loss == LossKind::BinaryCrossEntropy ? n * (shape_size(out_shape) / out_shape[0]) : n;
}

void write_csv_row(std::ofstream& csv, const EpochResult& e) {
  const auto num = [](double v) { return std::isnan(v) ? std::string() : std::to_string(v); };
  csv << e.epoch << ',' << num(e.train.loss) << ',' << num(e.train.accuracy) << ',' << num(e.test.loss) << ','
      << num(e.test.accuracy) << ',' << e.seconds << ',' << (e.complete ? 1 : 0) << '\n';
  csv.flush();
}

}  // namespace

std::optional<LossKind> loss_from_name(std::string_view name) {
  if (name == "cross_entropy") return LossKind::CrossEntropy;
  if (name == "mse") return LossKind::MeanSquared;
  if (name == "mae") return LossKind::MeanAbsolute;
  if (name == "bce") return LossKind::BinaryCrossEntropy;
  return std::nullopt;
}

std::string_view loss_name(LossKind loss) {
  switch (loss) {
    case LossKind::CrossEntropy: return "cross_entropy";
    case LossKind::MeanSquared: return "mse";
    case LossKind::MeanAbsolute: return "mae";
    case LossKind::BinaryCrossEntropy: return "bce";
  }
  return "unknown";
}

template <FloatingScalar T>
Evaluation evaluate(const Model<T>& model, const Tensor<T>& theta, const data::Dataset<T>& set, LossKind loss,
                    std::size_t batch_size) {
  check_dataset("evaluation", set.size(), !set.labels.empty(), set.targets.size() > 0, loss);
  std::vector<std::size_t> index(set.size());
  std::iota(index.begin(), index.end(), std::size_t{0});
  Tape<T> tape;
  double total = 0;
  std::size_t correct = 0, units = 0;
  for (std::size_t begin = 0; begin < set.size(); begin += batch_size) {
    const std::size_t end = std::min(set.size(), begin + batch_size);
    tape.clear();
    const Var<T> out = model.forward(tape.constant(theta), tape.constant(gather_rows(set.inputs, index, begin, end)));
    const auto [l, c] = batch_loss(out, set, index, begin, end, loss);
    total += static_cast<double>(l.value()()) * static_cast<double>(end - begin);
    correct += c;
    units += accuracy_units(loss, end - begin, out.shape());
  }
  return {total / static_cast<double>(set.size()),
          has_accuracy(loss) ? static_cast<double>(correct) / static_cast<double>(units) : kNaN};
}

template <FloatingScalar T>
TrainResult train(Model<T>& model, Optimizer<T>& optimizer, const data::Dataset<T>& train_set,
                  const std::type_identity_t<data::Dataset<T>>* test_set, const TrainOptions& options) {
  Trainable<T> all{&model.parameters(), [](const Var<T>& theta) { return theta; }};
  return train(model, std::move(all), optimizer, train_set, test_set, options);
}

template <FloatingScalar T>
TrainResult train(Model<T>& model, Trainable<T> trainable, Optimizer<T>& optimizer, const data::Dataset<T>& train_set,
                  const std::type_identity_t<data::Dataset<T>>* test_set, const TrainOptions& options) {
  check_dataset("training", train_set.size(), !train_set.labels.empty(), train_set.targets.size() > 0, options.loss);
  if (test_set) check_dataset("test", test_set->size(), !test_set->labels.empty(), test_set->targets.size() > 0, options.loss);
  if (options.batch_size == 0) throw std::invalid_argument("training: batch size must be positive");
  if (!trainable.coordinates || !trainable.to_parameters) throw std::invalid_argument("training: nothing to train");

  // Both outputs are checked before any work, so a bad path never costs an epoch.
  if (!options.checkpoint.empty()) support::check_writable(options.checkpoint);
  if (!options.csv_log.empty()) support::check_writable(options.csv_log);
  std::ofstream csv;
  if (!options.csv_log.empty()) {
    csv.open(options.csv_log, std::ios::trunc);
    if (!csv) throw std::runtime_error(options.csv_log.string() + ": cannot open the CSV log for writing");
    csv << "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds,complete\n";
  }

  TrainResult result;
  std::mt19937_64 rng(options.shuffle_seed);
  std::vector<std::size_t> index(train_set.size());
  Tape<T> tape;
  const std::size_t batches = (train_set.size() + options.batch_size - 1) / options.batch_size;
  const auto sync_model = [&] {
    tape.clear();
    model.set_parameters(trainable.to_parameters(tape.constant(*trainable.coordinates)).value());
  };

  for (std::size_t epoch = 1; epoch <= options.epochs && !result.interrupted; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    std::iota(index.begin(), index.end(), std::size_t{0});
    std::shuffle(index.begin(), index.end(), rng);
    support::Progress progress("epoch " + std::to_string(epoch) + "/" + std::to_string(options.epochs), batches,
                      options.progress);
    double total = 0;
    std::size_t correct = 0, units = 0, seen = 0;
    for (std::size_t b = 0; b < batches; ++b) {
      const std::size_t begin = b * options.batch_size, end = std::min(train_set.size(), begin + options.batch_size);
      tape.clear();
      const Var<T> coords = tape.variable(*trainable.coordinates);
      const Var<T> theta = trainable.to_parameters(coords);
      const Var<T> out = model.forward(theta, tape.constant(gather_rows(train_set.inputs, index, begin, end)));
      const auto [l, c] = batch_loss(out, train_set, index, begin, end, options.loss);
      const double value = static_cast<double>(l.value()());
      if (!std::isfinite(value))
        throw std::runtime_error("training diverged: the loss became " + std::to_string(value) + " in epoch " +
                                 std::to_string(epoch) + " (lower the learning rate)");
      optimizer.step(*trainable.coordinates, grad(l, coords));
      total += value * static_cast<double>(end - begin);
      seen += end - begin;
      correct += c;
      units += accuracy_units(options.loss, end - begin, out.shape());
      std::ostringstream note;
      note << "loss " << total / static_cast<double>(seen);
      progress.update(b + 1, note.str());
      if (options.stop_requested && options.stop_requested()) {
        result.interrupted = true;
        break;
      }
    }
    progress.finish();
    sync_model();
    EpochResult e;
    e.epoch = epoch;
    e.complete = seen == train_set.size();
    e.train = {total / static_cast<double>(seen),
               has_accuracy(options.loss) ? static_cast<double>(correct) / static_cast<double>(units) : kNaN};
    // A partial epoch (Ctrl-C) is not evaluated on the test set: that pass can take minutes,
    // and the user asked to stop.
    e.test = test_set && e.complete ? evaluate(model, model.parameters(), *test_set, options.loss)
                                    : Evaluation{kNaN, kNaN};
    e.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.epochs.push_back(e);
    if (csv.is_open()) write_csv_row(csv, e);
    if (options.on_epoch) options.on_epoch(e);
    if (!options.checkpoint.empty()) save_checkpoint(options.checkpoint, model);
  }
  return result;
}

#define NETDIM_TRAINER_INSTANTIATE(T)                                                                       \
  template Evaluation evaluate(const Model<T>&, const Tensor<T>&, const data::Dataset<T>&, LossKind,       \
                               std::size_t);                                                               \
  template TrainResult train(Model<T>&, Optimizer<T>&, const data::Dataset<T>&, const data::Dataset<T>*,   \
                             const TrainOptions&);                                                         \
  template TrainResult train(Model<T>&, Trainable<T>, Optimizer<T>&, const data::Dataset<T>&,              \
                             const data::Dataset<T>*, const TrainOptions&);
NETDIM_TRAINER_INSTANTIATE(float)
NETDIM_TRAINER_INSTANTIATE(double)

}  // namespace netdim::nn
