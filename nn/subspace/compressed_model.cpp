#include "nn/subspace/compressed_model.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "nn/data/atomic_write.hpp"
#include "nn/data/data_error.hpp"
#include "nn/subspace/subspace_training.hpp"

namespace netdim::subspace {

namespace {
constexpr const char* kMagic = "netdim-subspace 1";
}

void save_compressed(const std::filesystem::path& path, const CompressedModel& m) {
  std::ostringstream os;
  os << kMagic << "\nfingerprint " << m.fingerprint << "\nprojection " << projection_name(m.projection)
     << "\ninit_seed " << m.init_seed << "\nprojection_seed " << m.projection_seed << "\nparameters " << m.parameters
     << "\ndimension " << m.coordinates.size() << "\n";
  char buf[32];
  for (const float v : m.coordinates) {
    std::snprintf(buf, sizeof buf, "%.9g\n", static_cast<double>(v));
    os << buf;
  }
  data::write_text_atomically(path, os.str());
}

CompressedModel load_compressed(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw data::DataError(path, "cannot read the file");
  const auto bad = [&](const std::string& what) { return data::DataError(path, "not a netdim subspace model: " + what); };
  std::string line;
  if (!std::getline(in, line) || line != kMagic) throw bad("no '" + std::string(kMagic) + "' header");
  const auto field = [&](const std::string& key) {
    std::string k, v;
    if (!std::getline(in, line)) throw bad("the file ends before '" + key + "'");
    std::istringstream ls(line);
    if (!(ls >> k >> v) || k != key) throw bad("expected '" + key + " VALUE', found '" + line + "'");
    return v;
  };
  const auto number = [&](const std::string& key) {
    const std::string v = field(key);
    std::uint64_t n = 0;
    const auto [end, error] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (error != std::errc() || end != v.data() + v.size()) throw bad(key + " '" + v + "' is not a 64-bit count");
    return n;
  };
  CompressedModel m;
  m.fingerprint = field("fingerprint");
  const std::string kind = field("projection");
  const auto projection = projection_from_name(kind);
  if (!projection) throw bad("unknown projection '" + kind + "'");
  m.projection = *projection;
  m.init_seed = number("init_seed");
  m.projection_seed = number("projection_seed");
  m.parameters = number("parameters");
  const std::uint64_t d = number("dimension");
  if (d == 0 || d > 1'000'000'000) throw bad("dimension " + std::to_string(d) + " out of range");
  m.coordinates.reserve(d);
  while (std::getline(in, line)) {
    char* end = nullptr;
    const float v = std::strtof(line.c_str(), &end);
    if (line.empty() || *end != '\0' || !std::isfinite(v)) throw bad("coordinate '" + line + "' is not a finite number");
    m.coordinates.push_back(v);
  }
  if (m.coordinates.size() != d)
    throw bad("it declares " + std::to_string(d) + " coordinates but holds " + std::to_string(m.coordinates.size()));
  return m;
}

Tensor<float> rebuild_parameters(const nn::Architecture& architecture, const CompressedModel& m) {
  if (architecture.fingerprint() != m.fingerprint)
    throw std::invalid_argument("the subspace model was saved for another architecture (fingerprint " + m.fingerprint +
                                ", this network's is " + architecture.fingerprint() + ")");
  const nn::Model<float> model(architecture, m.init_seed);
  if (model.parameter_count() != m.parameters)
    throw std::invalid_argument("the subspace model declares " + std::to_string(m.parameters) +
                                " parameters but the network has " + std::to_string(model.parameter_count()));
  Subspace<float> sub(model.parameters(),
                      make_projection<float>(m.projection, m.projection_seed, m.parameters, m.coordinates.size()));
  Tensor<float> d = Tensor<float>::from_shape({m.coordinates.size()});
  std::copy(m.coordinates.begin(), m.coordinates.end(), d.begin());
  sub.set_coordinates(std::move(d));
  return sub.parameters();
}

}  // namespace netdim::subspace
