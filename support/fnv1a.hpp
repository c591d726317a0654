// FNV-1a, 64 bits: the one hash netdim writes into files (an architecture's fingerprint, the
// checksum of a .sub file, the content hash of a sweep's --inputs data). Stable across runs,
// machines and compilers; not cryptographic, which none of them needs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace netdim::support {

class Fnv1a64 {
 public:
  void add(const void* bytes, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(bytes);
    for (std::size_t i = 0; i < n; ++i) {
      h_ ^= p[i];
      h_ *= 1099511628211ULL;
    }
  }
  void add(std::string_view bytes) { add(bytes.data(), bytes.size()); }

  std::uint64_t value() const { return h_; }
  // 16 lowercase hex digits.
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h_));
    return buf;
  }

 private:
  std::uint64_t h_ = 1469598103934665603ULL;
};

}  // namespace netdim::support
