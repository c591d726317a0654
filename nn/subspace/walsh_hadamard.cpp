#include "netdim/nn/subspace/walsh_hadamard.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <string>

namespace netdim::nn::subspace {
namespace {

// Stages are taken so that the data stays in cache: every stage whose butterflies
// stay inside a tile of kTile entries (fits in L1 for doubles) is done tile by
// tile, then the wider stages sweep the whole vector. Stages go two at a time
// (radix 4); from stride 4 up, each butterfly loop runs over contiguous
// a[0..h), b[0..h), c[0..h), d[0..h), which the compiler vectorises.
constexpr std::size_t kTile = 2048;

template <class T>
void radix4(T* v, std::size_t n) {
  for (std::size_t i = 0; i + 4 <= n; i += 4) {
    const T a = v[i], b = v[i + 1], c = v[i + 2], d = v[i + 3];
    const T ab = a + b, amb = a - b, cd = c + d, cmd = c - d;
    v[i] = ab + cd;
    v[i + 1] = amb + cmd;
    v[i + 2] = ab - cd;
    v[i + 3] = amb - cmd;
  }
}

// Stages with half-widths h in [h_begin, h_end) over v[0, n), two at a time
// (h and 2h fused into one radix-4 pass: half the loads and stores), then a
// last single stage when their number is odd.
template <class T>
void stages(T* __restrict v, std::size_t n, std::size_t h_begin, std::size_t h_end) {
  std::size_t h = h_begin;
  for (; 4 * h <= h_end; h *= 4) {
    for (std::size_t i = 0; i < n; i += 4 * h) {
      T* __restrict a = v + i;
      T* __restrict b = a + h;
      T* __restrict c = b + h;
      T* __restrict d = c + h;
      for (std::size_t j = 0; j < h; ++j) {
        const T ab = a[j] + b[j], amb = a[j] - b[j], cd = c[j] + d[j], cmd = c[j] - d[j];
        a[j] = ab + cd;
        b[j] = amb + cmd;
        c[j] = ab - cd;
        d[j] = amb - cmd;
      }
    }
  }
  if (h < h_end) {
    for (std::size_t i = 0; i < n; i += 2 * h) {
      T* __restrict a = v + i;
      T* __restrict b = a + h;
      for (std::size_t j = 0; j < h; ++j) {
        const T x = a[j], y = b[j];
        a[j] = x + y;
        b[j] = x - y;
      }
    }
  }
}

}  // namespace

template <class T>
void walsh_hadamard(std::span<T> v) {
  const std::size_t n = v.size();
  if (n == 0 || !std::has_single_bit(n))
    throw std::invalid_argument("walsh_hadamard: the length " + std::to_string(n) + " is not a power of two");
  T* p = v.data();
  if (n == 1) return;
  if (n == 2) {
    const T a = p[0], b = p[1];
    p[0] = a + b;
    p[1] = a - b;
    return;
  }
  const std::size_t tile = std::min(n, kTile);
  for (std::size_t t = 0; t < n; t += tile) {
    radix4(p + t, tile);
    stages(p + t, tile, 4, tile);
  }
  stages(p, n, tile, n);
}

template void walsh_hadamard(std::span<float>);
template void walsh_hadamard(std::span<double>);

}  // namespace netdim::nn::subspace
