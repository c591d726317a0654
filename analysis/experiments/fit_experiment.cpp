#include "netdim/analysis/experiments/fit_experiment.hpp"

#include <cmath>
#include <limits>
#include <iterator>
#include <random>
#include <set>
#include <stdexcept>

#include "netdim/analysis/parallel/for_each_index.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/autodiff/blas_threads.hpp"
#include "netdim/autodiff/reverse.hpp"
#include "netdim/nn/model.hpp"
#include "netdim/nn/train/loss.hpp"
#include "netdim/nn/train/optimizer.hpp"

namespace netdim::analysis {
namespace {

std::mt19937_64 stream(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(a),    static_cast<std::uint32_t>(a >> 32),
                    static_cast<std::uint32_t>(b),    static_cast<std::uint32_t>(b >> 32)};
  return std::mt19937_64(seq);
}

constexpr std::uint64_t kDataStream = ~std::uint64_t{0};  // the points' stream, apart from every network's

}  // namespace

std::string RandomMlp::describe() const {
  std::string s;
  for (std::size_t l = 0; l < widths.size(); ++l)
    s += (l ? ", " : "") + std::to_string(widths[l]) + " " + std::string(nn::activation_name(activations[l]));
  return s;
}

void validate_fit_options(const FitOptions& o) {
  if (o.networks < 3) throw std::invalid_argument("the experiment needs at least 3 networks for a correlation");
  if (o.min_layers == 0 || o.min_layers > o.max_layers)
    throw std::invalid_argument("the hidden layers must be a range [a, b] with 1 <= a <= b");
  if (o.min_width == 0 || o.min_width > o.max_width)
    throw std::invalid_argument("the widths must be a range [a, b] with 1 <= a <= b");
  if (o.activations.empty()) throw std::invalid_argument("at least one activation is needed");
  if (o.points < 2) throw std::invalid_argument("at least 2 points are needed to fit");
  if (o.restarts == 0 || o.steps == 0) throw std::invalid_argument("restarts and steps must be at least 1");
  if (!(o.lr > 0) || !std::isfinite(o.lr)) throw std::invalid_argument("the learning rate must be a finite number > 0");
  if (!(o.momentum >= 0 && o.momentum < 1)) throw std::invalid_argument("the momentum must be in [0, 1)");
}

RandomMlp random_mlp(const FitOptions& o, std::size_t index) {
  std::mt19937_64 rng = stream(o.seed, index, 0);
  RandomMlp m;
  const std::size_t layers = std::uniform_int_distribution<std::size_t>(o.min_layers, o.max_layers)(rng);
  for (std::size_t l = 0; l < layers; ++l) {
    m.widths.push_back(std::uniform_int_distribution<std::size_t>(o.min_width, o.max_width)(rng));
    m.activations.push_back(o.activations[std::uniform_int_distribution<std::size_t>(0, o.activations.size() - 1)(rng)]);
  }
  return m;
}

nn::Architecture fit_architecture(const RandomMlp& m) {
  nn::Architecture a;
  auto h = a.input(Shape{1});
  for (std::size_t l = 0; l < m.widths.size(); ++l) h = a.activation(a.dense(h, m.widths[l]), m.activations[l]);
  a.dense(h, 1);
  return a;
}

FitData fit_points(const FitOptions& o) {
  if (o.points > kMaxFitPoints)
    throw std::invalid_argument("fit_points: " + std::to_string(o.points) + " points cannot be drawn 1e-4 apart one by one "
                                "(at most " + std::to_string(kMaxFitPoints) + ")");
  std::mt19937_64 rng = stream(o.seed, kDataStream, 0);
  std::uniform_real_distribution<double> d(-1.0, 1.0);
  FitData data{Tensor<double>::from_shape({o.points, 1}), Tensor<double>::from_shape({o.points, 1})};
  std::set<double> drawn;  // the nearest earlier points of a draw are its neighbours here: O(log n) per check
  const auto apart = [&](double x) {
    const auto above = drawn.lower_bound(x);
    if (above != drawn.end() && std::abs(*above - x) <= 1e-4) return false;
    return above == drawn.begin() || std::abs(*std::prev(above) - x) > 1e-4;
  };
  for (std::size_t i = 0; i < o.points; ++i) {
    // Redraw until 1e-4 away from every earlier point, as in the paper. Below kMaxFitPoints (half
    // the 20,000 that fit at all) a draw is accepted with probability above ~1/4 (random sequential
    // adsorption jams near 14,950), so the bound on redraws is never met by chance.
    std::size_t redraws = 0;
    do {
      if (++redraws > 1000000) throw std::runtime_error("fit_points: no free place for point " + std::to_string(i));
      data.x(i, 0) = d(rng);
    } while (!apart(data.x(i, 0)));
    drawn.insert(data.x(i, 0));
    data.y(i, 0) = d(rng);
  }
  return data;
}

double best_training_error(const nn::Architecture& architecture, const FitData& data, const FitOptions& o,
                           std::size_t index, const std::function<bool()>& stop_requested) {
  double best = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < o.restarts; ++s) {
    std::mt19937_64 rng = stream(o.seed, index, s + 1);
    nn::Model<double> model(architecture, rng());
    Tensor<double> theta = model.parameters();
    nn::SGD<double> sgd(o.lr, o.momentum);
    Tape<double> tape;
    double loss = 0;
    for (std::size_t step = 0; step <= o.steps; ++step) {
      // Polled every 16 steps: a step of many points can take milliseconds, Ctrl-C must not wait minutes.
      if (stop_requested && step % 16 == 0 && stop_requested()) return std::numeric_limits<double>::quiet_NaN();
      tape.clear();
      const Var<double> t = tape.variable(theta);
      const Var<double> l = nn::mse_loss(model.forward(t, tape.constant(data.x)), data.y);
      loss = l.value()();
      if (!std::isfinite(loss) || step == o.steps) break;  // the last pass only measures
      sgd.step(theta, grad(l, t));
    }
    if (std::isfinite(loss)) best = std::min(best, loss);
  }
  return best;
}

FitResult run_fit_experiment(const FitOptions& o, std::size_t threads, const FitCallbacks& callbacks) {
  validate_fit_options(o);
  if (threads == 0) throw std::invalid_argument("the number of threads must be at least 1");
  validate_protocol(fit_architecture(random_mlp(o, 0)), o.protocol);
  const FitData data = fit_points(o);
  FitResult result;
  result.rows.resize(o.networks);
  std::vector<FitRow> computed(o.networks);
  EsdProtocol protocol = o.protocol;
  protocol.threads = 1;
  protocol.single_process = true;  // the experiment splits networks over ranks, not samples
  const BlasThreadsScope blas(1);
  // Under mpirun each rank takes the networks k with k % size == rank; rank 0 gathers them.
  const Ranks ranks = world();
  std::vector<std::size_t> mine;
  for (std::size_t k = 0; k < o.networks; ++k)
    if (ranks.owns(k)) mine.push_back(k);
  std::size_t done = 0;
  std::vector<char> complete(o.networks, 0);  // a task stopped half-way leaves no row
  EsdCallbacks stoppable;
  stoppable.stop_requested = callbacks.stop_requested;
  IndexLoop loop;
  loop.task = [&](std::size_t t) {
    const std::size_t k = mine[t];
    FitRow& row = computed[k];
    row.index = k;
    row.mlp = random_mlp(o, k);
    const nn::Architecture a = fit_architecture(row.mlp);
    row.parameters = a.parameter_count();
    const EsdResult esd = expected_spanning_dimension(a, protocol, stoppable);
    if (esd.interrupted) return;
    row.esd = esd.summary.mean;
    row.esd_stderr = esd.summary.stderr_of_mean;
    row.train_error = best_training_error(a, data, o, k, callbacks.stop_requested);
    complete[k] = !(callbacks.stop_requested && callbacks.stop_requested());
  };
  loop.finished = [&](std::size_t t) {
    if (!complete[mine[t]]) return true;
    result.rows[mine[t]] = computed[mine[t]];
    if (callbacks.row_done) callbacks.row_done(++done);
    return true;
  };
  loop.stop_requested = callbacks.stop_requested;
  result.interrupted = any_rank(for_each_index(mine.size(), threads, loop));
  if (ranks.size > 1) {
    std::vector<double> values(3 * o.networks, 0.0);
    std::vector<char> present(o.networks, 0);
    for (std::size_t k = 0; k < o.networks; ++k)
      if (result.rows[k]) {
        values[3 * k] = result.rows[k]->esd;
        values[3 * k + 1] = result.rows[k]->esd_stderr;
        values[3 * k + 2] = result.rows[k]->train_error;
        present[k] = 1;
      }
    gather_to_root(values, present);
    if (!ranks.root()) return result;
    for (std::size_t k = 0; k < o.networks; ++k)
      if (present[k] && !result.rows[k]) {
        FitRow row;
        row.index = k;
        row.mlp = random_mlp(o, k);
        row.parameters = fit_architecture(row.mlp).parameter_count();
        row.esd = values[3 * k];
        row.esd_stderr = values[3 * k + 1];
        row.train_error = values[3 * k + 2];
        result.rows[k] = row;
      }
  }

  std::vector<double> error, esd, parameters;
  for (const auto& r : result.rows)
    if (r && std::isfinite(r->train_error)) {
      error.push_back(r->train_error);
      esd.push_back(r->esd);
      parameters.push_back(static_cast<double>(r->parameters));
    }
  if (error.size() >= 3) {
    try {
      result.error_vs_esd = pearson(esd, error);
      result.error_vs_parameters = pearson(parameters, error);
    } catch (const std::invalid_argument&) {
      // a constant column (every error 0, say): no correlation to report
    }
  }
  return result;
}

}  // namespace netdim::analysis
