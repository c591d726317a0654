// The tensor block cache: freed large blocks are reused, small ones are not kept,
// and a tensor that outlives the cache (a static one) is still freed safely.
#include <doctest/doctest.h>

#include <thread>

#include "netdim/autodiff/tensor.hpp"

using namespace netdim;

namespace {
// Large enough for the cache, destroyed after main's thread-local cache.
const Tensor<double> g_static_large = Tensor<double>(Shape{100000}, 1.0);
}  // namespace

TEST_CASE("large blocks are reused, small ones go back to malloc") {
  pool_release();
  CHECK(pool_cached_bytes() == 0);
  const double* first = nullptr;
  {
    Tensor<double> big(Shape{50000}, 0.0);
    first = big.data();
  }
  CHECK(pool_cached_bytes() >= 50000 * sizeof(double));
  {
    Tensor<double> again(Shape{49900}, 2.0);  // same size class (classes are 25% apart)
    CHECK(again.data() == first);
    CHECK(pool_cached_bytes() == 0);
  }
  { Tensor<double> small(Shape{10}, 0.0); }
  CHECK(pool_cached_bytes() >= 49900 * sizeof(double));
  pool_release();
  CHECK(pool_cached_bytes() == 0);
  CHECK(g_static_large(0) == 1.0);
}

TEST_CASE("a block freed on another thread is safe") {
  pool_release();
  auto* t = new Tensor<double>(Shape{60000}, 3.0);
  const double* block = t->data();
  std::size_t cached_there = 0;
  bool reused_there = false;
  std::thread([&] {
    delete t;  // lands in that thread's cache ...
    cached_there = pool_cached_bytes();
    {
      Tensor<double> again(Shape{60000}, 1.0);  // ... which hands it out again there
      reused_there = again.data() == block;
    }
  }).join();  // ... and frees it when the thread ends (a leak here is a sanitizer failure)
  CHECK(cached_there >= 60000 * sizeof(double));
  CHECK(reused_there);
  CHECK(pool_cached_bytes() == 0);  // nothing moved into this thread's cache
}

TEST_CASE("alignment is 64 bytes for vectorised loops") {
  Tensor<float> a(Shape{70000}, 0.f), b(Shape{3}, 0.f);
  CHECK(reinterpret_cast<std::uintptr_t>(a.data()) % 64 == 0);
  CHECK(reinterpret_cast<std::uintptr_t>(b.data()) % 64 == 0);
}
