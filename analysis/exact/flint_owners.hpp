// RAII owners of FLINT and GMP values for the exact-rank code (exact_rank.cpp,
// certified_rank.cpp), so that an exception never leaks their memory. FLINT's
// headers: include only where FLINT is already used.
#pragma once

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>
#include <gmp.h>

namespace netdim::analysis::flint {

struct IntegerMatrix {
  fmpz_mat_t m;
  IntegerMatrix(slong rows, slong cols) { fmpz_mat_init(m, rows, cols); }
  ~IntegerMatrix() { fmpz_mat_clear(m); }
  IntegerMatrix(const IntegerMatrix&) = delete;
  IntegerMatrix& operator=(const IntegerMatrix&) = delete;
};

struct ModularMatrix {
  nmod_mat_t m;
  ModularMatrix(slong rows, slong cols, ulong p) { nmod_mat_init(m, rows, cols, p); }
  ~ModularMatrix() { nmod_mat_clear(m); }
  ModularMatrix(const ModularMatrix&) = delete;
  ModularMatrix& operator=(const ModularMatrix&) = delete;
};

struct Integer {
  fmpz_t z;
  Integer() { fmpz_init(z); }
  ~Integer() { fmpz_clear(z); }
  Integer(const Integer&) = delete;
  Integer& operator=(const Integer&) = delete;
};

// A GMP integer (exact_rank clears denominators with GMP's lcm).
struct MpzInteger {
  mpz_t z;
  MpzInteger() { mpz_init(z); }
  ~MpzInteger() { mpz_clear(z); }
  MpzInteger(const MpzInteger&) = delete;
  MpzInteger& operator=(const MpzInteger&) = delete;
};

}  // namespace netdim::analysis::flint
