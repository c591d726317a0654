#include "cli/peak_memory.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace netdim::cli {

bool reset_peak_memory() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

std::optional<std::size_t> peak_memory() {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string key;
    std::size_t kib = 0;
    if (fields >> key >> kib && key == "VmHWM:") return kib * 1024;
  }
  return std::nullopt;
}

}  // namespace netdim::cli
