#include "netdim/analysis/experiments/published_errors.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "netdim/nn/data/data_error.hpp"
#include "netdim/support/quote.hpp"
#include "netdim/support/line_reader.hpp"

namespace netdim::analysis {
namespace {

// A table of a few hundred networks is a few KB; /dev/zero or a 50 GB sparse file is refused
// before it fills the memory.
constexpr std::uintmax_t kMaxErrorsBytes = 16u << 20;
constexpr std::size_t kMaxErrorsLine = 4096;

// A plain decimal in [0, 100]: from_chars takes no spaces, no hex, no "nan", no locale.
bool percentage(const std::string& text, double& v) {
  const char* end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, v);
  return !text.empty() && ec == std::errc() && stop == end && std::isfinite(v) && v >= 0 && v <= 100;
}

}  // namespace

std::map<std::string, PublishedErrors> read_published_errors(const std::filesystem::path& path) {
  std::map<std::string, PublishedErrors> table;
  std::vector<std::string> header;
  support::LineReader in(path, kMaxErrorsBytes, kMaxErrorsLine);
  for (std::string line; in.next(line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();  // a table saved on Windows
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = support::split_fields(line, ',');
    const std::string where = path.string() + ":" + std::to_string(in.line_number()) + ": ";
    if (header.empty()) {
      header = fields;
      for (const char* need : {"name", "top1_error", "top5_error"})
        if (std::find(header.begin(), header.end(), need) == header.end())
          throw std::invalid_argument(where + "the header has no '" + need + "' column");
      continue;
    }
    if (fields.size() != header.size())
      throw std::invalid_argument(where + std::to_string(fields.size()) + " fields, the header has " +
                                  std::to_string(header.size()));
    std::string name;
    PublishedErrors e;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (header[i] == "name") name = fields[i];
      if (header[i] != "top1_error" && header[i] != "top5_error") continue;
      double v = 0;
      if (!percentage(fields[i], v))
        throw std::invalid_argument(where + header[i] + " '" + support::printable_excerpt(fields[i], 40) +
                                    "' is not a percentage in [0, 100]");
      (header[i] == "top1_error" ? e.top1 : e.top5) = v;
    }
    if (!table.emplace(name, e).second)
      throw std::invalid_argument(where + "'" + support::printable_excerpt(name, 80) + "' appears twice");
  }
  if (header.empty()) throw data::DataError(path, "the errors table is empty");
  return table;
}

}  // namespace netdim::analysis
