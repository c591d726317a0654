#include "netdim/analysis/exact/exact_rank.hpp"

#include "netdim/analysis/exact/certified_rank.hpp"
#include "netdim/analysis/exact/flint_owners.hpp"

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>
#include <gmp.h>

#include <limits>
#include <stdexcept>
#include <string>

namespace netdim::analysis {
namespace {

template <class T>
void require_matrix(const Tensor<T>& m, const char* what) {
  if (m.dimension() != 2)
    throw std::invalid_argument(std::string(what) + ": expected a 2-D matrix, got shape " + shape_string(shape_of(m)));
  if (m.shape()[0] > static_cast<std::size_t>(std::numeric_limits<slong>::max()) ||
      m.shape()[1] > static_cast<std::size_t>(std::numeric_limits<slong>::max()))
    throw std::invalid_argument(std::string(what) + ": the matrix is too large");
}

using flint::IntegerMatrix;
using flint::ModularMatrix;
using MpzInteger = flint::MpzInteger;

}  // namespace

std::size_t exact_rank(const Tensor<Rational>& matrix) {
  require_matrix(matrix, "exact_rank");
  const std::size_t rows = matrix.shape()[0], cols = matrix.shape()[1];
  if (rows == 0 || cols == 0) return 0;
  IntegerMatrix a(static_cast<slong>(rows), static_cast<slong>(cols));
  MpzInteger lcm, entry;
  for (std::size_t i = 0; i < rows; ++i) {
    // Scaling a row by a nonzero number keeps the rank; the lcm of the row's
    // denominators is the smallest that makes every entry an integer.
    mpz_set_ui(lcm.z, 1);
    for (std::size_t j = 0; j < cols; ++j) mpz_lcm(lcm.z, lcm.z, mpq_denref(matrix(i, j).get_mpq()));
    for (std::size_t j = 0; j < cols; ++j) {
      const mpq_srcptr q = matrix(i, j).get_mpq();
      mpz_divexact(entry.z, lcm.z, mpq_denref(q));
      mpz_mul(entry.z, entry.z, mpq_numref(q));
      fmpz_set_mpz(fmpz_mat_entry(a.m, static_cast<slong>(i), static_cast<slong>(j)), entry.z);
    }
  }
  return certified_rank(a.m);
}

std::size_t modular_rank(const Tensor<Rational>& matrix, std::uint64_t p) {
  require_matrix(matrix, "modular_rank");
  static_assert(sizeof(ulong) == sizeof(std::uint64_t), "FLINT's ulong is a 64-bit word here");
  if (p < 2 || !n_is_prime(static_cast<ulong>(p)))
    throw std::invalid_argument("modular_rank: the modulus " + std::to_string(p) + " is not a prime");
  const std::size_t rows = matrix.shape()[0], cols = matrix.shape()[1];
  if (rows == 0 || cols == 0) return 0;
  ModularMatrix a(static_cast<slong>(rows), static_cast<slong>(cols), static_cast<ulong>(p));
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j) {
      const mpq_srcptr q = matrix(i, j).get_mpq();
      const ulong den = mpz_fdiv_ui(mpq_denref(q), static_cast<unsigned long>(p));
      if (den == 0)
        throw std::invalid_argument("modular_rank: entry (" + std::to_string(i) + ", " + std::to_string(j) + ") = " +
                                    matrix(i, j).str() + " has a denominator divisible by " + std::to_string(p));
      const ulong num = mpz_fdiv_ui(mpq_numref(q), static_cast<unsigned long>(p));  // in [0, p)
      nmod_mat_entry(a.m, static_cast<slong>(i), static_cast<slong>(j)) =
          n_mulmod2_preinv(num, n_invmod(den, static_cast<ulong>(p)), a.m->mod.n, a.m->mod.ninv);
    }
  return static_cast<std::size_t>(nmod_mat_rank(a.m));
}

std::size_t modular_rank(const Tensor<Modular>& matrix) {
  require_matrix(matrix, "modular_rank");
  const std::size_t rows = matrix.shape()[0], cols = matrix.shape()[1];
  if (rows == 0 || cols == 0) return 0;
  ModularMatrix a(static_cast<slong>(rows), static_cast<slong>(cols), static_cast<ulong>(Modular::kPrime));
  for (std::size_t i = 0; i < rows; ++i)
    for (std::size_t j = 0; j < cols; ++j)
      nmod_mat_entry(a.m, static_cast<slong>(i), static_cast<slong>(j)) = matrix(i, j).residue();  // in [0, p)
  return static_cast<std::size_t>(nmod_mat_rank(a.m));
}

}  // namespace netdim::analysis
