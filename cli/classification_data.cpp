#include "cli/classification_data.hpp"

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "nn/data/npy.hpp"

namespace netdim::cli {

namespace {

using Set = data::Dataset<float>;

// The first `limit` examples (all when 0 or more than there are).
Set first(Set set, std::size_t limit) {
  if (limit == 0 || limit >= set.size()) return set;
  Shape shape = shape_of(set.inputs);
  const std::size_t row = shape_size(shape) / shape[0];
  shape[0] = limit;
  Tensor<float> inputs = Tensor<float>::from_shape(shape);
  std::copy_n(set.inputs.data(), limit * row, inputs.data());
  set.inputs = std::move(inputs);
  set.labels.resize(limit);
  return set;
}

Set npy_set(const std::string& x_path, const std::string& y_path, const Shape& input_shape) {
  Set set;
  const Tensor<double> x = data::read_npy<double>(x_path);
  const data::NpyIntegers y = data::read_npy_integers(y_path);
  if (x.dimension() < 1 || x.shape()[0] != y.values.size())
    throw std::runtime_error("--data: " + x_path + " has " + (x.dimension() ? std::to_string(x.shape()[0]) : "no") +
                             " rows but " + y_path + " has " + std::to_string(y.values.size()) + " labels");
  Shape want = input_shape;
  want.insert(want.begin(), x.shape()[0]);
  if (shape_size(shape_of(x)) != shape_size(want))
    throw std::runtime_error("--data: " + x_path + " has shape " + shape_string(shape_of(x)) +
                             ", which does not fit the network's input " + shape_string(input_shape));
  set.inputs = Tensor<float>::from_shape(want);
  std::transform(x.begin(), x.end(), set.inputs.begin(), [](double v) { return static_cast<float>(v); });
  for (const auto v : y.values) {
    if (v < 0 || v > 100000) throw std::runtime_error("--data: " + y_path + " has a label " + std::to_string(v) + " that is not a class");
    set.labels.push_back(static_cast<int>(v));
  }
  return set;
}

std::pair<Set, Set> load_both(const std::string& spec, const Shape& input_shape) {
  if (spec == "fashion-mnist") {
    const bool flat = input_shape.size() == 1;
    if (!(flat ? input_shape == Shape{784} : input_shape == Shape{1, 28, 28}))
      throw std::runtime_error("--data fashion-mnist: the network's input " + shape_string(input_shape) +
                               " is neither [784] nor [1, 28, 28]");
    if (!std::filesystem::exists(data::kFashionMnistDir))
      throw std::runtime_error(std::string("--data fashion-mnist: ") + data::kFashionMnistDir +
                               " is missing (apt-get install dataset-fashion-mnist)");
    return {data::load_fashion_mnist<float>("train", data::kFashionMnistDir, flat),
            data::load_fashion_mnist<float>("test", data::kFashionMnistDir, flat)};
  }
  std::vector<std::string> files;
  std::stringstream list(spec);
  for (std::string f; std::getline(list, f, ',');) files.push_back(f);
  if (files.size() != 4)
    throw std::runtime_error("--data: expected fashion-mnist or Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy, got '" + spec + "'");
  return {npy_set(files[0], files[1], input_shape), npy_set(files[2], files[3], input_shape)};
}

}  // namespace

std::pair<data::Dataset<float>, data::Dataset<float>> load_classification_data(const std::string& spec,
                                                                               const Shape& input_shape,
                                                                               std::size_t train_limit,
                                                                               std::size_t test_limit) {
  auto [train, test] = load_both(spec, input_shape);
  return {first(std::move(train), train_limit), first(std::move(test), test_limit)};
}

}  // namespace netdim::cli
