// backward() at intermediate nodes: the cotangent of a value computed on the tape,
// as the per-layer sweep asks for it, alongside leaves and without disturbing them.
#include <doctest/doctest.h>

#include <array>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "tests/helpers.hpp"

using namespace netdim;
using netdim::testing::max_abs_diff;
using netdim::testing::uniform;

TEST_CASE("backward returns cotangents at intermediate nodes") {
  Tape<double> tape;
  const Tensor<double> xv = uniform({3, 4}, -1, 1, 1), wv = uniform({2, 4}, -1, 1, 2);
  const Var<double> x = tape.constant(xv), w = tape.variable(wv);
  const Var<double> z = matmul(x, w, false, true);  // [3, 2], intermediate
  const Var<double> u = tanh(z);                     // intermediate, used twice below
  const Var<double> y = u * u + u;
  const Tensor<double> seed = uniform({3, 2}, -1, 1, 3);

  const std::array<Var<double>, 3> wrt{u, z, w};
  const std::vector<Tensor<double>> g = backward(y, seed, std::span<const Var<double>>(wrt));
  const Tensor<double> uv = xt::tanh(z.value());
  const Tensor<double> du = seed * (2.0 * uv + 1.0);      // both uses of u summed
  const Tensor<double> dz = du * (1.0 - uv * uv);
  const Tensor<double> dw = matmul(dz, xv, true, false);  // [2, 4]
  CHECK(max_abs_diff(g[0], du) < 1e-14);
  CHECK(max_abs_diff(g[1], dz) < 1e-14);
  CHECK(max_abs_diff(g[2], dw) < 1e-14);
  // Asking for the intermediates does not change the leaf's gradient.
  const std::array<Var<double>, 1> only_w{w};
  CHECK(max_abs_diff(backward(y, seed, std::span<const Var<double>>(only_w))[0], g[2]) == 0);
  // A node on no path from the output (a constant, or computed from constants only) gets zeros.
  const Var<double> unrelated = tanh(x);
  const std::array<Var<double>, 1> other{unrelated};
  CHECK(max_abs_diff(backward(y, seed, std::span<const Var<double>>(other))[0], zeros_of<double>({3, 4})) == 0);
}
