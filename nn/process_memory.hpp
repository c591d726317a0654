// This process's memory as Linux reports it: what is still available to allocate
// (checked before a long run or a dense projection allocates), and the peak resident size over a stretch
// of work (reset the high-water mark, work, read it), which `netdim zoo` reports per network.
#pragma once

#include <cstddef>
#include <optional>

namespace netdim::nn {

// MemAvailable from /proc/meminfo, in bytes; nullopt where there is none.
std::optional<std::size_t> available_memory();

// Resets VmHWM to the current resident size (writes 5 to /proc/self/clear_refs).
// false where the kernel does not allow it; peaks then cover the process so far.
bool reset_peak_memory();

// VmHWM from /proc/self/status, in bytes; nullopt where there is none.
std::optional<std::size_t> peak_memory();

}  // namespace netdim::nn
