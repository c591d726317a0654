// The published top-1 and top-5 errors of the zoo's networks (`netdim zoo --errors`), read from
// a CSV: '#' comment lines, a header with name, top1_error and top5_error among its columns, then
// one row per network (examples/zoo/published_errors.csv). Outside bytes: the file is opened as
// a regular file only, at most 16 MiB, lines at most 4 KiB (support/line_reader).
#pragma once

#include <filesystem>
#include <limits>
#include <map>
#include <string>

namespace netdim::analysis {

struct PublishedErrors {
  double top1 = std::numeric_limits<double>::quiet_NaN(), top5 = std::numeric_limits<double>::quiet_NaN();
};

// By network name. Throws std::invalid_argument "FILE:LINE: cause" for a bad row (a percentage
// outside [0, 100] or not a plain decimal, a name twice, a field count unlike the header's),
// support::InputError for a file that cannot be read, and data::DataError for an empty table.
std::map<std::string, PublishedErrors> read_published_errors(const std::filesystem::path& path);

}  // namespace netdim::analysis
