// The --data option of the commands that train a classifier (intrinsic,
// intrinsic-load): Fashion-MNIST from Debian's dataset-fashion-mnist, shaped
// for the network's input ([784] or [1, 28, 28]), or four .npy files
// Xtrain,ytrain,Xtest,ytest (inputs of any numeric dtype, integer labels).
#pragma once

#include <string>
#include <utility>

#include "nn/data/dataset.hpp"

namespace netdim::cli {

// Train and test sets as float32, each cut to its first `*_limit` examples (0: all).
// Throws std::runtime_error or data::DataError (one line) for data that is missing or does not fit.
std::pair<data::Dataset<float>, data::Dataset<float>> load_classification_data(const std::string& spec,
                                                                               const Shape& input_shape,
                                                                               std::size_t train_limit = 0,
                                                                               std::size_t test_limit = 0);

}  // namespace netdim::cli
