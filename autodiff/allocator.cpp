#include "netdim/autodiff/allocator.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace netdim {
namespace {

constexpr std::size_t kAlignment = 64;
constexpr std::size_t kSmall = 32 * 1024;               // below this, malloc does well
constexpr std::size_t kCacheLimit = std::size_t{1} << 30;  // per thread
constexpr int kSubSteps = 4;                            // classes per power of two: waste <= 25%
constexpr int kClasses = 64 * kSubSteps;
constexpr std::size_t kMaxBytes = PTRDIFF_MAX;  // class_bytes(size_class(b)) <= 2^63 for every b up to this

// Size class of a large request, and the bytes every block of that class holds.
int size_class(std::size_t bytes) {
  const int exponent = std::bit_width(bytes - 1) - 1;  // 2^exponent < bytes <= 2^(exponent+1)
  const std::size_t base = std::size_t{1} << exponent;
  const std::size_t step = base / kSubSteps;
  const int sub = static_cast<int>((bytes - base + step - 1) / step) - 1;  // 0..kSubSteps-1
  return exponent * kSubSteps + sub;
}

std::size_t class_bytes(int c) {
  const std::size_t base = std::size_t{1} << (c / kSubSteps);
  return base + (base / kSubSteps) * static_cast<std::size_t>(c % kSubSteps + 1);
}

// Set once this thread's cache is destroyed (at thread exit): tensors that outlive
// it, such as static ones freed after main returns, bypass the cache. A plain
// bool is trivially destructible, so it stays readable to the very end.
thread_local bool t_cache_gone = false;

struct ThreadCache {
  std::array<std::vector<void*>, kClasses> free;
  std::size_t cached = 0;
  void release() noexcept {
    for (auto& list : free) {
      for (void* p : list) std::free(p);
      list.clear();
    }
    cached = 0;
  }
  ~ThreadCache() {
    release();
    t_cache_gone = true;
  }
};

ThreadCache& cache() {
  thread_local ThreadCache c;
  return c;
}

void* aligned(std::size_t bytes) {
  void* p = std::aligned_alloc(kAlignment, (bytes + kAlignment - 1) / kAlignment * kAlignment);
  if (!p) throw std::bad_alloc();
  return p;
}

}  // namespace

void* pool_allocate(std::size_t bytes) {
  // No object can be larger than the largest pointer difference (std::allocator's
  // rule too); refusing here also keeps the size class and the alignment
  // rounding below from wrapping a huge request into a tiny block.
  if (bytes > kMaxBytes) throw std::bad_alloc();
  if (bytes == 0) bytes = 1;
  if (bytes < kSmall || t_cache_gone) return aligned(bytes);
  const int c = size_class(bytes);
  ThreadCache& tc = cache();
  auto& list = tc.free[static_cast<std::size_t>(c)];
  if (!list.empty()) {
    void* p = list.back();
    list.pop_back();
    tc.cached -= class_bytes(c);
    return p;
  }
  return aligned(class_bytes(c));
}

void pool_deallocate(void* p, std::size_t bytes) noexcept {
  if (!p) return;
  if (bytes == 0) bytes = 1;
  if (bytes < kSmall || t_cache_gone) return std::free(p);
  const int c = size_class(bytes);
  ThreadCache& tc = cache();
  if (tc.cached + class_bytes(c) > kCacheLimit) return std::free(p);
  try {
    tc.free[static_cast<std::size_t>(c)].push_back(p);
    tc.cached += class_bytes(c);
  } catch (...) {
    std::free(p);  // no room to remember it: give it back
  }
}

std::size_t pool_cached_bytes() noexcept { return t_cache_gone ? 0 : cache().cached; }
void pool_release() noexcept {
  if (!t_cache_gone) cache().release();
}

}  // namespace netdim
