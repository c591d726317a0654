// A model trained in a random subspace, stored compressed (seed 002): the
// architecture's fingerprint, the seeds of theta0 and of P, and the d learned
// coordinates; nothing of the D parameters. The parameters are rebuilt exactly
// as training left them: theta0 from the model's initialiser and its seed, P
// from (projection seed, D, d), theta = theta0 + P d.
//
// The file is text: a header of "key value" lines, then one coordinate per
// line with 9 significant digits (float32 round-trips exactly).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

#include "nn/model.hpp"
#include "nn/subspace/projection.hpp"

namespace netdim::subspace {

struct CompressedModel {
  std::string fingerprint;  // nn::Architecture::fingerprint()
  ProjectionKind projection = ProjectionKind::Fastfood;
  std::uint64_t init_seed = 0, projection_seed = 0;
  std::size_t parameters = 0;      // D
  std::vector<float> coordinates;  // d
};

// Written atomically; throws data::DataError naming the file when it cannot be.
void save_compressed(const std::filesystem::path& path, const CompressedModel& m);
// Throws data::DataError naming the file for a missing, foreign or damaged one.
CompressedModel load_compressed(const std::filesystem::path& path);

// theta0 + P d for `architecture`, as training computed it. Throws
// std::invalid_argument when the architecture is not the one saved.
Tensor<float> rebuild_parameters(const nn::Architecture& architecture, const CompressedModel& m);

}  // namespace netdim::subspace
