#include "nn/process_memory.hpp"

#include <fstream>
#include <sstream>
#include <string>

namespace netdim::nn {

namespace {
// The "KEY: N kB" line of a /proc file, in bytes.
std::optional<std::size_t> proc_kib_field(const char* path, const std::string& key) {
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string name;
    std::size_t kib = 0;
    if (fields >> name >> kib && name == key) return kib * 1024;
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::size_t> available_memory() { return proc_kib_field("/proc/meminfo", "MemAvailable:"); }

bool reset_peak_memory() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

std::optional<std::size_t> peak_memory() { return proc_kib_field("/proc/self/status", "VmHWM:"); }

}  // namespace netdim::nn
