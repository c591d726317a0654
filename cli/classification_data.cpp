#include "netdim/cli/classification_data.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "netdim/nn/data/data_error.hpp"
#include "netdim/nn/data/npy.hpp"
#include "netdim/support/input_file.hpp"
#include "netdim/support/line_reader.hpp"
#include "netdim/nn/data/synthetic.hpp"

namespace netdim::cli {

namespace {

constexpr std::size_t kHoldOutEvery = 5;
constexpr std::int64_t kMaxLabel = 1000000;

template <FloatingScalar T>
std::size_t row_size(const data::Dataset<T>& set) {
  return set.size() ? set.inputs.size() / set.size() : 0;
}

// The rows of `set` for which keep(i) holds, in order.
template <FloatingScalar T, class Keep>
data::Dataset<T> rows_where(const data::Dataset<T>& set, Keep keep) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < set.size(); ++i) n += keep(i) ? 1 : 0;
  const std::size_t row = row_size(set);
  Shape shape = shape_of(set.inputs);
  shape[0] = n;
  data::Dataset<T> out;
  out.inputs = Tensor<T>::from_shape(shape);
  T* to = out.inputs.data();
  for (std::size_t i = 0; i < set.size(); ++i) {
    if (!keep(i)) continue;
    to = std::copy_n(set.inputs.data() + i * row, row, to);
    out.labels.push_back(set.labels[i]);
  }
  return out;
}

// The first `limit` examples (all when 0); more than there are is refused, naming `flag`.
template <FloatingScalar T>
data::Dataset<T> first(data::Dataset<T> set, std::size_t limit, const std::string& flag, const char* noun,
                       std::string& description) {
  if (limit == 0) return set;
  if (limit > set.size())
    throw std::invalid_argument(flag + " " + std::to_string(limit) + ": the " + noun + " set has only " +
                                std::to_string(set.size()) + " examples");
  description += ", the first " + std::to_string(limit) + " " + noun + " examples";
  return rows_where(set, [limit](std::size_t i) { return i < limit; });
}

// Inputs [N, ...] with N >= 1 rows of at least one finite number each, which T holds; labels [N],
// each a class 0..kMaxLabel. Every refusal is a DataError naming the file at fault.
template <FloatingScalar T>
data::Dataset<T> npy_set(const std::string& x_path, const std::string& y_path) {
  data::Dataset<T> set;
  set.inputs = data::read_npy_finite<T>(x_path);  // NaN, infinity, beyond T's range: refused while converting
  const Shape x_shape = shape_of(set.inputs);
  if (x_shape.size() < 2)
    throw data::DataError(x_path, "shape " + shape_string(x_shape) +
                                      " has no example axis: the inputs must be [N, ...], one row per example");
  if (x_shape[0] == 0) throw data::DataError(x_path, "no rows (shape " + shape_string(x_shape) + ")");
  if (set.inputs.size() == 0)
    throw data::DataError(x_path, "empty rows (shape " + shape_string(x_shape) + "): each example needs a value");
  const data::NpyIntegers y = data::read_npy_integers(y_path);
  const std::size_t rows = x_shape[0];
  if (y.shape.size() != 1)
    throw data::DataError(y_path, "shape " + shape_string(y.shape) + ": the labels must be one integer per row of " +
                                      x_path + ", shape [" + std::to_string(rows) + "]");
  if (y.shape[0] == 0) throw data::DataError(y_path, "no labels (shape " + shape_string(y.shape) + ")");
  if (y.shape[0] != rows)
    throw data::DataError(y_path, std::to_string(y.shape[0]) + " labels for the " + std::to_string(rows) +
                                      " rows of " + x_path);
  set.labels.reserve(rows);
  for (std::size_t i = 0; i < rows; ++i) {
    const std::int64_t v = y.values[i];
    if (v < 0 || v > kMaxLabel)
      throw data::DataError(y_path, "entry " + std::to_string(i) + " is " + std::to_string(v) +
                                        ": a label must be a class 0.." + std::to_string(kMaxLabel));
    set.labels.push_back(static_cast<int>(v));
  }
  return set;
}

// [N, ...] to [N, input_shape], refused when the sizes differ.
template <FloatingScalar T>
void fit_to(data::Dataset<T>& set, const Shape& input_shape, const std::string& what) {
  if (!set.reshape_inputs(input_shape))
    throw std::invalid_argument("--data: " + what + " has examples of shape " + shape_string(set.example_shape()) +
                                ", which do not fit the network's input " + shape_string(input_shape));
}

}  // namespace

std::vector<std::string> data_spec_files(const std::string& spec) {
  if (spec == "fashion-mnist" || spec == "noise") return {};
  return support::split_fields(spec, ',');
}

template <FloatingScalar T>
ClassificationData<T> load_classification_data(const DataRequest& r) {
  ClassificationData<T> d;
  const bool noise_offered = r.noise_images > 0;
  if (r.spec == "fashion-mnist") {
    std::error_code ec;  // a symlink loop or a bad permission is a cause to name, not a filesystem_error
    const auto status = std::filesystem::status(r.fashion_mnist_dir, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
      throw std::runtime_error("--data-dir " + r.fashion_mnist_dir.string() + ": " + support::open_failure(ec.value()));
    if (!std::filesystem::exists(status))
      throw std::runtime_error("--data fashion-mnist: " + r.fashion_mnist_dir.string() +
                               " is missing (apt-get install dataset-fashion-mnist)");
    d.train = data::load_fashion_mnist<T>("train", r.fashion_mnist_dir, false);
    d.test = data::load_fashion_mnist<T>("test", r.fashion_mnist_dir, false);
    d.description = "Fashion-MNIST";
  } else if (r.spec == "noise" && noise_offered) {
    d.train = data::random_noise_images<T>(r.noise_images, 1, 28, 28, 10, r.noise_seed);
    d.description = std::to_string(r.noise_images) + " random-noise 28x28 images, 10 random labels";
  } else {
    const auto files = data_spec_files(r.spec);
    if (files.size() != 2 && files.size() != 4)
      throw std::invalid_argument("--data: expected fashion-mnist, " + std::string(noise_offered ? "noise, " : "") +
                                  "X.npy,y.npy or Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy, got '" + r.spec + "'");
    d.train = npy_set<T>(files[0], files[1]);
    d.description = r.spec;
    if (files.size() == 4) {
      d.test = npy_set<T>(files[2], files[3]);
    } else if (r.hold_out_from_pair) {
      if (d.train.size() < kHoldOutEvery)
        throw data::DataError(files[0], "has " + std::to_string(d.train.size()) +
                                            " rows: too few to hold out every fifth as the test set");
      const data::Dataset<T> all = std::move(d.train);
      d.train = rows_where(all, [](std::size_t i) { return (i + 1) % kHoldOutEvery != 0; });
      d.test = rows_where(all, [](std::size_t i) { return (i + 1) % kHoldOutEvery == 0; });
      d.description += " (every fifth row held out as the test set)";
    }
  }
  if (r.input_shape) {
    fit_to(d.train, *r.input_shape, "the training set");
    if (d.test) fit_to(*d.test, *r.input_shape, "the test set");
  }
  d.train = first(std::move(d.train), r.train_limit, r.train_limit_flag, "training", d.description);
  if (d.test) d.test = first(std::move(*d.test), r.test_limit, "--test-limit", "test", d.description);
  return d;
}

template ClassificationData<float> load_classification_data(const DataRequest&);
template ClassificationData<double> load_classification_data(const DataRequest&);

}  // namespace netdim::cli
