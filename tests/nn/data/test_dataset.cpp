// The Fashion-MNIST loader, on the installed data set and on small hand-made copies of it.
#include <doctest/doctest.h>

#include <algorithm>
#include <xtensor/xsort.hpp>
#include <xtensor/xview.hpp>

#include "netdim/nn/data/dataset.hpp"
#include "netdim/nn/data/idx.hpp"
#include "tests/nn/data/data_files.hpp"

using namespace netdim;
using namespace netdim::testing;
using data::load_fashion_mnist;

namespace {

// A directory laid out like Fashion-MNIST's, with n images of side x side pixels.
void write_fake_split(const TempDir& dir, const std::string& prefix, std::uint32_t n, std::uint32_t side,
                      const Bytes& labels, bool gzip = true) {
  Bytes pixels(std::size_t(n) * side * side);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i % 256);
  const std::string ext = gzip ? ".gz" : "";
  const auto write = gzip ? write_gzip : write_bytes;
  write(dir / (prefix + "-images-idx3-ubyte" + ext), idx_bytes({n, side, side}, pixels));
  write(dir / (prefix + "-labels-idx1-ubyte" + ext), idx_bytes({std::uint32_t(labels.size())}, labels));
}

}  // namespace

TEST_SUITE_BEGIN("data");

TEST_CASE("fashion-mnist: the installed test split") {
  const fs::path dir = data::kFashionMnistDir;
  // The raw bytes, read independently of the loader: the first test label is 9, ankle boot.
  const data::IdxData raw_labels = data::read_idx(dir / "t10k-labels-idx1-ubyte.gz");
  const data::IdxData raw_images = data::read_idx(dir / "t10k-images-idx3-ubyte.gz");
  REQUIRE(raw_labels.bytes.size() == 10000);
  CHECK(raw_labels.bytes[0] == 9);

  const data::Dataset<float> d = load_fashion_mnist<float>("test");
  CHECK(d.size() == 10000);
  CHECK(shape_of(d.inputs) == Shape{10000, 784});
  CHECK(d.labels.size() == 10000);
  CHECK(d.targets.size() == 0);
  CHECK(d.labels[0] == 9);
  CHECK(xt::amin(d.inputs)() == 0.0f);
  CHECK(xt::amax(d.inputs)() == 1.0f);
  CHECK(std::all_of(d.labels.begin(), d.labels.end(), [](int l) { return l >= 0 && l < 10; }));
  std::vector<int> per_class(10);
  for (int l : d.labels) ++per_class[std::size_t(l)];
  CHECK(per_class == std::vector<int>(10, 1000));
  for (std::size_t k = 0; k < 784; ++k) CHECK(d.inputs(0, k) == float(raw_images.bytes[k]) / 255.0f);

  const data::Dataset<double> images = load_fashion_mnist<double>("test", dir, false);
  CHECK(shape_of(images.inputs) == Shape{10000, 1, 28, 28});
  CHECK(images.inputs(0, 0, 27, 27) == double(raw_images.bytes[783]) / 255.0);
  CHECK(images.inputs(9999, 0, 13, 14) == double(raw_images.bytes[9999 * 784 + 13 * 28 + 14]) / 255.0);
  CHECK(images.labels == d.labels);
}

TEST_CASE("fashion-mnist: the installed train split holds 60000 labelled images") {
  const data::IdxData labels = data::read_idx(fs::path(data::kFashionMnistDir) / "train-labels-idx1-ubyte.gz");
  CHECK(labels.shape == Shape{60000});
  const data::Dataset<float> d = load_fashion_mnist<float>("train");
  CHECK(shape_of(d.inputs) == Shape{60000, 784});
  CHECK(d.labels.front() == labels.bytes.front());
  CHECK(d.labels.back() == labels.bytes.back());
}

TEST_CASE("fashion-mnist: hand-made copies, good and bad") {
  TempDir dir;
  write_fake_split(dir, "t10k", 3, 28, {0, 9, 4});
  const data::Dataset<double> d = load_fashion_mnist<double>("test", dir.path());
  CHECK(shape_of(d.inputs) == Shape{3, 784});
  CHECK(d.labels == std::vector<int>{0, 9, 4});
  CHECK(d.inputs(0, 255) == 1.0);
  CHECK(d.inputs(0, 256) == 0.0);

  TempDir plain;  // gunzipped files, as after a manual download
  write_fake_split(plain, "train", 2, 28, {1, 2}, false);
  CHECK(load_fashion_mnist<float>("train", plain.path()).size() == 2);

  CHECK_THROWS_AS(load_fashion_mnist<float>("validation", dir.path()), std::invalid_argument);

  const fs::path missing = dir / "nowhere";
  expect_data_error([&] { load_fashion_mnist<float>("test", missing); }, missing,
                    "directory not found; install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");
  expect_data_error([&] { load_fashion_mnist<float>("train", dir.path()); }, dir / "train-images-idx3-ubyte.gz",
                    "file not found; install Fashion-MNIST with `apt-get install dataset-fashion-mnist`");

  TempDir mismatch;
  write_fake_split(mismatch, "t10k", 3, 28, {0, 1});
  expect_data_error([&] { load_fashion_mnist<float>("test", mismatch.path()); }, mismatch / "t10k-labels-idx1-ubyte.gz",
                    "2 labels for the 3 images of");

  TempDir bad_label;
  write_fake_split(bad_label, "t10k", 2, 28, {3, 10});
  expect_data_error([&] { load_fashion_mnist<float>("test", bad_label.path()); },
                    bad_label / "t10k-labels-idx1-ubyte.gz", "label 10 at index 1 is not a class 0..9");

  TempDir small;
  write_fake_split(small, "t10k", 2, 27, {3, 1});
  expect_data_error([&] { load_fashion_mnist<float>("test", small.path()); }, small / "t10k-images-idx3-ubyte.gz",
                    "expected images of shape [N, 28, 28], found [2, 27, 27]");
}

TEST_SUITE_END();

TEST_CASE("a data set's inputs reshape in place to a network's input shape when the counts agree") {
  data::Dataset<float> set;
  set.inputs = Tensor<float>::from_shape({3, 1, 2, 2});
  for (std::size_t i = 0; i < set.inputs.size(); ++i) set.inputs.data()[i] = float(i);
  CHECK(set.example_shape() == Shape{1, 2, 2});
  CHECK(set.fits_input(Shape{4}));
  CHECK_FALSE(set.fits_input(Shape{3}));
  CHECK_FALSE(set.fits_input(Shape{2, 4}));
  CHECK_FALSE(set.fits_input(Shape{0}));
  const float* before = set.inputs.data();
  REQUIRE(set.reshape_inputs(Shape{4}));
  CHECK(set.inputs.shape() == Shape{3, 4});
  CHECK(set.inputs.data() == before);  // no copy
  CHECK(set.inputs(2, 3) == 11);
  CHECK_FALSE(set.reshape_inputs(Shape{5}));
  CHECK(set.inputs.shape() == Shape{3, 4});  // unchanged
  CHECK(data::Dataset<float>{}.example_shape() == Shape{});
}
