#include "netdim/cli/protocol_options.hpp"

#include <thread>

#include "netdim/cli/network_file.hpp"
#include "netdim/cli/npy_input.hpp"
#include "netdim/cli/options.hpp"
#include "netdim/cli/reduce_option.hpp"

namespace netdim::cli {
namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "network", "pytorch", "he", "glorot", "normal[:SIGMA]", "uniform[:A]" (SIGMA, A > 0 and finite).
std::optional<nn::Initializer> initializer_named(const std::string& s, std::string* error) {
  const std::size_t colon = s.find(':');
  const std::string kind = s.substr(0, colon);
  double value = 1;
  if (colon != std::string::npos) {
    if (kind != "normal" && kind != "uniform") {
      *error = "only normal and uniform take a scale (normal:SIGMA, uniform:A), got '" + s + "'";
      return std::nullopt;
    }
    const std::string number = s.substr(colon + 1);
    if (!finite_in(0, 1e6, Ends::OpenLow)(number).empty()) {
      *error = "the scale in '" + s + "' must be a number in (0, 1e6]";
      return std::nullopt;
    }
    value = std::stod(number);
  }
  if (kind == "pytorch") return nn::Initializer::pytorch_default();
  if (kind == "he") return nn::Initializer::he();
  if (kind == "glorot") return nn::Initializer::glorot();
  if (kind == "normal") return nn::Initializer::normal(value);
  if (kind == "uniform") return nn::Initializer::uniform(value);
  *error = "must be network, pytorch, he, glorot, normal[:SIGMA] or uniform[:A], got '" + s + "'";
  return std::nullopt;
}

}  // namespace

void add_protocol_flags(CLI::App& app, ProtocolFlags& f, ProtocolUse use) {
  const bool survey = use == ProtocolUse::Survey;
  if (survey) {  // zoo: its defaults, its own list of reductions
    f.samples_option = app.add_option("--samples", f.samples,
                                      "samples per network and reduction (default " + std::to_string(f.samples) + ")");
    f.samples_option->transform(integer_in(1, 1000000));
  }
  if (use == ProtocolUse::Sampling) {
    f.samples_option = app.add_option("--samples", f.samples,
                   "lambda: samples, each new parameters and inputs (default 100; with --until-stderr, the most, "
                   "default 100000)");
    f.samples_option->transform(integer_in(1, 1000000));
    app.add_option("--until-stderr", f.until_stderr,
                   "keep sampling until the standard error of the ESD is at most E (at least 5 samples)")
        ->check(finite_in(0, 1e6, Ends::OpenLow));
  }
  app.add_option("--points", f.points,
                 survey ? "n: inputs per sample (default " + std::to_string(f.points) + ")"
                        : std::string("n: inputs per sample (default: the parameter count, at most 500)"))
      ->transform(integer_in(1, 100000));
  if (survey) {
    app.add_option("--inputs", f.inputs, "inputs: uniform (each entry in [-1, 1]), sign ({-1, 1}) or normal (default " +
                                             f.inputs + ")")
        ->check(CLI::IsMember({"uniform", "sign", "normal"}));
  } else {
    f.init_option = app.add_option("--init", f.init,
                   "parameters: network (each layer's own initialiser; PyTorch's defaults unless the .net sets one), "
                   "pytorch, he, glorot, normal[:SIGMA], uniform[:A] (default network)")
        ->check(CLI::Validator(
            [](const std::string& s) {
              std::string error;
              return s == "network" || initializer_named(s, &error) ? std::string() : error;
            },
            "INIT"));
    app.add_option("--inputs", f.inputs,
                   "inputs: uniform (each entry in [-1, 1], default), sign ({-1, 1}, section 3.3), normal, or a .npy "
                   "array [N, input...] of real inputs (n distinct rows drawn per sample)")
        ->check(CLI::Validator(
            [](const std::string& s) {
              return s == "uniform" || s == "sign" || s == "normal" || ends_with(s, ".npy")
                         ? std::string()
                         : "must be uniform, sign, normal or a .npy file, got '" + s + "'";
            },
            "uniform|sign|normal|FILE.npy"));
    app.add_option("--reduce", f.reduce,
                   use == ProtocolUse::Sampling
                       ? "several outputs: first (default), sum_squares, stack, output:K, or mean (the SD of each "
                         "output's Jacobian, averaged)"
                       : "several outputs: first (default), sum_squares, stack or output:K")
        ->check(reduction_validator(use == ProtocolUse::Sampling));
  }
  app.add_option("--columns", f.columns,
                 "K: use K random columns of J per sample (section 6; the paper: 1000000); 0, the default: all of "
                 "them, by the structured Gram")
      ->transform(integer_in(0, UINT32_MAX));
  app.add_option("--dtype", f.dtype, "float64 or float32 (default " + f.dtype + ")")
      ->check(CLI::IsMember({"float64", "float32"}));
  app.add_option("--seed", f.seed, "seed of every draw (default 0)")->transform(integer_in(0, UINT64_MAX));
  app.add_option("--threads", f.threads,
                 "threads (default: every core); the result is the same at any count")
      ->transform(integer_in(1, 1024));
}

analysis::InputDistribution input_distribution_from(const ProtocolFlags& f) {
  if (f.inputs == "sign") return analysis::InputDistribution::Sign;
  if (f.inputs == "normal") return analysis::InputDistribution::Normal;
  if (f.inputs == "uniform") return analysis::InputDistribution::Uniform;
  return analysis::InputDistribution::Data;
}

analysis::EsdProtocol protocol_from(const ProtocolFlags& f) {
  analysis::EsdProtocol p;
  p.samples = f.samples;
  p.points = f.points;
  std::string error;
  if (f.init != "network") p.init = initializer_named(f.init, &error);
  p.inputs = input_distribution_from(f);
  if (p.inputs == analysis::InputDistribution::Data) {
    p.data = read_finite_npy(f.inputs, "--inputs");
    p.data_source = f.inputs;
  }
  p.reduce = reduction_named(f.reduce);
  p.columns = f.columns;
  p.precision = f.dtype == "float32" ? analysis::Precision::Float32 : analysis::Precision::Float64;
  p.seed = f.seed;
  p.threads = f.threads != 0 ? f.threads : std::max(1u, std::thread::hardware_concurrency());
  p.until_stderr = f.until_stderr;
  if (p.until_stderr > 0 && f.samples_option && f.samples_option->count() == 0) p.samples = 100000;
  return p;
}

void add_params_flag(CLI::App& app, ProtocolFlags& f) {
  CLI::Option* params = app.add_option(
      "--params", f.params,
      "fix the parameters of every sample: a .npy vector in canonical order, or an .onnx model's own (trained) "
      "weights; only the inputs are drawn (default: each sample draws its parameters)");
  if (f.init_option) params->excludes(f.init_option);
}

void set_given_parameters(analysis::EsdProtocol& protocol, const ProtocolFlags& f, const nn::Architecture& network) {
  if (f.params.empty()) return;
  protocol.parameters = read_parameters(f.params, network, "--params");
  protocol.parameters_source = f.params;
}

std::string protocol_input_file(const ProtocolFlags& f) {
  return f.inputs == "uniform" || f.inputs == "sign" || f.inputs == "normal" ? std::string() : f.inputs;
}

}  // namespace netdim::cli
