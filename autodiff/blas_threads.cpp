#include "netdim/autodiff/blas_threads.hpp"

#include <cblas.h>

namespace netdim {

int blas_threads() { return openblas_get_num_threads(); }

void set_blas_threads(int threads) { openblas_set_num_threads(threads < 1 ? 1 : threads); }

}  // namespace netdim
