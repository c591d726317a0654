// A model trained in a random subspace, stored compressed (seed 002): the
// architecture's fingerprint, the seeds of theta0 and of P, and the d learned
// coordinates; nothing of the D parameters. The parameters are rebuilt exactly
// as training left them: theta0 from the model's initialisers and its seed, P
// from (projection seed, D, d), theta = theta0 + P d. The fingerprint covers
// everything theta0 depends on (the layers and their initialisers); the file's
// checksum covers every byte before it.
//
// The file is text, LF line endings only (format 2; format 1 had no checksum):
//   netdim-subspace 2
//   fingerprint 16 hex digits          nn::Architecture::fingerprint()
//   projection dense|sparse|fastfood
//   init_seed N                        decimal, no leading zeros
//   projection_seed N
//   parameters D
//   dimension d                        1 <= d <= D
//   initialiser LAYER weight_init=he bias_init=zeros    zero or more: the layers whose
//                                      initialisers are not the default, only to say what
//                                      differs when another network is given
//   d coordinates, one per line, as %.9g writes them (float32 round-trips exactly)
//   checksum fnv1a64 16 hex digits     FNV-1a 64 of every byte before this line
// Reading is bounded: a regular file only, its size checked against what the header
// allows before the coordinates are read, every line at most 4096 bytes. Anything else
// (CRLF, hex floats, nan, trailing characters, a missing final newline, duplicate or
// unknown keys, d against D or the coordinate count, a wrong checksum) is refused with
// one line naming the file and the line.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "netdim/nn/model.hpp"
#include "netdim/nn/subspace/projection.hpp"

namespace netdim::nn::subspace {

// One layer whose initialisers are not the default: its name as the file holds it
// (bytes outside ! to ~ and '%' as %XX, cut to 1000 bytes) and what
// Architecture::describe() adds for it ("weight_init=he bias_init=zeros").
struct LayerInitialisers {
  std::string layer, initialisers;
  bool operator==(const LayerInitialisers&) const = default;
};

struct CompressedModel {
  std::string fingerprint;  // nn::Architecture::fingerprint()
  ProjectionKind projection = ProjectionKind::Fastfood;
  std::uint64_t init_seed = 0, projection_seed = 0;
  std::size_t parameters = 0;      // D
  std::vector<float> coordinates;  // d
  std::vector<LayerInitialisers> initialisers;
};

// The fingerprint, D and the initialisers of `architecture`; the caller sets the rest.
CompressedModel compressed_model_of(const nn::Architecture& architecture);
// The layers of `architecture` whose initialisers are not the default, in order.
std::vector<LayerInitialisers> non_default_initialisers(const nn::Architecture& architecture);

// Written atomically; throws data::DataError naming the file when it cannot be (or when
// the model could not be read back: no 16-digit fingerprint, d = 0 or d > D, a
// coordinate that is not finite).
void save_compressed(const std::filesystem::path& path, const CompressedModel& m);
// Throws data::DataError naming the file (and the line) for a missing, foreign, older,
// edited or damaged one.
CompressedModel load_compressed(const std::filesystem::path& path);
// The same, and saved from this network: throws data::DataError saying what differs
// (an initialiser on a named layer, the layers, D).
CompressedModel load_compressed(const std::filesystem::path& path, const nn::Architecture& architecture);

// theta0 + P d for `architecture`, as training computed it. Throws
// std::invalid_argument when the architecture is not the one saved.
Tensor<float> rebuild_parameters(const nn::Architecture& architecture, const CompressedModel& m);

}  // namespace netdim::nn::subspace
