// The --data option of the commands that train a classifier (train, intrinsic,
// intrinsic-load), in one place:
//   fashion-mnist                      Debian's dataset-fashion-mnist (train and test)
//   noise                              random-noise 28x28 images with 10 random labels
//                                      (seed 003, section 5.1; a training set only), where offered
//   X.npy,y.npy                        one set: training only, or split into training and
//                                      test (every fifth row held out) where a test set is needed
//   Xtrain.npy,ytrain.npy,Xtest.npy,ytest.npy
// .npy inputs of any numeric dtype, [N, ...] with N >= 1, every entry finite and within the
// training dtype's range (1e300 does not fit float32); labels [N], integers in 0..1,000,000.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "netdim/nn/data/dataset.hpp"

namespace netdim::cli {

struct DataRequest {
  std::string spec = "fashion-mnist";
  std::filesystem::path fashion_mnist_dir = data::kFashionMnistDir;
  // Every set's inputs reshaped to [N, input_shape] (the sizes must match); none: as read
  // (Fashion-MNIST as [N, 1, 28, 28]).
  std::optional<Shape> input_shape;
  // How many images `noise` gives; 0 when the command does not offer noise.
  std::size_t noise_images = 0;
  std::uint64_t noise_seed = 0;
  // X.npy,y.npy: hold out every fifth row (rows 5, 10, 15, ... counting from 1) as the test set.
  bool hold_out_from_pair = false;
  // The first N training / test examples (0: all); more than there are is an error.
  std::size_t train_limit = 0, test_limit = 0;
  std::string train_limit_flag = "--train-limit";  // its name in errors (train calls it --train-subset)
};

template <FloatingScalar T>
struct ClassificationData {
  data::Dataset<T> train;
  std::optional<data::Dataset<T>> test;
  std::string description;  // for reports: what was read, how it was split and cut
};

// Throws std::invalid_argument (bad spec or limit), std::runtime_error (missing
// Fashion-MNIST, naming the package) or data::DataError (a bad file: no rows, a NaN or
// infinite or out-of-range entry named by its index, labels that do not match), each one line.
template <FloatingScalar T>
ClassificationData<T> load_classification_data(const DataRequest& request);

// The .npy files a --data spec names (none for fashion-mnist or noise), so that a command can
// check its outputs against them before any work.
std::vector<std::string> data_spec_files(const std::string& spec);

extern template ClassificationData<float> load_classification_data(const DataRequest&);
extern template ClassificationData<double> load_classification_data(const DataRequest&);

}  // namespace netdim::cli
