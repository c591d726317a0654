#include "netdim/analysis/report/text_table.hpp"

#include <algorithm>
#include <stdexcept>

namespace netdim::analysis::report {

TextTable::TextTable(std::vector<std::string> header, std::vector<bool> right_aligned)
    : right_(std::move(right_aligned)) {
  if (header.size() != right_.size())
    throw std::invalid_argument("text table: " + std::to_string(header.size()) + " columns but " +
                                std::to_string(right_.size()) + " alignment flags");
  rows_.push_back(std::move(header));
}

void TextTable::add_row(std::vector<std::string> cells) {
  if (cells.size() != right_.size())
    throw std::invalid_argument("text table: a row of " + std::to_string(cells.size()) + " cells in a table of " +
                                std::to_string(right_.size()) + " columns");
  rows_.push_back(std::move(cells));
}

std::string TextTable::str() const {
  std::vector<std::size_t> width(right_.size(), 0);
  for (const auto& row : rows_)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  std::string out;
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - row[c].size(), ' ');
      if (c > 0) line += "  ";
      line += right_[c] ? pad + row[c] : row[c] + pad;
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  return out;
}

}  // namespace netdim::analysis::report
