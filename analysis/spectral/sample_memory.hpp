// How much memory one ESD sample takes, estimated before anything is allocated, and
// the check that it fits: on a 2-core, 24 GiB machine a resnet or a densenet at
// 224x224 with a few hundred points would not, and a run should say so at once
// (with what to lower) instead of being killed an hour in.
#pragma once

#include <cstddef>
#include <optional>

#include "netdim/support/process_memory.hpp"
#include "netdim/analysis/spectral/esd.hpp"
#include "netdim/nn/architecture.hpp"

namespace netdim::analysis {

// The rows of J one chunk of the column route holds at once: at most this many bytes.
inline constexpr std::size_t kJacobianChunkBytes = std::size_t{256} << 20;

// Each thread that runs a sample also holds OpenBLAS's per-thread buffer (BUFFER_SIZE, 32 MiB on
// x86-64) and its own stack (8 MiB): under an address-space limit these are what OpenBLAS spins
// on (in blas_memory_alloc) when they do not fit, so the check counts them.
inline constexpr std::size_t kSampleThreadBytes = std::size_t{40} << 20;

// An upper estimate of one sample's peak bytes under `protocol` (by its route,
// esd.hpp): the parameters and their draw, the activations and cotangents the
// batched sweep keeps for the points it holds at once, and the Jacobian, Gram or
// column matrices.
std::size_t sample_bytes(const nn::Architecture& architecture, const EsdProtocol& protocol);

// Throws std::invalid_argument when `threads` samples side by side (each sample_bytes plus
// kSampleThreadBytes) would need more than 90% of `available` bytes (default: support::available_memory(), no check without one),
// naming the estimate and the flags that lower it.
void check_sample_memory(const nn::Architecture& architecture, const EsdProtocol& protocol,
                         std::optional<std::size_t> available = support::available_memory());

}  // namespace netdim::analysis
