#include "netdim/analysis/spectral/esd.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <unordered_map>

#include "netdim/analysis/jacobian/batched_jacobian.hpp"
#include "netdim/analysis/jacobian/gram.hpp"
#include "netdim/analysis/jacobian/structured_gram.hpp"
#include "netdim/analysis/parallel/for_each_index.hpp"
#include "netdim/analysis/parallel/ranks.hpp"
#include "netdim/analysis/spectral/effective_rank.hpp"
#include "netdim/analysis/spectral/sample_memory.hpp"
#include "netdim/autodiff/blas_threads.hpp"
#include "netdim/nn/initializer.hpp"
#include "netdim/nn/model.hpp"

namespace netdim::analysis {
namespace {

// Sample k's own stream: seeded with all 128 bits of (seed, k).
std::mt19937_64 sample_stream(std::uint64_t seed, std::size_t k) {
  const auto index = static_cast<std::uint64_t>(k);
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
  return std::mt19937_64(seq);
}

std::size_t outputs_of(const nn::Architecture& a) { return shape_size(a.output_shape()); }

// The parameters of one sample: every block from its initialiser (or the protocol's,
// for dense and conv blocks), in canonical order.
template <class T>
Tensor<T> draw_parameters(const nn::Model<T>& model, const std::optional<nn::Initializer>& init,
                          std::mt19937_64& rng) {
  Tensor<T> theta = Tensor<T>::from_shape({model.parameter_count()});
  for (const nn::ParameterBlock& b : model.blocks()) {
    const bool batch_norm = model.architecture().layer(b.layer).kind == nn::LayerKind::BatchNorm;
    Tensor<T> values = Tensor<T>::from_shape(b.shape);
    nn::initialize(values, init && !batch_norm ? *init : b.init, b.fans, rng);
    std::copy(values.begin(), values.end(), theta.begin() + static_cast<std::ptrdiff_t>(b.offset));
  }
  return theta;
}

template <class T>
Tensor<T> draw_inputs(const nn::Architecture& a, const EsdProtocol& p, std::size_t n, std::mt19937_64& rng) {
  Shape shape{n};
  const Shape& in = a.input_shape();
  shape.insert(shape.end(), in.begin(), in.end());
  Tensor<T> x = Tensor<T>::from_shape(shape);
  switch (p.inputs) {
    case InputDistribution::Uniform: {
      std::uniform_real_distribution<double> d(-1.0, 1.0);
      for (T& v : x) v = static_cast<T>(d(rng));
      break;
    }
    case InputDistribution::Sign: {
      std::bernoulli_distribution d(0.5);
      for (T& v : x) v = d(rng) ? T(1) : T(-1);
      break;
    }
    case InputDistribution::Normal: {
      std::normal_distribution<double> d(0.0, 1.0);
      for (T& v : x) v = static_cast<T>(d(rng));
      break;
    }
    case InputDistribution::Data: {
      // n distinct rows: the first n of a partial Fisher-Yates shuffle of the row indices.
      const Tensor<double>& data = *p.data;
      const std::size_t rows = data.shape()[0], width = data.size() / rows;
      std::vector<std::size_t> order(rows);
      std::iota(order.begin(), order.end(), std::size_t{0});
      for (std::size_t i = 0; i < n; ++i) {
        std::uniform_int_distribution<std::size_t> pick(i, rows - 1);
        std::swap(order[i], order[pick(rng)]);
        const double* src = data.data() + order[i] * width;
        std::transform(src, src + width, x.data() + i * width, [](double v) { return static_cast<T>(v); });
      }
      break;
    }
  }
  return x;
}

template <class T>
Tensor<double> as_double(const Tensor<T>& t) {
  if constexpr (std::is_same_v<T, double>) {
    return t;
  } else {
    Tensor<double> d = Tensor<double>::from_shape(shape_of(t));
    std::transform(t.begin(), t.end(), d.begin(), [](T v) { return static_cast<double>(v); });
    return d;
  }
}

template <class T>
constexpr double kUnitRoundoff = std::numeric_limits<T>::epsilon();

// K of the m columns, chosen without replacement, in canonical order: a partial
// Fisher-Yates shuffle that stores only the entries it has swapped, so it costs O(K)
// memory however many parameters there are (143 million for vgg19).
std::vector<std::size_t> choose_columns(std::size_t m, std::size_t k, std::mt19937_64& rng) {
  std::unordered_map<std::size_t, std::size_t> swapped;
  const auto at = [&](std::size_t i) {
    const auto it = swapped.find(i);
    return it == swapped.end() ? i : it->second;
  };
  std::vector<std::size_t> chosen(k);
  for (std::size_t i = 0; i < k; ++i) {
    std::uniform_int_distribution<std::size_t> pick(i, m - 1);
    const std::size_t j = pick(rng);
    const std::size_t vi = at(i), vj = at(j);
    chosen[i] = vj;
    swapped[j] = vi;
  }
  std::sort(chosen.begin(), chosen.end());
  return chosen;
}

// The chosen columns of J, rows of `points_per_chunk` points at a time: only one
// chunk's J (chunk rows x m) lives at once, so the memory is bounded for any number
// of points. Rows of J depend only on their own point (batch norm is in inference
// form), so the chunks give the rows one batched sweep would.
template <class T>
Tensor<T> jacobian_columns(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& x,
                           OutputReduction reduce, const std::vector<std::size_t>& columns) {
  const std::size_t points = x.shape()[0], m = model.parameter_count();
  const std::size_t per_point = reduce.rows_per_example(outputs_of(model.architecture()));
  const std::size_t chunk = std::clamp<std::size_t>(kJacobianChunkBytes / (per_point * m * sizeof(T)), 1, points);
  const std::size_t point_size = x.size() / points;
  Tensor<T> sub = Tensor<T>::from_shape({points * per_point, columns.size()});
  for (std::size_t begin = 0; begin < points; begin += chunk) {
    const std::size_t count = std::min(chunk, points - begin);
    Shape shape = x.shape();
    shape[0] = count;
    Tensor<T> xs = Tensor<T>::from_shape(shape);
    std::copy_n(x.data() + begin * point_size, count * point_size, xs.data());
    const Tensor<T> j = batched_jacobian(model, theta, xs, reduce);
    for (std::size_t r = 0; r < count * per_point; ++r) {
      T* out = sub.data() + (begin * per_point + r) * columns.size();
      const T* row = j.data() + r * m;
      for (std::size_t c = 0; c < columns.size(); ++c) out[c] = row[columns[c]];
    }
  }
  return sub;
}

// The singular values of one Jacobian by the cheapest route (see esd.hpp).
template <class T>
SpanningSample one_jacobian(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& x,
                            OutputReduction reduce, std::size_t columns, std::mt19937_64& rng) {
  SpanningSample s;
  const std::size_t m = model.parameter_count();
  const std::size_t rows = x.shape()[0] * reduce.rows_per_example(outputs_of(model.architecture()));
  if (columns > 0) {
    const Tensor<T> sub = jacobian_columns(model, theta, x, reduce, choose_columns(m, columns, rng));
    s.singular_values = rows <= columns ? gram_singular_values(as_double(gram(sub)), kUnitRoundoff<T>)
                                        : singular_values(as_double(sub));
    s.columns = columns;
  } else if (rows <= m) {
    s.singular_values = gram_singular_values(as_double(structured_gram(model, theta, x, reduce)), kUnitRoundoff<T>);
    s.columns = m;
  } else {
    s.singular_values = singular_values(as_double(batched_jacobian(model, theta, x, reduce)));
    s.columns = m;
  }
  s.rows = rows;
  s.sd = effective_rank(s.singular_values);
  return s;
}

// A sample's draws, in this order: parameters, inputs (then, for `columns`, the columns).
template <class T>
struct Draw {
  Tensor<T> theta, x;
};
template <class T>
Draw<T> draw_point(const nn::Model<T>& model, const EsdProtocol& p, std::mt19937_64& rng) {
  Draw<T> d;
  d.theta = p.parameters ? Tensor<T>(xt::cast<T>(*p.parameters)) : draw_parameters(model, p.init, rng);
  d.x = draw_inputs<T>(model.architecture(), p, points_for(p, model.parameter_count()), rng);
  return d;
}

template <class T>
SpanningSample sample_in(const nn::Architecture& a, const EsdProtocol& p, std::size_t index) {
  std::mt19937_64 rng = sample_stream(p.seed, index);
  const nn::Model<T> model(a);
  const auto [theta, x] = draw_point(model, p, rng);
  if (!p.reduce.mean_over_outputs) return one_jacobian(model, theta, x, p.reduce.single, p.columns, rng);
  const std::size_t k = outputs_of(a);
  SpanningSample first;
  double total = 0;
  for (std::size_t c = 0; c < k; ++c) {
    SpanningSample s = one_jacobian(model, theta, x, OutputReduction::per_output(c), p.columns, rng);
    total += s.sd;
    if (c == 0) first = std::move(s);
  }
  first.sd = total / static_cast<double>(k);
  return first;
}

SpanningSample sample_unchecked(const nn::Architecture& a, const EsdProtocol& p, std::size_t index) {
  return p.precision == Precision::Float32 ? sample_in<float>(a, p, index) : sample_in<double>(a, p, index);
}

}  // namespace

std::string input_distribution_name(InputDistribution d) {
  switch (d) {
    case InputDistribution::Uniform: return "uniform";
    case InputDistribution::Sign: return "sign";
    case InputDistribution::Normal: return "normal";
    case InputDistribution::Data: return "data";
  }
  return "?";
}

std::string SpanningReduction::name() const {
  if (mean_over_outputs) return "mean";
  if (single.kind == OutputReduction::Kind::PerOutput) return "output:" + std::to_string(single.output);
  return single.name();
}

std::size_t points_for(const EsdProtocol& protocol, std::size_t parameters) {
  return protocol.points != 0 ? protocol.points : std::min(parameters, kDefaultPointCap);
}

void validate_protocol(const nn::Architecture& a, const EsdProtocol& p) {
  if (p.parameters) {
    if (p.init) throw std::invalid_argument("the parameters are given: an initialiser (--init) has nothing to draw");
    if (p.parameters->dimension() != 1 || p.parameters->size() != a.parameter_count())
      throw std::invalid_argument("the given parameters have shape " + shape_string(shape_of(*p.parameters)) +
                                  "; the network has " + std::to_string(a.parameter_count()));
  }
  const std::size_t m = a.parameter_count();
  if (m == 0) throw std::invalid_argument("the network has no parameters: its spanning dimension is 0");
  if (p.samples == 0) throw std::invalid_argument("the number of samples must be at least 1");
  if (p.threads == 0) throw std::invalid_argument("the number of threads must be at least 1");
  const std::size_t n = points_for(p, m);
  if (n == 0) throw std::invalid_argument("the number of points must be at least 1");
  if (p.columns > m)
    throw std::invalid_argument("--columns " + std::to_string(p.columns) + " is more than the network's " +
                                std::to_string(m) + " parameters");
  const std::size_t k = outputs_of(a);
  if (p.reduce.single.kind == OutputReduction::Kind::PerOutput && p.reduce.single.output >= k)
    throw std::invalid_argument("output " + std::to_string(p.reduce.single.output) + " is past the network's " +
                                std::to_string(k) + " outputs (0-based)");
  if (!(p.until_stderr >= 0) || !std::isfinite(p.until_stderr))
    throw std::invalid_argument("the standard error to reach must be a finite number >= 0");
  if (p.inputs == InputDistribution::Data) {
    if (!p.data) throw std::invalid_argument("input data were asked for but none were given");
    const Tensor<double>& d = *p.data;
    Shape want{d.dimension() == 0 ? 0 : d.shape()[0]};
    want.insert(want.end(), a.input_shape().begin(), a.input_shape().end());
    if (shape_of(d) != want)
      throw ShapeError("the input data have shape " + shape_string(shape_of(d)) + ", expected [N, " +
                       shape_string(a.input_shape()).substr(1) + " for this network");
    if (d.shape()[0] < n)
      throw std::invalid_argument("the input data have " + std::to_string(d.shape()[0]) + " rows, fewer than the " +
                                  std::to_string(n) + " points a sample draws (set --points)");
  }
}

SamplePoint sample_point(const nn::Architecture& architecture, const EsdProtocol& protocol, std::size_t index) {
  validate_protocol(architecture, protocol);
  std::mt19937_64 rng = sample_stream(protocol.seed, index);
  Draw<double> d = draw_point(nn::Model<double>(architecture), protocol, rng);
  return {std::move(d.theta), std::move(d.x)};
}

SpanningSample spanning_sample(const nn::Architecture& architecture, const EsdProtocol& protocol, std::size_t index) {
  validate_protocol(architecture, protocol);
  EsdProtocol one = protocol;
  one.threads = 1;  // one sample at a time, whatever threads BLAS gets
  check_sample_memory(architecture, one);
  const BlasThreadsScope blas(static_cast<int>(protocol.threads));
  return sample_unchecked(architecture, protocol, index);
}

namespace {

// The samples kept: 0..length-1. It grows one index at a time, so the stopping rule
// sees every prefix length in turn, as one thread taking the samples in order would.
struct SamplePrefix {
  std::vector<double> values;
  std::vector<char> done;
  std::size_t length = 0;
  bool reached_stderr = false;

  explicit SamplePrefix(std::size_t samples) : values(samples, 0.0), done(samples, 0) {}

  // After marking samples done: extends the prefix, applies --until-stderr and reports
  // progress. Returns whether to go on.
  bool grow(const EsdProtocol& p, const EsdCallbacks& callbacks) {
    const std::size_t before = length;
    while (!reached_stderr && length < values.size() && done[length]) {
      ++length;
      if (p.until_stderr > 0 && length >= kMinSamplesForStderr &&
          standard_error(std::span<const double>(values.data(), length)) <= p.until_stderr)
        reached_stderr = true;
    }
    if (length > before && callbacks.progress) callbacks.progress(kept());
    return !reached_stderr;
  }

  std::vector<double> kept() const {
    return std::vector<double>(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(length));
  }
};

// Under mpirun: samples in rounds, each round's indices split over the ranks
// (k % size == rank) and gathered on rank 0, which grows the prefix as one process
// would and tells every rank whether to go on. Returns whether a stop was requested.
bool run_distributed(const nn::Architecture& a, const EsdProtocol& p, const EsdCallbacks& callbacks,
                     const Ranks& ranks, std::size_t workers, SamplePrefix& prefix) {
  const std::size_t round = std::max<std::size_t>(static_cast<std::size_t>(ranks.size) * workers * 4, kMinSamplesForStderr);
  for (std::size_t start = 0; start < p.samples; start += round) {
    const std::size_t end = std::min(p.samples, start + round);
    std::vector<std::size_t> mine;
    for (std::size_t k = start; k < end; ++k)
      if (ranks.owns(k)) mine.push_back(k);
    std::vector<double> block(end - start, 0.0);
    std::vector<char> present(end - start, 0);
    IndexLoop loop;
    loop.task = [&](std::size_t t) { block[mine[t] - start] = sample_unchecked(a, p, mine[t]).sd; };
    loop.finished = [&](std::size_t t) {
      present[mine[t] - start] = 1;
      return true;
    };
    loop.stop_requested = callbacks.stop_requested;
    const bool interrupted = any_rank(for_each_index(mine.size(), workers, loop));
    gather_to_root(block, present);
    bool go_on = true;
    if (ranks.root()) {
      for (std::size_t k = start; k < end; ++k)
        if (present[k - start]) prefix.values[k] = block[k - start], prefix.done[k] = 1;
      go_on = prefix.grow(p, callbacks);
    }
    if (interrupted) return true;
    if (any_rank(!go_on)) return false;
  }
  return false;
}

}  // namespace

EsdResult expected_spanning_dimension(const nn::Architecture& a, const EsdProtocol& p, const EsdCallbacks& callbacks) {
  validate_protocol(a, p);
  check_sample_memory(a, p);
  // Samples side by side, each with one BLAS thread; a single one gets them all.
  const std::size_t workers = std::min(p.threads, p.samples);
  const BlasThreadsScope blas(workers > 1 ? 1 : static_cast<int>(p.threads));
  SamplePrefix prefix(p.samples);
  EsdResult result;
  const Ranks ranks = world();
  if (ranks.size > 1 && !p.single_process) {
    result.interrupted = run_distributed(a, p, callbacks, ranks, workers, prefix);
  } else {
    IndexLoop loop;
    loop.task = [&](std::size_t k) { prefix.values[k] = sample_unchecked(a, p, k).sd; };
    loop.finished = [&](std::size_t k) {
      prefix.done[k] = 1;
      return prefix.grow(p, callbacks);
    };
    loop.stop_requested = callbacks.stop_requested;
    result.interrupted = for_each_index(p.samples, workers, loop);
  }
  result.parameters = a.parameter_count();
  result.points = points_for(p, result.parameters);
  result.reached_stderr = prefix.reached_stderr;
  result.sd = prefix.kept();  // empty on ranks other than 0
  if (!result.sd.empty()) result.summary = summarize_samples(result.sd, p.seed);
  return result;
}

}  // namespace netdim::analysis
