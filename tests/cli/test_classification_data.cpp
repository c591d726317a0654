// The --data option shared by train, intrinsic and intrinsic-load: .npy pairs
// (training only, or every fifth row held out), four files, noise where it is
// offered, reshaping to the network's input, limits, and one-line refusals (no rows,
// NaN, infinity or beyond the dtype's range, labels that do not fit).
#include <doctest/doctest.h>

#include <limits>

#include "netdim/cli/classification_data.hpp"
#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/npy.hpp"
#include "tests/cli/netdim_process.hpp"

using namespace netdim;
using namespace netdim::cli;
using namespace netdim::testing;

namespace {

// n rows of 6 values, row i = (i, i, ..., i), label i % 3: each row names itself.
std::string write_pair(const TempDir& dir, const std::string& name, std::size_t n) {
  Tensor<double> x = Tensor<double>::from_shape({n, 6});
  std::vector<std::int64_t> y(n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < 6; ++j) x(i, j) = double(i);
    y[i] = std::int64_t(i % 3);
  }
  data::write_npy(dir / ("x_" + name + ".npy"), x);
  data::write_npy_integers(dir / ("y_" + name + ".npy"), Shape{n}, y);
  return (dir / ("x_" + name + ".npy")).string() + "," + (dir / ("y_" + name + ".npy")).string();
}

DataRequest request(const std::string& spec) {
  DataRequest r;
  r.spec = spec;
  return r;
}

}  // namespace

TEST_CASE("--data X.npy,y.npy: the training set only, or every fifth row held out as the test set") {
  const TempDir dir("data_pair");
  const std::string pair = write_pair(dir, "all", 12);

  const ClassificationData<float> whole = load_classification_data<float>(request(pair));
  CHECK(whole.train.size() == 12);
  CHECK_FALSE(whole.test.has_value());

  DataRequest split = request(pair);
  split.hold_out_from_pair = true;
  split.input_shape = Shape{2, 3};
  const ClassificationData<double> d = load_classification_data<double>(split);
  REQUIRE(d.test.has_value());
  // Rows 5 and 10 (counting from 1), that is 4 and 9, are the test set; the rest train, in order.
  REQUIRE(d.test->size() == 2);
  CHECK(d.test->inputs(0, 1, 2) == 4);
  CHECK(d.test->inputs(1, 0, 0) == 9);
  CHECK(d.test->labels == std::vector<int>{1, 0});
  REQUIRE(d.train.size() == 10);
  CHECK(shape_of(d.train.inputs) == Shape{10, 2, 3});
  const std::vector<double> kept{0, 1, 2, 3, 5, 6, 7, 8, 10, 11};
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(d.train.inputs(i, 1, 1) == kept[i]);
    CHECK(d.train.labels[i] == int(kept[i]) % 3);
  }
  CHECK(d.description.find("every fifth row held out") != std::string::npos);
}

TEST_CASE("--data with four files, limits, and noise only where a command offers it") {
  const TempDir dir("data_four");
  const std::string four = write_pair(dir, "train", 8) + "," + write_pair(dir, "test", 5);
  DataRequest r = request(four);
  r.train_limit = 3;
  r.test_limit = 2;
  const ClassificationData<float> d = load_classification_data<float>(r);
  CHECK(d.train.size() == 3);
  REQUIRE(d.test.has_value());
  CHECK(d.test->size() == 2);
  CHECK(d.test->inputs(1, 0) == 1);
  CHECK(d.description.find("the first 3 training examples") != std::string::npos);

  r.train_limit = 9;
  r.train_limit_flag = "--train-subset";
  CHECK_THROWS_WITH_AS(load_classification_data<float>(r),
                       "--train-subset 9: the training set has only 8 examples", std::invalid_argument);

  DataRequest noise = request("noise");
  CHECK_THROWS_AS(load_classification_data<float>(noise), std::invalid_argument);  // not offered: a bad spec
  noise.noise_images = 7;
  const ClassificationData<float> n = load_classification_data<float>(noise);
  CHECK(shape_of(n.train.inputs) == Shape{7, 1, 28, 28});
  CHECK_FALSE(n.test.has_value());
}

TEST_CASE("--data refusals: shapes that do not fit, labels that do not match, too few rows to split") {
  const TempDir dir("data_bad");
  DataRequest r = request(write_pair(dir, "a", 4));
  r.input_shape = Shape{4};
  CHECK_THROWS_WITH_AS(load_classification_data<float>(r),
                       "--data: the training set has examples of shape [6], which do not fit the network's input [4]",
                       std::invalid_argument);
  r.input_shape.reset();
  r.hold_out_from_pair = true;
  CHECK_THROWS_AS(load_classification_data<float>(r), data::DataError);  // 4 rows: nothing to hold out
  write_pair(dir, "b", 5);
  const std::string mismatched = (dir / "x_a.npy").string() + "," + (dir / "y_b.npy").string();
  CHECK_THROWS_AS(load_classification_data<float>(request(mismatched)), data::DataError);
  CHECK_THROWS_AS(load_classification_data<float>(request("x.npy")), std::invalid_argument);
  // A trailing comma is a third, empty file name, not two files (getline used to drop it).
  CHECK_THROWS_AS(load_classification_data<float>(request(mismatched + ",")), std::invalid_argument);
  CHECK(data_spec_files(mismatched + ",").size() == 3);
  DataRequest missing = request("fashion-mnist");
  missing.fashion_mnist_dir = dir / "nowhere";
  CHECK_THROWS_WITH_AS(load_classification_data<float>(missing),
                       ("--data fashion-mnist: " + (dir / "nowhere").string() +
                        " is missing (apt-get install dataset-fashion-mnist)").c_str(),
                       std::runtime_error);
}

TEST_CASE("--data refuses NaN, infinity and values the training dtype cannot hold, naming the entry") {
  const TempDir dir("data_finite");
  const std::string pair = write_pair(dir, "a", 4), x = (dir / "x_a.npy").string();
  Tensor<double> values = data::read_npy<double>(x);
  const auto with = [&](double v) {
    Tensor<double> changed = values;
    changed(2, 1) = v;  // flat entry 2 * 6 + 1 = 13
    data::write_npy(x, changed);
  };
  with(std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(pair)), (x + ": entry 13 ([2, 1]) is inf").c_str(),
                       data::DataError);
  CHECK_THROWS_WITH_AS(load_classification_data<double>(request(pair)), (x + ": entry 13 ([2, 1]) is inf").c_str(),
                       data::DataError);
  with(-std::numeric_limits<double>::infinity());
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(pair)), (x + ": entry 13 ([2, 1]) is -inf").c_str(),
                       data::DataError);
  with(std::numeric_limits<double>::quiet_NaN());
  CHECK_THROWS_WITH_AS(load_classification_data<double>(request(pair)), (x + ": entry 13 ([2, 1]) is nan").c_str(),
                       data::DataError);
  // float64 data beyond float32's range: refused for float32 training, read for float64.
  with(1e300);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(pair)),
                       (x + ": entry 13 ([2, 1]) is 1e+300, beyond float32's range").c_str(), data::DataError);
  CHECK(load_classification_data<double>(request(pair)).train.inputs(2, 1) == 1e300);
  with(-3.5e38);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(pair)),
                       (x + ": entry 13 ([2, 1]) is -3.5e+38, beyond float32's range").c_str(), data::DataError);
  with(3.4e38);  // just inside
  CHECK(load_classification_data<float>(request(pair)).train.inputs(2, 1) == 3.4e38f);

  // The test set of four files is checked as well.
  with(1.0);
  const std::string test_x = (dir / "x_t.npy").string();
  const std::string four = pair + "," + write_pair(dir, "t", 3);
  Tensor<double> test = data::read_npy<double>(test_x);
  test(1, 5) = std::numeric_limits<double>::quiet_NaN();
  data::write_npy(test_x, test);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(four)), (test_x + ": entry 11 ([1, 5]) is nan").c_str(),
                       data::DataError);
}

TEST_CASE("--data refusals, one line naming the file: no rows, no example axis, labels that do not fit") {
  const TempDir dir("data_rows");
  const auto path = [&](const std::string& name) { return (dir / name).string(); };
  data::write_npy(path("none.npy"), Tensor<double>::from_shape({0, 4}));
  data::write_npy_integers(path("none_y.npy"), Shape{0}, {});
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(path("none.npy") + "," + path("none_y.npy"))),
                       (path("none.npy") + ": no rows (shape [0, 4])").c_str(), data::DataError);
  data::write_npy(path("flat.npy"), Tensor<double>{1, 2, 3, 4});
  data::write_npy_integers(path("four_y.npy"), Shape{4}, {0, 1, 2, 0});
  CHECK_THROWS_WITH_AS(
      load_classification_data<float>(request(path("flat.npy") + "," + path("four_y.npy"))),
      (path("flat.npy") + ": shape [4] has no example axis: the inputs must be [N, ...], one row per example").c_str(),
      data::DataError);
  data::write_npy(path("hollow.npy"), Tensor<double>::from_shape({4, 0}));
  CHECK_THROWS_WITH_AS(load_classification_data<float>(request(path("hollow.npy") + "," + path("four_y.npy"))),
                       (path("hollow.npy") + ": empty rows (shape [4, 0]): each example needs a value").c_str(),
                       data::DataError);

  const std::string x = path("x_a.npy");
  write_pair(dir, "a", 4);
  const auto labels = [&](const std::string& name, const Shape& shape, const std::vector<std::int64_t>& values) {
    data::write_npy_integers(path(name), shape, values);
    return request(x + "," + path(name));
  };
  CHECK_THROWS_WITH_AS(load_classification_data<float>(labels("empty_y.npy", Shape{0}, {})),
                       (path("empty_y.npy") + ": no labels (shape [0])").c_str(), data::DataError);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(labels("five_y.npy", Shape{5}, {0, 1, 2, 0, 1})),
                       (path("five_y.npy") + ": 5 labels for the 4 rows of " + x).c_str(), data::DataError);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(labels("neg_y.npy", Shape{4}, {0, 1, -1, 2})),
                       (path("neg_y.npy") + ": entry 2 is -1: a label must be a class 0..1000000").c_str(),
                       data::DataError);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(labels("big_y.npy", Shape{4}, {0, 1, 2, 1000001})),
                       (path("big_y.npy") + ": entry 3 is 1000001: a label must be a class 0..1000000").c_str(),
                       data::DataError);
  CHECK_THROWS_WITH_AS(load_classification_data<float>(labels("col_y.npy", Shape{4, 1}, {0, 1, 2, 0})),
                       (path("col_y.npy") + ": shape [4, 1]: the labels must be one integer per row of " + x +
                        ", shape [4]")
                           .c_str(),
                       data::DataError);
}
