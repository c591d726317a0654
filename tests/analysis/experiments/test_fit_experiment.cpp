// Pearson's r and its p-value against values computed independently (mpmath, 40
// digits), the least-squares line by hand, and the fit experiment: its random MLPs
// within their ranges, its points apart, its training error falling with steps, and
// its rows the same at 1 and 2 threads.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "netdim/analysis/experiments/fit_experiment.hpp"
#include "netdim/analysis/stats/correlation.hpp"

using namespace netdim;
using namespace netdim::analysis;

TEST_CASE("pearson: r and the two-sided p-value against mpmath") {
  const std::vector<double> x{1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> y{2.1, 3.9, 3.2, 5.8, 4.1, 7.3, 6.2, 9.0, 7.7, 8.1};
  const Correlation c = pearson(x, y);
  CHECK(c.n == 10);
  CHECK(c.r == doctest::Approx(0.9014429642243775).epsilon(1e-13));
  CHECK(c.p == doctest::Approx(0.0003659460709623912).epsilon(1e-10));
  const LineFit f = least_squares_line(x, y);
  CHECK(f.slope == doctest::Approx(0.6909090909090909).epsilon(1e-13));
  CHECK(f.intercept == doctest::Approx(1.94).epsilon(1e-13));
  // Deep in the tail: y = -2x + 3 sin(7x) on x = i / 10, 200 points (p about 1e-149).
  std::vector<double> xs, ys;
  for (int i = 0; i < 200; ++i) {
    xs.push_back(i / 10.0);
    ys.push_back(-2 * xs.back() + 3 * std::sin(7 * xs.back()));
  }
  const Correlation deep = pearson(xs, ys);
  CHECK(deep.r == doctest::Approx(-0.9837175545526438).epsilon(1e-12));
  CHECK(deep.p == doctest::Approx(1.482052581544471e-149).epsilon(1e-8));
  // Anti-symmetric in sign, and exact lines give p = 0.
  CHECK(pearson(x, x).p == 0);
  CHECK(pearson(x, std::vector<double>{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}).r == doctest::Approx(-1));
  CHECK_THROWS_AS(pearson(std::vector<double>{1, 2}, std::vector<double>{1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(pearson(x, std::vector<double>(10, 3.0)), std::invalid_argument);
  CHECK_THROWS_AS(pearson(x, std::vector<double>{1, 2, 3}), std::invalid_argument);
}

TEST_CASE("fit experiment: random MLPs in their ranges, points apart, training that fits") {
  FitOptions o;
  o.networks = 4;
  o.seed = 3;
  for (std::size_t k = 0; k < 50; ++k) {
    const RandomMlp m = random_mlp(o, k);
    CHECK(m.widths.size() >= 1);
    CHECK(m.widths.size() <= 6);
    for (std::size_t w : m.widths) CHECK((w >= 2 && w <= 30));
    CHECK(fit_architecture(m).layers().size() == 2 + 2 * m.widths.size());
  }
  CHECK(random_mlp(o, 7).describe() == random_mlp(o, 7).describe());
  const FitData d = fit_points(o);
  REQUIRE(d.x.shape()[0] == 8);
  for (std::size_t i = 0; i < 8; ++i)
    for (std::size_t k = 0; k < i; ++k) CHECK(std::abs(d.x(i, 0) - d.x(k, 0)) > 1e-4);
  // A wide tanh net fits 8 points better with more steps.
  RandomMlp wide{{30, 30}, {nn::Activation::Tanh, nn::Activation::Tanh}};
  o.restarts = 2;
  o.steps = 10;
  const double few = best_training_error(fit_architecture(wide), d, o, 0);
  o.steps = 3000;
  const double many = best_training_error(fit_architecture(wide), d, o, 0);
  CHECK(many < few);
  CHECK(many < 0.6 * few);
  o.lr = 1e6;  // diverges: every restart counts as +inf
  CHECK(std::isinf(best_training_error(fit_architecture(wide), d, o, 0)));
}

TEST_CASE("fit experiment: the same rows and correlations at 1 and 2 threads; bad options refused") {
  FitOptions o;
  o.networks = 6;
  o.restarts = 2;
  o.steps = 50;
  o.max_layers = 2;
  o.max_width = 6;
  o.protocol.samples = 4;
  const FitResult one = run_fit_experiment(o, 1);
  const FitResult two = run_fit_experiment(o, 2);
  for (std::size_t k = 0; k < 6; ++k) {
    REQUIRE(one.rows[k]);
    REQUIRE(two.rows[k]);
    CHECK(one.rows[k]->esd == two.rows[k]->esd);
    CHECK(one.rows[k]->train_error == two.rows[k]->train_error);
    CHECK(one.rows[k]->parameters == fit_architecture(one.rows[k]->mlp).parameter_count());
  }
  REQUIRE(one.error_vs_esd);
  CHECK(one.error_vs_esd->r == two.error_vs_esd->r);
  CHECK(one.error_vs_esd->n == 6);

  FitOptions bad = o;
  bad.networks = 2;
  CHECK_THROWS_AS(run_fit_experiment(bad, 1), std::invalid_argument);
  bad = o;
  bad.min_width = 0;
  CHECK_THROWS_AS(run_fit_experiment(bad, 1), std::invalid_argument);
  bad = o;
  bad.momentum = 1;
  CHECK_THROWS_AS(run_fit_experiment(bad, 1), std::invalid_argument);
}
