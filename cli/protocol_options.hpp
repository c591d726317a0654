// The sampling protocol flags that `netdim esd`, `spectrum` and `dims` share
// (analysis/spectral/esd.hpp): every choice seed 003 leaves open is a flag with a
// documented default, validated while parsing.
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "netdim/analysis/spectral/esd.hpp"

namespace netdim::cli {

struct ProtocolFlags {
  std::size_t samples = 100, points = 0, columns = 0, threads = 0;
  std::string init = "network", inputs = "uniform", reduce = "first", dtype = "float64";
  std::string params;  // --params: a .npy vector or an .onnx model's weights; "" draws them
  std::uint64_t seed = 0;
  double until_stderr = 0;
  CLI::Option* samples_option = nullptr;  // to tell a --samples given from the default
  CLI::Option* init_option = nullptr;     // --init, which --params excludes
};

// Which flags a command takes: spectrum draws one sample, so it has no --samples,
// --until-stderr or mean reduction; zoo surveys many networks, each at its own initialisers,
// under a list of reductions of its own, so it has no --until-stderr, --init or --reduce, and
// its --inputs is a distribution. A survey's defaults are the flags' values when declared.
enum class ProtocolUse { Sampling, OneSample, Survey };

void add_protocol_flags(CLI::App& app, ProtocolFlags& flags, ProtocolUse use);

// The protocol the flags ask for; reads a --inputs .npy file (one-line errors).
// threads 0 means every core.
analysis::EsdProtocol protocol_from(const ProtocolFlags& flags);

// The input distribution --inputs names (uniform, sign or normal; Data for a .npy file).
analysis::InputDistribution input_distribution_from(const ProtocolFlags& flags);

// --params FILE, for the commands that analyse one network file (esd, spectrum, dims): after
// add_protocol_flags, which it needs for --init (the two exclude each other).
void add_params_flag(CLI::App& app, ProtocolFlags& flags);

// --params, when given: the parameters every sample is at, read for `network` (one-line errors).
void set_given_parameters(analysis::EsdProtocol& protocol, const ProtocolFlags& flags, const nn::Architecture& network);

// The .npy file --inputs names, or "" when it names a distribution (uniform, sign, normal).
std::string protocol_input_file(const ProtocolFlags& flags);

}  // namespace netdim::cli
