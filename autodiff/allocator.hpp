// The memory behind every Tensor: a per-thread cache of large blocks.
//
// A training step or a Jacobian sweep frees and re-allocates the same set of
// buffer sizes over and over. Handed straight to malloc, large blocks go back
// to the kernel when freed and come back as fresh zeroed pages on the next
// step: thousands of page faults per step, as much time as the matrix
// products themselves. Keeping freed blocks in per-thread, size-classed free
// lists makes a reused tape reuse its memory too. Small blocks go to malloc.
#pragma once

#include <cstddef>
#include <new>

namespace netdim {

// 64-byte aligned storage of at least `bytes`.
void* pool_allocate(std::size_t bytes);
void pool_deallocate(void* p, std::size_t bytes) noexcept;
// Bytes currently held in this thread's cache (for tests and diagnostics).
std::size_t pool_cached_bytes() noexcept;
// Returns this thread's cached blocks to the system.
void pool_release() noexcept;

template <class T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() noexcept = default;
  template <class U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}  // NOLINT: allocators convert implicitly
  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(pool_allocate(n * sizeof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept { pool_deallocate(p, n * sizeof(T)); }
  template <class U>
  struct rebind {
    using other = PoolAllocator<U>;
  };
  friend bool operator==(const PoolAllocator&, const PoolAllocator&) { return true; }
  friend bool operator!=(const PoolAllocator&, const PoolAllocator&) { return false; }
};

}  // namespace netdim
