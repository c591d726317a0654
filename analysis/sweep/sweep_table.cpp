#include "netdim/analysis/sweep/sweep_table.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "netdim/analysis/report/number_format.hpp"
#include "netdim/analysis/spectral/esd_report.hpp"
#include "netdim/support/fnv1a.hpp"
#include "netdim/support/line_reader.hpp"

namespace netdim::analysis {
namespace {

constexpr const char* kHeader = "activation,i,j,parameters,esd,stderr,samples";

std::string exact_number(double v) { return report::round_trip_or_nan(v); }

std::string identity_line(const SweepGrid& grid, const EsdProtocol& protocol) {
  return "# netdim sweep " + sweep_identity(grid, protocol).dump();
}

// What must agree for a resumed sweep to continue one: the identity without the spelling of the
// data's path (./d.npy is d.npy); the data itself is compared by its content hash.
nlohmann::ordered_json comparable(nlohmann::ordered_json identity) {
  // The stored line is outside bytes: any JSON, a number or an array included (found by fuzz_csv).
  if (!identity.is_object() || !identity.contains("protocol")) return identity;
  auto& p = identity["protocol"];
  if (p.is_object() && p.contains("inputs") && p["inputs"].is_string() &&
      p["inputs"].get<std::string>().rfind("data:", 0) == 0)
    p["inputs"] = "data";
  return identity;
}

// FNV-1a over the shape and the float64 values: a changed entry changes it.
std::string data_hash(const Tensor<double>& data) {
  support::Fnv1a64 hash;
  for (const std::size_t d : data.shape()) {
    const std::uint64_t v = d;
    hash.add(&v, sizeof v);
  }
  hash.add(data.data(), data.size() * sizeof(double));
  return hash.hex();
}

// A sweep CSV holds a few thousand rows of ~60 bytes; the bounds refuse anything else early.
constexpr std::uintmax_t kMaxSweepBytes = 256u << 20;
constexpr std::size_t kMaxSweepLine = 1u << 20;

// Strict parsing: the whole field, nothing else.
bool parse_size(const std::string& s, std::size_t& out) {
  if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 18) return false;
  out = std::stoull(s);
  return true;
}
bool parse_double(const std::string& s, double& out) {
  if (s == "nan") {
    out = std::nan("");
    return true;
  }
  std::size_t used = 0;
  try {
    out = std::stod(s, &used);
  } catch (const std::exception&) {
    return false;
  }
  return used == s.size() && std::isfinite(out);
}

}  // namespace

nlohmann::ordered_json sweep_identity(const SweepGrid& grid, const EsdProtocol& protocol) {
  nlohmann::ordered_json j;
  j["activations"] = nlohmann::ordered_json::array();
  for (nn::Activation a : grid.activations) j["activations"].push_back(std::string(nn::activation_name(a)));
  j["widths1"] = grid.widths1;
  j["widths2"] = grid.widths2;
  nlohmann::ordered_json p = protocol_json(protocol, 0);
  p.erase("points");  // it depends on each network: record the flag instead
  p["points"] = protocol.points == 0 ? nlohmann::ordered_json("min(m, 500)") : nlohmann::ordered_json(protocol.points);
  if (protocol.inputs == InputDistribution::Data && protocol.data) p["data_fnv1a64"] = data_hash(*protocol.data);
  j["protocol"] = p;
  return j;
}

std::string sweep_csv(const SweepGrid& grid, const EsdProtocol& protocol,
                      const std::vector<std::optional<SweepRow>>& rows) {
  std::ostringstream os;
  os << identity_line(grid, protocol) << '\n' << kHeader << '\n';
  for (const auto& r : rows) {
    if (!r) continue;
    os << nn::activation_name(r->network.activation) << ',' << r->network.i << ',' << r->network.j << ','
       << r->parameters << ',' << exact_number(r->esd) << ',' << exact_number(r->stderr_of_mean) << ','
       << r->samples << '\n';
  }
  return os.str();
}

nlohmann::ordered_json sweep_json(const SweepGrid& grid, const EsdProtocol& protocol,
                                  const std::vector<std::optional<SweepRow>>& rows) {
  nlohmann::ordered_json j;
  j["sweep"] = sweep_identity(grid, protocol);
  j["rows"] = nlohmann::ordered_json::array();
  for (const auto& r : rows) {
    if (!r) continue;
    nlohmann::ordered_json row;
    row["activation"] = std::string(nn::activation_name(r->network.activation));
    row["i"] = r->network.i;
    row["j"] = r->network.j;
    row["parameters"] = r->parameters;
    row["esd"] = r->esd;
    row["stderr"] = std::isfinite(r->stderr_of_mean) ? nlohmann::ordered_json(r->stderr_of_mean) : nlohmann::ordered_json(nullptr);
    row["samples"] = r->samples;
    j["rows"].push_back(std::move(row));
  }
  return j;
}

std::vector<std::optional<SweepRow>> read_sweep_csv(const std::filesystem::path& file, const SweepGrid& grid,
                                                    const EsdProtocol& protocol) {
  support::LineReader in(file, kMaxSweepBytes, kMaxSweepLine);
  const std::vector<SweepNetwork> nets = sweep_networks(grid);
  std::map<std::tuple<std::string, std::size_t, std::size_t>, std::size_t> slot;
  for (std::size_t k = 0; k < nets.size(); ++k)
    slot[{std::string(nn::activation_name(nets[k].activation)), nets[k].i, nets[k].j}] = k;
  std::vector<std::optional<SweepRow>> rows(nets.size());
  const auto fail = [&](std::size_t line, const std::string& why) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + why);
  };
  std::string line;
  if (!in.next(line) || line.rfind("# netdim sweep ", 0) != 0)
    fail(1, "not a netdim sweep CSV (its first line names the sweep)");
  const nlohmann::ordered_json stored =
      nlohmann::ordered_json::parse(line.substr(std::string("# netdim sweep ").size()), nullptr, false);
  if (stored.is_discarded() || comparable(stored) != comparable(sweep_identity(grid, protocol)))
    fail(1, "this CSV belongs to another sweep (different widths, activations, protocol flags or --inputs data); "
            "rerun with the same flags and data, or without --resume to start afresh");
  if (!in.next(line) || line != kHeader) fail(2, std::string("expected the header '") + kHeader + "'");
  while (in.next(line)) {
    const std::size_t number = in.line_number();
    if (in.last_line_unterminated()) fail(number, "the last row ends without a newline (a cut-off file)");
    const std::vector<std::string> f = support::split_fields(line, ',');
    if (f.size() != 7) fail(number, "expected 7 comma-separated fields, got " + std::to_string(f.size()));
    SweepRow r;
    std::size_t i = 0, j = 0;
    if (!parse_size(f[1], i) || !parse_size(f[2], j)) fail(number, "the widths must be positive integers");
    const auto at = slot.find({f[0], i, j});
    if (at == slot.end()) fail(number, "network " + f[0] + " " + f[1] + "x" + f[2] + " is not in this sweep");
    if (rows[at->second]) fail(number, "network " + f[0] + " " + f[1] + "x" + f[2] + " appears twice");
    r.network = nets[at->second];
    if (!parse_size(f[3], r.parameters) || r.parameters != sweep_architecture(r.network).parameter_count())
      fail(number, "the parameter count does not match the network");
    // Only what a run with these flags could have written: an effective rank lies in
    // [0, parameters], and a finished network has all its samples (or, with --until-stderr,
    // between the 5 the rule needs and the most allowed).
    if (!parse_double(f[4], r.esd) || std::isnan(r.esd) || r.esd < 0 || r.esd > double(r.parameters))
      fail(number, "the esd must be a number in [0, " + std::to_string(r.parameters) + "], the network's parameters");
    if (!parse_double(f[5], r.stderr_of_mean) || r.stderr_of_mean < 0)
      fail(number, "the stderr must be a non-negative number or nan");
    if (!parse_size(f[6], r.samples) || r.samples == 0) fail(number, "the samples must be a positive integer");
    const bool until = protocol.until_stderr > 0;
    if (until ? r.samples > protocol.samples : r.samples != protocol.samples)
      fail(number, std::to_string(r.samples) + " samples, but this sweep takes " +
                       (until ? "at most " : "") + std::to_string(protocol.samples) + " per network");
    rows[at->second] = r;
  }
  return rows;
}

}  // namespace netdim::analysis
