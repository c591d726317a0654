// Optimisers: three steps against torch's update rules written out here
// independently, and against numbers printed once by PyTorch
// (tests/nn/train/make_reference.py, Debian's python3-torch 1.13, pasted as
// constants: the suite does not need PyTorch); convergence on a least-squares
// problem through the autodiff; and the errors for bad hyper-parameters and shapes.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/nn/train/loss.hpp"
#include "netdim/nn/train/optimizer.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using namespace netdim::nn;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

namespace {

using Vec = std::vector<double>;

const Vec start{1.0, -2.0, 0.5};
const std::vector<Vec> grads{{0.3, -0.1, 0.8}, {-0.2, 0.4, 0.05}, {0.6, 0.0, -0.7}};

template <class T>
Tensor<T> tensor(const Vec& v) {
  Tensor<T> t = Tensor<T>::from_shape({v.size()});
  for (std::size_t i = 0; i < v.size(); ++i) t(i) = static_cast<T>(v[i]);
  return t;
}

// Three steps of `opt` from `start` with the fixed gradients.
template <class T>
Tensor<T> run(Optimizer<T>& opt) {
  Tensor<T> p = tensor<T>(start);
  for (const Vec& g : grads) opt.step(p, tensor<T>(g));
  return p;
}

// torch.optim.SGD._single_tensor_sgd, written out:
//   d_p = grad + weight_decay * param
//   buf = d_p (first step) or buf * momentum + (1 - dampening) * d_p
//   d_p = d_p + momentum * buf (nesterov) or buf
//   param = param - lr * d_p
Vec reference_sgd(double lr, double momentum, double dampening, double weight_decay, bool nesterov) {
  Vec p = start, buf(p.size());
  for (std::size_t step = 0; step < grads.size(); ++step)
    for (std::size_t i = 0; i < p.size(); ++i) {
      double d = grads[step][i] + weight_decay * p[i];
      if (momentum != 0) {
        buf[i] = step == 0 ? d : buf[i] * momentum + (1 - dampening) * d;
        d = nesterov ? d + momentum * buf[i] : buf[i];
      }
      p[i] = p[i] - lr * d;
    }
  return p;
}

// torch.optim.Adam._single_tensor_adam (amsgrad=False), written out:
//   g = grad + weight_decay * param
//   m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g * g
//   denom = sqrt(v) / sqrt(1 - beta2^t) + eps
//   param = param - lr / (1 - beta1^t) * m / denom
Vec reference_adam(double lr, double beta1, double beta2, double eps, double weight_decay) {
  Vec p = start, m(p.size()), v(p.size());
  for (std::size_t step = 0; step < grads.size(); ++step) {
    const double t = static_cast<double>(step + 1);
    for (std::size_t i = 0; i < p.size(); ++i) {
      const double g = grads[step][i] + weight_decay * p[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const double denom = std::sqrt(v[i]) / std::sqrt(1 - std::pow(beta2, t)) + eps;
      p[i] = p[i] - lr / (1 - std::pow(beta1, t)) * m[i] / denom;
    }
  }
  return p;
}

void expect_close(const Tensor<double>& got, const Vec& want, double tolerance) {
  CHECK(max_abs_diff(got, tensor<double>(want)) < tolerance);
}

}  // namespace

TEST_CASE("SGD matches torch.optim.SGD over three steps") {
  SUBCASE("plain") {
    SGD<double> opt(0.1);
    const Tensor<double> p = run(opt);
    expect_close(p, reference_sgd(0.1, 0, 0, 0, false), 1e-15);
    expect_close(p, {0.9299999999999999, -2.03, 0.485}, 1e-15);
  }
  SUBCASE("momentum, dampening and weight decay") {
    SGD<double> opt(0.1, 0.9, 0.25, 0.01);
    const Tensor<double> p = run(opt);
    expect_close(p, reference_sgd(0.1, 0.9, 0.25, 0.01, false), 1e-15);
    expect_close(p, {0.8973926450624999, -2.02014281825, 0.32636497346875}, 1e-15);
  }
  SUBCASE("nesterov with weight decay") {
    SGD<double> opt(0.1, 0.9, 0, 0.01, true);
    const Tensor<double> p = run(opt);
    expect_close(p, reference_sgd(0.1, 0.9, 0, 0.01, true), 1e-15);
    expect_close(p, {0.8292314353710001, -2.057898313692, 0.34115379185049993}, 1e-15);
  }
  SUBCASE("float agrees with double") {
    SGD<float> opt(0.1, 0.9, 0, 0.01, true);
    const Tensor<float> p = run(opt);
    const Vec want = reference_sgd(0.1, 0.9, 0, 0.01, true);
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(p(i) == doctest::Approx(want[i]).epsilon(1e-6));
  }
}

TEST_CASE("Adam matches torch.optim.Adam over three steps") {
  SUBCASE("defaults but lr") {
    Adam<double> opt(0.1);
    const Tensor<double> p = run(opt);
    expect_close(p, reference_adam(0.1, 0.9, 0.999, 1e-8, 0), 1e-15);
    expect_close(p, {0.8250295969345314, -1.9992001379189053, 0.32890111949187034}, 1e-15);
  }
  SUBCASE("betas, eps and weight decay") {
    Adam<double> opt(0.05, 0.8, 0.99, 1e-3, 0.1);
    const Tensor<double> p = run(opt);
    expect_close(p, reference_adam(0.05, 0.8, 0.99, 1e-3, 0.1), 1e-15);
    expect_close(p, {0.8918569203729857, -1.9272703078683413, 0.41570127356502184}, 1e-15);
  }
  SUBCASE("float agrees with double") {
    Adam<float> opt(0.05, 0.8, 0.99, 1e-3, 0.1);
    const Tensor<float> p = run(opt);
    const Vec want = reference_adam(0.05, 0.8, 0.99, 1e-3, 0.1);
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(p(i) == doctest::Approx(want[i]).epsilon(1e-6));
  }
}

TEST_CASE("reset makes the next step a first step") {
  SGD<double> sgd(0.1, 0.9, 0.25, 0.01);
  run(sgd);
  CHECK(sgd.steps() == 3);
  sgd.reset();
  CHECK(sgd.steps() == 0);
  expect_close(run(sgd), reference_sgd(0.1, 0.9, 0.25, 0.01, false), 1e-15);

  Adam<double> adam(0.1);
  run(adam);
  adam.reset();
  expect_close(run(adam), reference_adam(0.1, 0.9, 0.999, 1e-8, 0), 1e-15);
}

TEST_CASE("optimisers converge on least squares through the autodiff") {
  // Minimise mse(A x, b) with b = A x_true: the minimum is x_true.
  const Tensor<double> A = uniform({8, 3}, -1, 1, 80);
  const Tensor<double> x_true{0.5, -1.5, 2.0};
  Tape<double> tape;
  const Tensor<double> b = matmul(tape.constant(A), tape.constant(reshape(x_true, Shape{3, 1}))).value();

  auto train = [&](Optimizer<double>& opt, int steps) {
    Tensor<double> x = zeros_of<double>({3});
    for (int s = 0; s < steps; ++s) {
      tape.clear();
      const Var<double> xv = tape.variable(x);
      const Var<double> loss = mse_loss(matmul(tape.constant(A), reshape(xv, Shape{3, 1})), b);
      opt.step(x, grad(loss, xv));
    }
    return x;
  };
  SGD<double> sgd(0.2, 0.9, 0, 0, true);
  CHECK(max_abs_diff(train(sgd, 500), x_true) < 1e-8);
  Adam<double> adam(0.05);
  CHECK(max_abs_diff(train(adam, 2000), x_true) < 1e-3);
}

TEST_CASE("bad hyper-parameters and shapes give clear errors") {
  CHECK_THROWS_WITH_AS(SGD<double>(-0.1), doctest::Contains("SGD: lr must be finite and >= 0, got -0.1"),
                       std::invalid_argument);
  CHECK_THROWS_AS(SGD<double>(std::nan("")), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<double>(0.1, -0.5), doctest::Contains("momentum"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<double>(0.1, 0.9, 0, -1), doctest::Contains("weight_decay"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(SGD<double>(0.1, 0, 0, 0, true), doctest::Contains("nesterov"), std::invalid_argument);
  CHECK_THROWS_AS(SGD<double>(0.1, 0.9, 0.1, 0, true), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<double>(0.1, 1.0), doctest::Contains("beta1 must be in [0, 1)"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<double>(0.1, 0.9, -0.1), doctest::Contains("beta2"), std::invalid_argument);
  CHECK_THROWS_WITH_AS(Adam<double>(0.1, 0.9, 0.999, -1e-8),
                       doctest::Contains("Adam: eps must be finite and >= 0, got -1e-08"), std::invalid_argument);
  CHECK_THROWS_AS(Adam<double>(-1e-3), std::invalid_argument);
  SGD<double> opt(0.1);
  CHECK_THROWS_AS(opt.set_lr(-1), std::invalid_argument);
  opt.set_lr(0.5);
  CHECK(opt.lr() == 0.5);

  Adam<double> adam;
  Tensor<double> p = zeros_of<double>({4});
  CHECK_THROWS_WITH_AS(adam.step(p, zeros_of<double>({3})), doctest::Contains("Adam step: gradient shape [3] differs"),
                       std::invalid_argument);
  Tensor<double> matrix = zeros_of<double>({2, 2});
  CHECK_THROWS_WITH_AS(adam.step(matrix, matrix), doctest::Contains("1-D"), std::invalid_argument);
  adam.step(p, Tensor<double>(Shape{4}, 1.0));
  Tensor<double> other = zeros_of<double>({5});
  CHECK_THROWS_WITH_AS(adam.step(other, other),
                       doctest::Contains("has 5 entries but the optimizer's state was sized for 4"),
                       std::invalid_argument);
  adam.reset();
  adam.step(other, other);
  CHECK(adam.steps() == 1);
}

TEST_CASE("make_optimizer: the commands' names give the same steps as the classes, another name is refused") {
  const Tensor<double> grad{0.5, -1.0, 2.0};
  // The parameters after two steps, as a vector (comparable with ==).
  const auto step = [&](Optimizer<double>& opt) {
    Tensor<double> p{1.0, 2.0, 3.0};
    opt.step(p, grad);
    opt.step(p, grad);
    return std::vector<double>(p.begin(), p.end());
  };
  SGD<double> sgd(0.1, 0.9);
  Adam<double> adam(0.01);
  CHECK(step(*make_optimizer<double>("sgd", 0.1, 0.9)) == step(sgd));
  CHECK(step(*make_optimizer<double>("adam", 0.01, 0.9)) == step(adam));
  CHECK_THROWS_WITH_AS(make_optimizer<float>("rmsprop", 0.1, 0.9), "unknown optimiser 'rmsprop' (sgd or adam)",
                       std::invalid_argument);
}
