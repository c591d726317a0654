// The certified rank over Q against FLINT's fraction-free elimination: random integer
// matrices of known rank (wide, tall, huge entries), zero and full-rank ones, and a
// matrix whose rank drops mod the first prime, so the certificate must fail there.
#include <doctest/doctest.h>

#include <flint/fmpz.h>
#include <flint/fmpz_mat.h>

#include <random>

#include "netdim/analysis/exact/certified_rank.hpp"

using namespace netdim::analysis;

namespace {

struct Matrix {
  fmpz_mat_t m;
  Matrix(slong r, slong c) { fmpz_mat_init(m, r, c); }
  ~Matrix() { fmpz_mat_clear(m); }
};

// U (n x r) times V (r x m), entries of about `bits` bits: rank r (with probability ~1).
void low_rank(Matrix& out, slong r, int bits, std::mt19937_64& rng) {
  const slong n = fmpz_mat_nrows(out.m), m = fmpz_mat_ncols(out.m);
  Matrix u(n, r), v(r, m);
  std::uniform_int_distribution<long> d(-1000, 1000);
  for (Matrix* f : {&u, &v})
    for (slong i = 0; i < fmpz_mat_nrows(f->m); ++i)
      for (slong j = 0; j < fmpz_mat_ncols(f->m); ++j) {
        fmpz* e = fmpz_mat_entry(f->m, i, j);
        fmpz_set_si(e, d(rng));
        fmpz_mul_2exp(e, e, static_cast<ulong>(bits));
        fmpz_add_si(e, e, d(rng));
      }
  fmpz_mat_mul(out.m, u.m, v.m);
}

}  // namespace

TEST_CASE("certified rank equals fraction-free elimination on matrices of known rank") {
  std::mt19937_64 rng(5);
  struct Case {
    slong n, m, r;
    int bits;
  };
  for (const Case c : {Case{12, 7, 3, 0}, Case{7, 12, 5, 8}, Case{40, 9, 9, 200}, Case{30, 30, 17, 64},
                       Case{5, 5, 5, 2}, Case{60, 20, 1, 500}}) {
    CAPTURE(c.n);
    CAPTURE(c.r);
    Matrix a(c.n, c.m);
    low_rank(a, c.r, c.bits, rng);
    CHECK(certified_rank(a.m) == static_cast<std::size_t>(fmpz_mat_rank(a.m)));
    CHECK(certified_rank(a.m) == static_cast<std::size_t>(c.r));
  }
  Matrix zero(4, 6);
  CHECK(certified_rank(zero.m) == 0);
  Matrix empty(0, 3);
  CHECK(certified_rank(empty.m) == 0);
}

TEST_CASE("certified rank: a minor divisible by the first prime fails the certificate, the next prime gets it right") {
  // diag(2^61 - 1, 1) has rank 1 mod 2^61 - 1 and rank 2 over Q.
  Matrix a(2, 2);
  fmpz_set_ui(fmpz_mat_entry(a.m, 0, 0), (ulong{1} << 61) - 1);
  fmpz_set_ui(fmpz_mat_entry(a.m, 1, 1), 1);
  CHECK(certified_rank(a.m) == 2);
  // Every entry a multiple of the prime: rank 0 mod p, 2 over Q.
  Matrix b(3, 2);
  for (slong i = 0; i < 3; ++i)
    for (slong j = 0; j < 2; ++j) fmpz_set_ui(fmpz_mat_entry(b.m, i, j), ((ulong{1} << 61) - 1) * static_cast<ulong>(1 + i * j));
  CHECK(certified_rank(b.m) == static_cast<std::size_t>(fmpz_mat_rank(b.m)));
  CHECK(certified_rank(b.m) == 2);
}
