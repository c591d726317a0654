// How many threads OpenBLAS uses for one call. Process-wide (OpenBLAS has one
// setting), so a scope that needs a count sets it and puts the old one back.
// Work that runs several BLAS calls side by side in threads of its own (ESD
// samples in parallel) sets it to 1: each sample then sums in one fixed order,
// and results are bitwise the same at any thread count.
#pragma once

#include <algorithm>

namespace netdim {

int blas_threads();
void set_blas_threads(int threads);  // values below 1 are taken as 1

class BlasThreadsScope {
 public:
  // Only a real change calls OpenBLAS: threads running side by side may each open a
  // scope with the count already in force.
  explicit BlasThreadsScope(int threads) : previous_(blas_threads()), changed_(previous_ != std::max(threads, 1)) {
    if (changed_) set_blas_threads(threads);
  }
  ~BlasThreadsScope() {
    if (changed_) set_blas_threads(previous_);
  }
  BlasThreadsScope(const BlasThreadsScope&) = delete;
  BlasThreadsScope& operator=(const BlasThreadsScope&) = delete;

 private:
  int previous_;
  bool changed_;
};

}  // namespace netdim
