// A sweep's rows on disk and for scripts. The CSV starts with one comment line that
// names the sweep (its grid and ESD protocol as JSON), so `netdim sweep --resume`
// can tell its own file from another sweep's; then
//   activation,i,j,parameters,esd,stderr,samples
// one row per finished network in sweep order, numbers with 17 significant digits
// (a resumed sweep writes the same bytes as one run straight through).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "netdim/analysis/sweep/width_sweep.hpp"

namespace netdim::analysis {

// {"activations", "widths1", "widths2", "protocol"}: what makes two sweeps the same.
nlohmann::ordered_json sweep_identity(const SweepGrid& grid, const EsdProtocol& protocol);

std::string sweep_csv(const SweepGrid& grid, const EsdProtocol& protocol,
                      const std::vector<std::optional<SweepRow>>& rows);

// {"sweep": identity, "rows": [{"activation", "i", "j", "parameters", "esd", "stderr", "samples"}]},
// finished rows only, in sweep order; stderr null below 2 samples.
nlohmann::ordered_json sweep_json(const SweepGrid& grid, const EsdProtocol& protocol,
                                  const std::vector<std::optional<SweepRow>>& rows);

// The finished rows of a CSV written by sweep_csv for this same sweep, one slot per
// network. Throws std::runtime_error "FILE:LINE: cause" for a file of another sweep
// (different flags), a malformed line, a row outside the grid or a repeated row.
std::vector<std::optional<SweepRow>> read_sweep_csv(const std::filesystem::path& file, const SweepGrid& grid,
                                                    const EsdProtocol& protocol);

}  // namespace netdim::analysis
