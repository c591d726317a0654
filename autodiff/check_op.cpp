#include "netdim/autodiff/check_op.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "netdim/autodiff/forward.hpp"
#include "netdim/autodiff/reverse.hpp"

namespace netdim {
namespace {

double rel_error(double a, double b) { return std::abs(a - b) / std::max({1.0, std::abs(a), std::abs(b)}); }

template <class T>
double dot(const Tensor<T>& a, const Tensor<T>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += static_cast<double>(a.flat(i)) * static_cast<double>(b.flat(i));
  return s;
}

// Worst entry difference relative to the largest entry (at least 1); a shape
// difference is total disagreement.
template <class T>
double max_rel_error(const Tensor<T>& a, const Tensor<T>& b) {
  if (shape_of(a) != shape_of(b)) return INFINITY;
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
std::vector<Var<T>> variables(Tape<T>& tape, const std::vector<Tensor<T>>& at) {
  std::vector<Var<T>> xs;
  for (const auto& a : at) xs.push_back(tape.variable(a));
  return xs;
}

template <class T>
Tensor<T> evaluate(const MultiFunction<T>& f, const std::vector<Tensor<T>>& at) {
  Tape<T> tape;
  return f(variables(tape, at)).value();
}

// at + s * v, input by input (inputs outside `only` stay put when it is set).
template <class T>
std::vector<Tensor<T>> moved(const std::vector<Tensor<T>>& at, const std::vector<Tensor<T>>& v, T s,
                             std::optional<std::size_t> only = std::nullopt) {
  std::vector<Tensor<T>> r = at;
  for (std::size_t i = 0; i < at.size(); ++i)
    if (!only || *only == i) r[i] = at[i] + s * v[i];
  return r;
}

// Central differences of f along v (of input `only` alone when set).
template <class T>
Tensor<T> differences(const MultiFunction<T>& f, const std::vector<Tensor<T>>& at, const std::vector<Tensor<T>>& v,
                      T h, std::optional<std::size_t> only = std::nullopt) {
  return (evaluate(f, moved(at, v, h, only)) - evaluate(f, moved(at, v, T(-h), only))) / (T(2) * h);
}

// u^T J at `at`, for every input.
template <class T>
std::vector<Tensor<T>> vjp_at(const MultiFunction<T>& f, const std::vector<Tensor<T>>& at, const Tensor<T>& u) {
  Tape<T> tape;
  const std::vector<Var<T>> xs = variables(tape, at);
  return backward(f(xs), u, std::span<const Var<T>>(xs));
}

// J v by plain forward mode, with tangents on the inputs in `with` only.
template <class T>
Tensor<T> jvp_at(const MultiFunction<T>& f, const std::vector<Tensor<T>>& at, const std::vector<Tensor<T>>& v,
                 std::optional<std::size_t> only = std::nullopt) {
  Tape<T> tape;
  const std::vector<Var<T>> xs = variables(tape, at);
  for (std::size_t i = 0; i < at.size(); ++i)
    if (!only || *only == i) tape.set_tangent(xs[i], v[i]);
  return tape.tangent(f(xs));
}

template <class T>
double worst_of(const std::vector<Tensor<T>>& a, const std::vector<Tensor<T>>& b) {
  double w = 0;
  for (std::size_t i = 0; i < a.size(); ++i) w = std::max(w, max_rel_error(a[i], b[i]));
  return w;
}

class Failures {
 public:
  explicit Failures(std::vector<std::string>& lines) : lines_(lines) {}
  // Runs one stage; an exception becomes a failure line instead of ending the check.
  template <class Body>
  bool guard(const std::string& stage, Body&& body) {
    try {
      body();
      return true;
    } catch (const std::exception& e) {
      add(stage + ": " + e.what());
      return false;
    }
  }
  void add(const std::string& line) {
    if (std::find(lines_.begin(), lines_.end(), line) == lines_.end()) lines_.push_back(line);
  }

 private:
  std::vector<std::string>& lines_;
};

std::string input_label(std::size_t i) { return "input " + std::to_string(i); }

}  // namespace

double CheckReport::worst() const {
  return std::max({forward_vs_differences, reverse_vs_differences, adjoint, subsets, recorded_vs_tensor, second_order});
}

std::string CheckReport::summary() const {
  std::ostringstream os;
  os << name << (ok ? ": ok" : ": FAILED") << " (forward vs differences " << forward_vs_differences
     << ", reverse vs differences " << reverse_vs_differences << ", adjoint " << adjoint << ", subsets " << subsets
     << ", recorded vs tensor " << recorded_vs_tensor << ", second order " << second_order << ")";
  for (const std::string& f : failures) os << "\n  " << name << ": " << f;
  return os.str();
}

template <FloatingScalar T>
CheckReport check_op(const std::string& name, const MultiFunction<T>& f, const std::vector<Tensor<T>>& at,
                     const CheckOptions& options) {
  CheckReport report;
  report.name = name;
  Failures failures(report.failures);
  std::mt19937_64 rng(options.seed);
  const T h = static_cast<T>(options.step);
  const std::size_t n = at.size();
  auto measure = [&](double& into, double error, const std::string& what) {
    into = std::max(into, error);
    if (!(error <= options.tolerance)) {
      std::ostringstream os;
      os << what << ": relative error " << error << " exceeds " << options.tolerance;
      failures.add(os.str());
    }
  };

  for (int trial = 0; trial < options.trials; ++trial) {
    std::vector<Tensor<T>> v;
    for (const auto& a : at) v.push_back(random_like(a, rng));

    // Forward mode with every input carrying a tangent, then reverse mode on the same tape.
    Tape<T> tape;
    std::vector<Var<T>> xs = variables(tape, at);
    Tensor<T> jv, u, fd;
    std::vector<Tensor<T>> vjp;
    std::vector<Var<T>> recorded;
    bool ran = failures.guard("forward mode", [&] {
      for (std::size_t i = 0; i < n; ++i) tape.set_tangent(xs[i], v[i]);
      const Var<T> y = f(xs);
      if (options.output_shape && y.shape() != *options.output_shape)
        throw ShapeError("value has shape " + shape_string(y.shape()) + ", declared " +
                         shape_string(*options.output_shape));
      jv = tape.tangent(y);
      u = random_like(y.value(), rng);
      fd = differences(f, at, v, h);
      measure(report.forward_vs_differences, max_rel_error(jv, fd), "forward mode vs central differences");
    });
    if (!ran) break;  // nothing below can be measured without a value

    failures.guard("reverse mode", [&] {
      const Var<T> y = tape.var_at(tape.size() - 1);
      vjp = backward(y, u, std::span<const Var<T>>(xs));
      double vjp_v = 0;
      for (std::size_t i = 0; i < n; ++i) vjp_v += dot(vjp[i], v[i]);
      measure(report.reverse_vs_differences, rel_error(vjp_v, dot(u, fd)), "reverse mode vs central differences");
      measure(report.adjoint, rel_error(vjp_v, dot(u, jv)), "adjoint identity <vjp(u), v> = <u, jvp(v)>");
      // Reverse over reverse: the sweep recorded with X = Var. The tape's tangents ride along,
      // so each recorded cotangent's tangent is H v (forward over reverse).
      recorded = backward_recorded(y, tape.constant(u), std::span<const Var<T>>(xs));
      for (std::size_t i = 0; i < n; ++i)
        measure(report.recorded_vs_tensor, max_rel_error(vjp[i], recorded[i].value()),
                "recorded vjp vs tensor vjp, " + input_label(i));
    });

    // Subsets: each input's tangent alone, and each input's cotangent asked for alone.
    if (n > 1) {
      for (std::size_t i = 0; i < n; ++i) {
        failures.guard("forward mode with a tangent on " + input_label(i) + " only", [&] {
          const Tensor<T> jv_i = jvp_at(f, at, v, i);
          measure(report.forward_vs_differences, max_rel_error(jv_i, differences(f, at, v, h, i)),
                  "forward mode with a tangent on " + input_label(i) + " only vs central differences");
        });
        failures.guard("reverse mode for " + input_label(i) + " alone", [&] {
          Tape<T> t;
          const std::vector<Var<T>> ys = variables(t, at);
          const std::array<Var<T>, 1> wrt{ys[i]};
          const Tensor<T> alone = backward(f(ys), u, std::span<const Var<T>>(wrt))[0];
          if (!vjp.empty())
            measure(report.subsets, max_rel_error(alone, vjp[i]), "cotangent of " + input_label(i) + " alone vs in the full sweep");
        });
        failures.guard("recorded jvp with a tangent on " + input_label(i) + " only", [&] {
          Tape<T> t;
          const std::vector<Var<T>> ys = variables(t, at);
          const std::array<Var<T>, 1> wrt{ys[i]}, dir{t.constant(v[i])};
          const Var<T> y = f(ys);
          const Var<T> tv = forward_recorded(y, std::span<const Var<T>>(wrt), std::span<const Var<T>>(dir));
          measure(report.subsets, max_rel_error(tv.value(), jvp_at(f, at, v, i)),
                  "recorded jvp with a tangent on " + input_label(i) + " only vs the tensor jvp");
        });
      }
    }

    // Reverse over forward: J v recorded with X = Var, then differentiated with seed u: H v.
    std::vector<Tensor<T>> hv_reverse_over_forward;
    failures.guard("recorded jvp", [&] {
      Tape<T> t;
      const std::vector<Var<T>> ys = variables(t, at);
      std::vector<Var<T>> dirs;
      for (std::size_t i = 0; i < n; ++i) dirs.push_back(t.constant(v[i]));
      const Var<T> y = f(ys);
      const Var<T> tv = forward_recorded(y, std::span<const Var<T>>(ys), std::span<const Var<T>>(dirs));
      measure(report.recorded_vs_tensor, max_rel_error(tv.value(), jv), "recorded jvp vs tensor jvp");
      if (options.second_order) hv_reverse_over_forward = backward(tv, u, std::span<const Var<T>>(ys));
    });

    if (options.second_order && !recorded.empty() && !hv_reverse_over_forward.empty()) {
      failures.guard("second order", [&] {
        std::vector<Tensor<T>> hv_forward_over_reverse, hv_differences;
        const std::vector<Tensor<T>> plus = vjp_at(f, moved(at, v, h), u), minus = vjp_at(f, moved(at, v, T(-h)), u);
        for (std::size_t i = 0; i < n; ++i) {
          hv_forward_over_reverse.push_back(tape.tangent(recorded[i]));
          hv_differences.push_back((plus[i] - minus[i]) / (T(2) * h));
        }
        measure(report.second_order, worst_of(hv_forward_over_reverse, hv_reverse_over_forward),
                "second order: forward over reverse vs reverse over forward");
        measure(report.second_order, worst_of(hv_forward_over_reverse, hv_differences),
                "second order: forward over reverse vs central differences of the vjp");
      });
    }
  }
  report.ok = report.failures.empty() && report.worst() <= options.tolerance;
  return report;
}

template CheckReport check_op(const std::string&, const MultiFunction<float>&, const std::vector<Tensor<float>>&,
                              const CheckOptions&);
template CheckReport check_op(const std::string&, const MultiFunction<double>&, const std::vector<Tensor<double>>&,
                              const CheckOptions&);

}  // namespace netdim
