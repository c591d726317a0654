// Checkpoints: a model's flat parameters with its architecture's fingerprint.
// Loading refuses a checkpoint of another architecture. Saving goes through
// support::write_atomically, so an interrupted or failed save never leaves a
// broken checkpoint behind (a failure throws data::DataError naming the file).
#pragma once

#include <filesystem>
#include <stdexcept>

#include "netdim/nn/model.hpp"

namespace netdim::nn {

class CheckpointError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

template <FloatingScalar T>
void save_checkpoint(const std::filesystem::path& path, const Model<T>& model);

// Replaces the model's parameters with the checkpoint's. Throws CheckpointError
// of one line (naming the file) for a missing, truncated ("truncated: ...") or
// foreign file, another architecture, or a NaN or infinite parameter (naming its
// block, e.g. "dense1.weight[3]"); bytes quoted from the file are escaped.
template <FloatingScalar T>
void load_checkpoint(const std::filesystem::path& path, Model<T>& model);

extern template void save_checkpoint(const std::filesystem::path&, const Model<float>&);
extern template void save_checkpoint(const std::filesystem::path&, const Model<double>&);
extern template void load_checkpoint(const std::filesystem::path&, Model<float>&);
extern template void load_checkpoint(const std::filesystem::path&, Model<double>&);

}  // namespace netdim::nn
