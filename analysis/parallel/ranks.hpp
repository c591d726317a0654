// The processes of an MPI run (Open MPI's mpirun), or the one process of a plain run.
// Work split over ranks is split by index (k % size == rank), each rank computes its
// indices exactly as one process would, and gather_to_root adds the rows up on rank
// 0, where every index came from exactly one rank: x + 0 = x, so the result is bit
// for bit the single-process one. No scheduler of our own: MPI moves the numbers.
// Built without MPI (meson -Dmpi=disabled), or run without mpirun, there is one rank.
#pragma once

#include <cstddef>
#include <vector>

namespace netdim::analysis {

// Initialises MPI when the process was started by mpirun (and netdim was built with
// MPI), finalises it at the end of the scope. One per program, in main.
class MpiSession {
 public:
  MpiSession(int* argc, char*** argv);
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
};

struct Ranks {
  int rank = 0, size = 1;
  bool root() const { return rank == 0; }
  bool owns(std::size_t index) const { return index % static_cast<std::size_t>(size) == static_cast<std::size_t>(rank); }
};

Ranks world();
bool built_with_mpi();

// Sums `values` and `present` (0 or 1 per row) over the ranks into rank 0 (the other
// ranks' copies are left as they were). Each row must come from at most one rank.
void gather_to_root(std::vector<double>& values, std::vector<char>& present);

// Whether any rank says yes (e.g. was interrupted); every rank gets the answer.
bool any_rank(bool mine);

}  // namespace netdim::analysis
