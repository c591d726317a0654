#include "autodiff/check_op.hpp"

#include <xtensor/xrandom.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "autodiff/reverse.hpp"

namespace netdim {
namespace {

double rel_error(double a, double b) { return std::abs(a - b) / std::max({1.0, std::abs(a), std::abs(b)}); }

template <class T>
double dot(const Tensor<T>& a, const Tensor<T>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a.flat(i)) * static_cast<double>(b.flat(i));
  return s;
}

template <class T>
double max_rel_error(const Tensor<T>& a, const Tensor<T>& b) {
  double scale = 1, worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) scale = std::max({scale, std::abs(double(a.flat(i))), std::abs(double(b.flat(i)))});
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(double(a.flat(i)) - double(b.flat(i))));
  return worst / scale;
}

template <class T>
Tensor<T> random_like(const Tensor<T>& like, std::mt19937_64& rng) {
  std::normal_distribution<double> n(0.0, 1.0);
  Tensor<T> r = Tensor<T>::from_shape(like.shape());
  for (auto& v : r) v = static_cast<T>(n(rng));
  return r;
}

template <class T>
Tensor<T> evaluate(const MultiFunction<T>& f, const std::vector<Tensor<T>>& at) {
  Tape<T> tape;
  std::vector<Var<T>> xs;
  for (const auto& a : at) xs.push_back(tape.variable(a));
  return f(xs).value();
}

}  // namespace

double CheckReport::worst() const {
  return std::max({forward_vs_differences, reverse_vs_differences, adjoint, recorded_vs_tensor});
}

std::string CheckReport::summary() const {
  std::ostringstream os;
  os << name << (ok ? ": ok" : ": FAILED") << " (forward vs differences " << forward_vs_differences
     << ", reverse vs differences " << reverse_vs_differences << ", adjoint " << adjoint << ", recorded vs tensor "
     << recorded_vs_tensor << ")";
  return os.str();
}

template <FloatingScalar T>
CheckReport check_op(const std::string& name, const MultiFunction<T>& f, const std::vector<Tensor<T>>& at,
                     const CheckOptions& options) {
  CheckReport report;
  report.name = name;
  std::mt19937_64 rng(options.seed);
  for (int trial = 0; trial < options.trials; ++trial) {
    std::vector<Tensor<T>> v;
    for (const auto& a : at) v.push_back(random_like(a, rng));

    // Forward mode: all inputs carry tangents at once.
    Tape<T> tape;
    std::vector<Var<T>> xs;
    for (std::size_t i = 0; i < at.size(); ++i) {
      xs.push_back(tape.variable(at[i]));
      tape.set_tangent(xs.back(), v[i]);
    }
    const Var<T> y = f(xs);
    const Tensor<T> jv = tape.tangent(y);
    const Tensor<T> u = random_like(y.value(), rng);

    // Central differences along v.
    std::vector<Tensor<T>> plus = at, minus = at;
    const T h = static_cast<T>(options.step);
    for (std::size_t i = 0; i < at.size(); ++i) {
      plus[i] = at[i] + h * v[i];
      minus[i] = at[i] - h * v[i];
    }
    const Tensor<T> fd = (evaluate(f, plus) - evaluate(f, minus)) / (T(2) * h);

    // Reverse mode, as numbers and as a recorded sweep.
    const std::vector<Tensor<T>> vjp = backward(y, u, std::span<const Var<T>>(xs));
    const std::vector<Var<T>> recorded = backward_recorded(y, tape.constant(u), std::span<const Var<T>>(xs));
    double vjp_v = 0;
    for (std::size_t i = 0; i < at.size(); ++i) {
      vjp_v += dot(vjp[i], v[i]);
      report.recorded_vs_tensor = std::max(report.recorded_vs_tensor, max_rel_error(vjp[i], recorded[i].value()));
    }
    report.forward_vs_differences = std::max(report.forward_vs_differences, max_rel_error(jv, fd));
    report.reverse_vs_differences = std::max(report.reverse_vs_differences, rel_error(vjp_v, dot(u, fd)));
    report.adjoint = std::max(report.adjoint, rel_error(vjp_v, dot(u, jv)));
  }
  report.ok = report.worst() <= options.tolerance;
  return report;
}

template CheckReport check_op(const std::string&, const MultiFunction<float>&, const std::vector<Tensor<float>>&,
                              const CheckOptions&);
template CheckReport check_op(const std::string&, const MultiFunction<double>&, const std::vector<Tensor<double>>&,
                              const CheckOptions&);

}  // namespace netdim
