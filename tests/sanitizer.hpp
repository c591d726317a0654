// Whether this test binary (and the netdim it runs) is built with AddressSanitizer: ASan reserves
// terabytes of address space for its shadow memory, so tests that set an address-space limit
// (ulimit -v, RLIMIT_AS) cannot run under it, and scripts/test-sanitized skips them.
#pragma once

namespace netdim::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace netdim::testing
