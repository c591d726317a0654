// Showing bytes that came from a file inside a one-line error message: a .npy
// header key, a checkpoint's fingerprint. File contents may hold newlines,
// terminal escapes or megabytes of garbage; the message must stay one readable line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace netdim::support {

// Printable ASCII as it is, a backslash as \\, every other byte as \xNN; at most
// `max_bytes` bytes of the input are shown, then "..." if there were more.
std::string printable_excerpt(std::string_view bytes, std::size_t max_bytes = 64);

}  // namespace netdim::support
