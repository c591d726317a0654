// The peak resident memory of this process over one stretch of work (Linux): reset
// the high-water mark, work, read it. How `netdim zoo` reports each network's peak.
#pragma once

#include <cstddef>
#include <optional>

namespace netdim::cli {

// Resets VmHWM to the current resident size (writes 5 to /proc/self/clear_refs).
// false where the kernel does not allow it; peaks then cover the process so far.
bool reset_peak_memory();

// VmHWM from /proc/self/status, in bytes; nullopt where there is none.
std::optional<std::size_t> peak_memory();

}  // namespace netdim::cli
