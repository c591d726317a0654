// This process's memory as Linux reports it: what is still available to allocate
// (checked before a long run or a dense projection allocates), and the peak resident size over a stretch
// of work (reset the high-water mark, work, read it), which `netdim zoo` reports per network.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

namespace netdim::support {

// What this process can still allocate, in bytes: the least of MemAvailable (/proc/meminfo), what
// is left under RLIMIT_AS and RLIMIT_DATA (ulimit -v, -d) and under the cgroup's limit (v2
// memory.max, v1 memory.limit_in_bytes); nullopt where none of them is known.
std::optional<std::size_t> available_memory();

// What is left under the memory limits of the groups that `proc_self_cgroup` (the text of
// /proc/self/cgroup) names, with the cgroup file systems mounted at `sysfs` (/sys/fs/cgroup;
// v1's memory controller at sysfs/memory): at the group and at each group above it, the limit
// less the usage that the kernel cannot drop (page cache on the inactive list is droppable), the
// least over v1 and v2; nullopt when no group on the way has a limit.
std::optional<std::size_t> cgroup_memory_left(const std::string& proc_self_cgroup, const std::filesystem::path& sysfs);

// Throws std::invalid_argument "WHAT needs about X GiB and Y GiB is available: LOWER_THESE" unless
// `bytes` fit in 90% of available_memory() (no check where it is unknown).
void require_memory(double bytes, const std::string& what, const std::string& lower_these);

// Resets VmHWM to the current resident size (writes 5 to /proc/self/clear_refs).
// false where the kernel does not allow it; peaks then cover the process so far.
bool reset_peak_memory();

// VmHWM from /proc/self/status, in bytes; nullopt where there is none.
std::optional<std::size_t> peak_memory();

}  // namespace netdim::support
