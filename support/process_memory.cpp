#include "netdim/support/process_memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <sstream>
#include <string>

namespace netdim::support {

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

// What is left under a limit of `limit` bytes when `used` are taken (0 when none is left).
std::size_t left_under(std::size_t limit, std::optional<std::size_t> used) {
  return used && *used < limit ? limit - *used : (used ? 0 : limit);
}

// A cgroup v2 number ("max" is no limit), from the process's own cgroup directory.
std::optional<std::size_t> cgroup_number(const std::string& directory, const char* file) {
  std::ifstream in(directory + "/" + file);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    return static_cast<std::size_t>(std::stoull(text));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The cgroup v2 memory limit minus what the group uses, if the process is under one.
std::optional<std::size_t> cgroup_left() {
  std::ifstream in("/proc/self/cgroup");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("0::", 0) != 0) continue;  // the v2 hierarchy
    const std::string directory = "/sys/fs/cgroup" + line.substr(3);
    const auto limit = cgroup_number(directory, "memory.max");
    if (!limit) return std::nullopt;
    return left_under(*limit, cgroup_number(directory, "memory.current"));
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::size_t> available_memory() {
  std::optional<std::size_t> available = proc_kib_field("/proc/meminfo", "MemAvailable:");
  const auto lower = [&](std::size_t v) { available = available ? std::min(*available, v) : v; };
  // An address-space or data limit (ulimit -v, ulimit -d) ends allocations long before the
  // machine runs out: OpenBLAS then spins in its buffer allocation instead of failing.
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    lower(left_under(limit.rlim_cur, proc_kib_field("/proc/self/status", "VmSize:")));
  if (::getrlimit(RLIMIT_DATA, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    lower(left_under(limit.rlim_cur, proc_kib_field("/proc/self/status", "VmData:")));
  if (const auto left = cgroup_left()) lower(*left);
  return available;
}

void require_memory(double bytes, const std::string& what, const std::string& lower_these) {
  const auto available = available_memory();
  if (!available || bytes <= 0.9 * double(*available)) return;
  char text[160];
  std::snprintf(text, sizeof text, "%s needs about %.2f GiB and %.2f GiB is available", what.c_str(),
                bytes / double(1ull << 30), double(*available) / double(1ull << 30));
  throw std::invalid_argument(std::string(text) + ": " + lower_these);
}

bool reset_peak_memory() {
  std::ofstream clear("/proc/self/clear_refs");
  if (!clear) return false;
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

std::optional<std::size_t> peak_memory() { return proc_kib_field("/proc/self/status", "VmHWM:"); }

}  // namespace netdim::support
