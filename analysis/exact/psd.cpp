#include "netdim/analysis/exact/psd.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>

#include "netdim/analysis/exact/exact_rank.hpp"
#include "netdim/analysis/jacobian/batched_jacobian.hpp"

namespace netdim::analysis {
namespace {

// Uniform on [-b, b] \ {0}: the set S of the Schwartz-Zippel bound.
std::int64_t nonzero_in(std::int64_t b, std::mt19937_64& rng) {
  std::uniform_int_distribution<std::int64_t> d(1, 2 * b);
  const std::int64_t v = d(rng);
  return v <= b ? v - b - 1 : v - b;
}

// n distinct integer inputs of shape [n, input...], entries in [-b, b] \ {0} with b
// raised until there are at least 2n candidates (so rejection stays cheap).
Tensor<Rational> distinct_inputs(const Shape& input_shape, std::size_t n, std::int64_t b, std::mt19937_64& rng) {
  const std::size_t s = shape_size(input_shape);
  auto candidates = [&](std::int64_t bound) {
    double c = 1;
    for (std::size_t k = 0; k < s && c < 4.0 * static_cast<double>(n); ++k) c *= 2.0 * static_cast<double>(bound);
    return c;
  };
  while (candidates(b) < 2.0 * static_cast<double>(n)) b *= 2;
  Shape shape{n};
  shape.insert(shape.end(), input_shape.begin(), input_shape.end());
  Tensor<Rational> x = Tensor<Rational>::from_shape(shape);
  std::set<std::vector<std::int64_t>> seen;
  std::vector<std::int64_t> row(s);
  for (std::size_t i = 0; i < n; ++i) {
    do {
      for (auto& v : row) v = nonzero_in(b, rng);
    } while (!seen.insert(row).second);
    for (std::size_t k = 0; k < s; ++k) x.data()[i * s + k] = Rational(static_cast<long>(row[k]));
  }
  return x;
}

void require_distinct(const Tensor<Rational>& x) {
  const std::size_t n = x.shape()[0], s = n == 0 ? 0 : x.size() / n;
  std::set<std::vector<std::string>> seen;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<std::string> row(s);
    for (std::size_t k = 0; k < s; ++k) row[k] = x.data()[i * s + k].str();
    if (!seen.insert(row).second)
      throw std::invalid_argument("psd: input " + std::to_string(i) + " repeats an earlier input; the inputs must be distinct");
  }
}

// Every entry reduced mod p (the integers drawn here, or a given point's rationals).
Tensor<Modular> mod_p(const Tensor<Rational>& t) {
  Tensor<Modular> r = Tensor<Modular>::from_shape(t.shape());
  for (std::size_t i = 0; i < t.size(); ++i) r.data()[i] = Modular(t.data()[i]);
  return r;
}

// Examples per piece of Jn: the stop flag is polled between pieces, so that Ctrl-C (or SIGTERM)
// during the first draw of a large network (minutes over Q) ends it within a piece, not at its end.
constexpr std::size_t kExamplesPerPiece = 32;

// Jn for `inputs` [n, input...], piece by piece; nullopt when `stop` asked to end.
template <Scalar T>
std::optional<Tensor<T>> jacobian_in_pieces(const nn::Model<T>& model, const Tensor<T>& theta, const Tensor<T>& inputs,
                                            OutputReduction reduce, const std::function<bool()>& stop) {
  const std::size_t n = inputs.shape()[0];
  if (n <= kExamplesPerPiece || !stop) return batched_jacobian(model, theta, inputs, reduce);
  const std::size_t m = model.parameter_count();
  const std::size_t width = inputs.size() / n;
  const std::size_t rows_per_example = reduce.rows_per_example(shape_size(model.architecture().output_shape()));
  Tensor<T> j = zeros_of<T>({n * rows_per_example, m});
  for (std::size_t begin = 0; begin < n; begin += kExamplesPerPiece) {
    if (stop()) return std::nullopt;
    const std::size_t count = std::min(kExamplesPerPiece, n - begin);
    Shape piece_shape = shape_of(inputs);
    piece_shape[0] = count;
    Tensor<T> piece = Tensor<T>::from_shape(piece_shape);
    std::copy_n(inputs.data() + begin * width, count * width, piece.data());
    const Tensor<T> rows = batched_jacobian(model, theta, piece, reduce);
    std::copy_n(rows.data(), rows.size(), j.data() + begin * rows_per_example * m);
  }
  return j;
}

}  // namespace

Tensor<Rational> random_integer_point(std::size_t m, std::int64_t bound, std::uint64_t seed) {
  if (bound < 1) throw std::invalid_argument("random_integer_point: the bound must be at least 1");
  std::mt19937_64 rng(seed);
  Tensor<Rational> theta = Tensor<Rational>::from_shape({m});
  for (auto& v : theta) v = Rational(static_cast<long>(nonzero_in(bound, rng)));
  return theta;
}

double schwartz_zippel_bound(std::size_t rank, std::size_t rows, std::size_t parameters,
                             std::size_t minor_degree_per_row, std::size_t set_size, std::size_t draws) {
  if (rank >= std::min(rows, parameters) || minor_degree_per_row == 0) return 0.0;  // cannot be higher
  const double one = static_cast<double>(rank + 1) * static_cast<double>(minor_degree_per_row) /
                     static_cast<double>(set_size);
  if (one >= 1.0) return 1.0;
  return std::pow(one, static_cast<double>(draws));
}

PsdResult psd(const nn::Architecture& architecture, const PsdOptions& options) {
  PsdResult r;
  r.degree = network_degree(architecture);
  if (r.degree.exactness == Exactness::NotExact) throw std::invalid_argument(not_exact_message("psd", r.degree));
  const std::size_t m = architecture.parameter_count();
  if (m == 0) throw std::invalid_argument("psd: the network has no parameters");
  const std::size_t limit = options.modular ? kMaxModularParameters : kMaxExactParameters;
  if (m > limit)
    throw std::invalid_argument("psd: the network has " + std::to_string(m) + " parameters, above the limit of " +
                                std::to_string(limit) + (options.modular ? " for --modular" : " for exact rank over Q") +
                                (options.modular ? " (an n x m Jacobian and its elimination mod p per draw: minutes at the limit)"
                                                 : " (fraction-free elimination grows its integers with m; use --modular up to " +
                                                       std::to_string(kMaxModularParameters) + ")"));
  if (options.draws == 0) throw std::invalid_argument("psd: the number of draws must be at least 1");
  if (options.parameter_bound < 1 || options.parameter_bound > (std::int64_t{1} << 40))
    throw std::invalid_argument("psd: the parameter bound must be in [1, 2^40]");
  if (options.input_bound < 1 || options.input_bound > (std::int64_t{1} << 40))
    throw std::invalid_argument("psd: the input bound must be in [1, 2^40]");

  std::mt19937_64 rng(options.seed);
  Tensor<Rational> x;
  if (options.inputs) {
    x = *options.inputs;
    Shape want{x.dimension() == 0 ? 0 : x.shape()[0]};
    const Shape& in = architecture.input_shape();
    want.insert(want.end(), in.begin(), in.end());
    if (shape_of(x) != want)
      throw ShapeError("psd: inputs have shape " + shape_string(shape_of(x)) + ", expected [n, " +
                       shape_string(in).substr(1));
    require_distinct(x);
  } else {
    const std::size_t n = options.points == 0 ? m : options.points;
    x = distinct_inputs(architecture.input_shape(), n, options.input_bound, rng);
  }
  r.parameters = m;
  r.points = x.shape()[0];
  if (r.points < m)
    throw std::invalid_argument("psd: " + std::to_string(r.points) + " points for " + std::to_string(m) +
                                " parameters; the spanning dimension needs n >= m distinct inputs");
  r.modular = options.modular;
  r.prime = options.modular ? options.prime : 0;
  // Z/p has no order, so only a polynomial network can be evaluated mod p; Modular is mod kPsdPrime.
  r.jacobian_mod_p =
      options.modular && r.degree.exactness == Exactness::Polynomial && options.prime == Modular::kPrime;
  // Each model exists only for the arithmetic in use (a Model initialises its parameters).
  std::optional<nn::Model<Rational>> model;
  std::optional<nn::Model<Modular>> model_p;
  Tensor<Modular> x_p;
  if (r.jacobian_mod_p) {
    model_p.emplace(architecture);
    x_p = mod_p(x);
  } else {
    model.emplace(architecture);
  }
  r.set_size = static_cast<std::size_t>(2 * options.parameter_bound);
  r.fixed_parameters = options.parameters.has_value();
  r.fixed_inputs = options.inputs.has_value();

  const std::size_t draws = options.parameters ? 1 : options.draws;
  for (std::size_t k = 0; k < draws; ++k) {
    if (options.stop_requested && options.stop_requested()) {
      r.interrupted = true;
      break;
    }
    Tensor<Rational> theta;
    if (options.parameters) {
      theta = *options.parameters;
      if (theta.dimension() != 1 || theta.size() != m)
        throw ShapeError("psd: parameter vector has shape " + shape_string(shape_of(theta)) + ", expected [" +
                         std::to_string(m) + "]");
    } else {
      theta = Tensor<Rational>::from_shape({m});
      for (auto& v : theta) v = Rational(static_cast<long>(nonzero_in(options.parameter_bound, rng)));
    }
    if (r.jacobian_mod_p) {
      const auto j = jacobian_in_pieces(*model_p, mod_p(theta), x_p, options.reduce, options.stop_requested);
      if (!j) {
        r.interrupted = true;
        break;
      }
      r.rows = j->shape()[0];
      r.ranks.push_back(modular_rank(*j));
    } else {
      const auto j = jacobian_in_pieces(*model, theta, x, options.reduce, options.stop_requested);
      if (!j) {
        r.interrupted = true;
        break;
      }
      r.rows = j->shape()[0];
      r.ranks.push_back(options.modular ? modular_rank(*j, options.prime) : exact_rank(*j));
    }
  }
  if (r.ranks.empty()) return r;  // stopped before the first draw finished: no rank, psd 0
  r.psd = *std::max_element(r.ranks.begin(), r.ranks.end());
  for (std::size_t k = 0; k < r.ranks.size(); ++k)
    if (r.ranks[k] == r.psd) r.reached.push_back(k);

  if (r.degree.exactness == Exactness::Polynomial && !options.parameters) {
    std::size_t d = r.degree.theta;
    if (options.reduce.kind == OutputReduction::Kind::SumSquares) d = std::min(2 * d, kDegreeCap);
    r.minor_degree_per_row = d - 1;
    r.probability_bound =
        r.degree.saturated ? 1.0 : schwartz_zippel_bound(r.psd, r.rows, m, r.minor_degree_per_row, r.set_size,
                                                                      r.ranks.size());
  }
  return r;
}

}  // namespace netdim::analysis
