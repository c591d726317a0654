#include "netdim/support/process_memory.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
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

// A cgroup number from `directory`/`file`: "max" (v2) or a v1 value of 2^62 or more is no limit.
std::optional<std::size_t> cgroup_number(const std::filesystem::path& directory, const char* file) {
  std::ifstream in(directory / file);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  try {
    const unsigned long long v = std::stoull(text);
    if (v >= (1ull << 62)) return std::nullopt;  // v1's "unlimited" is the page-rounded LONG_MAX
    return static_cast<std::size_t>(v);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// The group's directory under `mount`: its path from /proc/self/cgroup where that exists, else the
// mount itself (a container sees its own group at the mount's root).
std::filesystem::path group_directory(const std::filesystem::path& mount, const std::string& path) {
  const std::filesystem::path own = mount / std::filesystem::path(path).relative_path();
  std::error_code error;
  return std::filesystem::is_directory(own, error) ? own : mount;
}

// A "KEY N" line of a cgroup's memory.stat.
std::optional<std::size_t> stat_field(const std::filesystem::path& directory, const std::string& key) {
  std::ifstream in(directory / "memory.stat");
  std::string name;
  unsigned long long value = 0;
  while (in >> name >> value)
    if (name == key) return static_cast<std::size_t>(value);
  return std::nullopt;
}

// What is left under each limit from the group up to the mount (a parent's limit binds its
// children too): the limit less the usage, and the usage less the page cache the kernel can
// drop (inactive_file), as MemAvailable counts it.
void lower_along_the_path(const std::filesystem::path& mount, const std::filesystem::path& group, const char* limit_file,
                          const char* usage_file, const std::string& inactive_key,
                          const std::function<void(std::size_t)>& lower) {
  for (std::filesystem::path d = group;; d = d.parent_path()) {
    if (const auto limit = cgroup_number(d, limit_file)) {
      std::optional<std::size_t> used = cgroup_number(d, usage_file);
      if (used)
        if (const auto inactive = stat_field(d, inactive_key)) used = *used > *inactive ? *used - *inactive : 0;
      lower(left_under(*limit, used));
    }
    if (d == mount || d.parent_path() == d || d.string().size() <= mount.string().size()) break;
  }
}

}  // namespace

std::optional<std::size_t> cgroup_memory_left(const std::string& proc_self_cgroup, const std::filesystem::path& sysfs) {
  std::istringstream in(proc_self_cgroup);
  std::optional<std::size_t> left;
  const std::function<void(std::size_t)> lower = [&](std::size_t v) { left = left ? std::min(*left, v) : v; };
  for (std::string line; std::getline(in, line);) {
    // "ID:CONTROLLERS:PATH"; v2 is "0::PATH", v1's memory controller "N:memory:PATH" (or "N:a,memory:PATH").
    const std::size_t first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    std::string controllers(1, ',');  // ",memory," matches the whole name only
    controllers.append(line, first + 1, second - first - 1).push_back(',');
    const std::string path = line.substr(second + 1);
    if (line.rfind("0::", 0) == 0) {
      lower_along_the_path(sysfs, group_directory(sysfs, path), "memory.max", "memory.current", "inactive_file", lower);
    } else if (controllers.find(",memory,") != std::string::npos) {
      const std::filesystem::path mount = sysfs / "memory";
      lower_along_the_path(mount, group_directory(mount, path), "memory.limit_in_bytes", "memory.usage_in_bytes",
                           "total_inactive_file", lower);
    }
  }
  return left;
}

namespace {

std::optional<std::size_t> cgroup_left() {
  std::ifstream in("/proc/self/cgroup");
  std::stringstream text;
  text << in.rdbuf();
  return cgroup_memory_left(text.str(), "/sys/fs/cgroup");
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
