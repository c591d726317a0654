// Synthetic data: reproducible from the seed, in range, and with distinct input points.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <xtensor/xsort.hpp>

#include "netdim/nn/data/synthetic.hpp"

using namespace netdim;
using data::random_noise_images;
using data::random_points;

namespace {

template <class T>
std::size_t distinct_rows(const Tensor<T>& x) {
  std::set<std::vector<T>> rows;
  const std::size_t dim = x.shape()[1];
  for (std::size_t i = 0; i < x.shape()[0]; ++i) rows.emplace(x.data() + i * dim, x.data() + (i + 1) * dim);
  return rows.size();
}

}  // namespace

TEST_SUITE_BEGIN("data");

TEST_CASE("synthetic: random points") {
  const data::Dataset<double> d = random_points<double>(500, 3, 2, 11);
  CHECK(shape_of(d.inputs) == Shape{500, 3});
  CHECK(shape_of(d.targets) == Shape{500, 2});
  CHECK(d.labels.empty());
  CHECK(d.size() == 500);
  CHECK(xt::amin(d.inputs)() >= -1.0);
  CHECK(xt::amax(d.inputs)() <= 1.0);
  CHECK(xt::amin(d.targets)() >= -1.0);
  CHECK(xt::amax(d.targets)() <= 1.0);
  CHECK(distinct_rows(d.inputs) == 500);

  const data::Dataset<double> again = random_points<double>(500, 3, 2, 11);
  CHECK(again.inputs == d.inputs);
  CHECK(again.targets == d.targets);
  const data::Dataset<double> other = random_points<double>(500, 3, 2, 12);
  CHECK(other.inputs != d.inputs);
  CHECK(other.targets != d.targets);

  CHECK_THROWS_AS(random_points<double>(2, 0, 1, 1), std::invalid_argument);
  CHECK(random_points<double>(1, 0, 1, 1).size() == 1);
}

TEST_CASE("synthetic: repeated points are redrawn") {
  // 20000 floats from [-1, 1] collide by the birthday bound: seed 5's first draw repeats 8 values,
  // and the redraw must remove every repeat.
  const data::Dataset<float> d = random_points<float>(20000, 1, 1, 5);
  CHECK(distinct_rows(d.inputs) == 20000);
  CHECK(random_points<float>(20000, 1, 1, 5).inputs == d.inputs);
}

TEST_CASE("synthetic: random-noise images with random labels") {
  const data::Dataset<double> d = random_noise_images<double>(1000, 1, 28, 28, 10, 3);
  CHECK(shape_of(d.inputs) == Shape{1000, 1, 28, 28});
  CHECK(d.size() == 1000);
  CHECK(d.targets.size() == 0);
  CHECK(xt::amin(d.inputs)() >= 0.0);
  CHECK(xt::amax(d.inputs)() <= 1.0);
  REQUIRE(d.labels.size() == 1000);
  std::vector<int> per_class(10);
  for (int l : d.labels) {
    REQUIRE(l >= 0);
    REQUIRE(l < 10);
    ++per_class[std::size_t(l)];
  }
  CHECK(*std::min_element(per_class.begin(), per_class.end()) > 50);  // each class near 100

  const data::Dataset<double> again = random_noise_images<double>(1000, 1, 28, 28, 10, 3);
  CHECK(again.inputs == d.inputs);
  CHECK(again.labels == d.labels);
  CHECK(random_noise_images<double>(1000, 1, 28, 28, 10, 4).labels != d.labels);

  // The precision changes the rounding, not the draw.
  const data::Dataset<float> f = random_noise_images<float>(1000, 1, 28, 28, 10, 3);
  CHECK(f.inputs == xt::cast<float>(d.inputs));
  CHECK(f.labels == d.labels);

  CHECK_THROWS_AS(random_noise_images<double>(1, 1, 2, 2, 0, 1), std::invalid_argument);
}

TEST_SUITE_END();
