// A data set held in memory, and the Fashion-MNIST loader that fills one.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

#include "netdim/autodiff/scalar.hpp"
#include "netdim/autodiff/tensor.hpp"

namespace netdim::data {

template <class T>
struct Dataset {
  // [N, ...], batch axis first.
  Tensor<T> inputs = Tensor<T>(Shape{0});
  // N class labels for classification; empty otherwise.
  std::vector<int> labels;
  // [N, k] regression targets; shape [0] (no elements) when there are none.
  Tensor<T> targets = Tensor<T>(Shape{0});

  // N, the number of examples.
  std::size_t size() const { return inputs.dimension() == 0 ? 0 : inputs.shape()[0]; }

  // The shape of one example: the inputs' shape without the batch axis.
  Shape example_shape() const {
    return inputs.dimension() == 0 ? Shape{} : Shape(inputs.shape().begin() + 1, inputs.shape().end());
  }
  // Whether every example holds as many numbers as an input of shape `input` (a network's
  // input(784) takes Fashion-MNIST's [1, 28, 28] images).
  bool fits_input(const Shape& input) const {
    const std::size_t per_example = shape_size(input);  // divided, not multiplied: nothing can wrap
    return per_example == 0 ? inputs.size() == 0 : inputs.size() % per_example == 0 && inputs.size() / per_example == size();
  }
  // The inputs reshaped in place to [N, input...], without copying; false, and
  // nothing changed, when the examples do not fit.
  bool reshape_inputs(const Shape& input) {
    if (!fits_input(input)) return false;
    Shape shape{size()};
    for (const std::size_t extent : input) shape.push_back(extent);
    inputs.reshape(shape);
    return true;
  }
};

// Where Debian's dataset-fashion-mnist package puts the files.
inline constexpr const char* kFashionMnistDir = "/usr/share/datasets/fashion-mnist";

// Fashion-MNIST's "train" (60000 images) or "test" (10000 images) split from dir, which holds
// train-images-idx3-ubyte.gz and its siblings (gzip-compressed or not). Pixels are scaled to
// [0, 1]; inputs are [N, 784] when flatten, else [N, 1, 28, 28]; labels are the classes 0..9.
// A missing or malformed file throws DataError; an unknown split throws std::invalid_argument.
template <FloatingScalar T>
Dataset<T> load_fashion_mnist(std::string_view split, const std::filesystem::path& dir = kFashionMnistDir,
                              bool flatten = true);

extern template struct Dataset<float>;
extern template struct Dataset<double>;
extern template Dataset<float> load_fashion_mnist(std::string_view, const std::filesystem::path&, bool);
extern template Dataset<double> load_fashion_mnist(std::string_view, const std::filesystem::path&, bool);

}  // namespace netdim::data
