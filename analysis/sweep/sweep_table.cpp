#include "analysis/sweep/sweep_table.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "analysis/spectral/esd_report.hpp"

namespace netdim::analysis {
namespace {

constexpr const char* kHeader = "activation,i,j,parameters,esd,stderr,samples";

std::string exact_number(double v) {
  if (std::isnan(v)) return "nan";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string identity_line(const SweepGrid& grid, const EsdProtocol& protocol) {
  return "# netdim sweep " + sweep_identity(grid, protocol).dump();
}

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
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error(file.string() + ": cannot read the sweep to resume");
  const std::vector<SweepNetwork> nets = sweep_networks(grid);
  std::map<std::tuple<std::string, std::size_t, std::size_t>, std::size_t> slot;
  for (std::size_t k = 0; k < nets.size(); ++k)
    slot[{std::string(nn::activation_name(nets[k].activation)), nets[k].i, nets[k].j}] = k;
  std::vector<std::optional<SweepRow>> rows(nets.size());
  const auto fail = [&](std::size_t line, const std::string& why) {
    throw std::runtime_error(file.string() + ":" + std::to_string(line) + ": " + why);
  };
  std::string line;
  if (!std::getline(in, line) || line.rfind("# netdim sweep ", 0) != 0)
    fail(1, "not a netdim sweep CSV (its first line names the sweep)");
  if (line != identity_line(grid, protocol))
    fail(1, "this CSV belongs to another sweep (different widths, activations or protocol flags); "
            "rerun with the same flags, or without --resume to start afresh");
  if (!std::getline(in, line) || line != kHeader) fail(2, std::string("expected the header '") + kHeader + "'");
  for (std::size_t number = 3; std::getline(in, line); ++number) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) f.push_back(field);
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
    if (!parse_double(f[4], r.esd) || std::isnan(r.esd)) fail(number, "the esd must be a finite number");
    if (!parse_double(f[5], r.stderr_of_mean)) fail(number, "the stderr must be a finite number or nan");
    if (!parse_size(f[6], r.samples) || r.samples == 0) fail(number, "the samples must be a positive integer");
    rows[at->second] = r;
  }
  return rows;
}

}  // namespace netdim::analysis
