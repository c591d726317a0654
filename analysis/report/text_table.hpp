// A plain-text table with aligned columns, for the command's human-readable
// output: two spaces between columns, numbers right-aligned, no trailing spaces.
#pragma once

#include <string>
#include <vector>

namespace netdim::analysis::report {

class TextTable {
 public:
  // One flag per column: true aligns the column to the right (numbers).
  TextTable(std::vector<std::string> header, std::vector<bool> right_aligned);
  // Throws std::invalid_argument when the row has another number of cells than the header.
  void add_row(std::vector<std::string> cells);
  std::string str() const;  // the header, then the rows, each ending in a newline

 private:
  std::vector<std::vector<std::string>> rows_;  // rows_[0] is the header
  std::vector<bool> right_;
};

}  // namespace netdim::analysis::report
