#include "netdim/analysis/parallel/ranks.hpp"

#include <climits>
#include <cstdlib>
#include <stdexcept>

#ifdef NETDIM_MPI
#include <mpi.h>
#endif

namespace netdim::analysis {
namespace {

bool g_active = false;  // MPI initialised by our session

bool under_mpirun() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMI_SIZE") != nullptr; }

}  // namespace

bool built_with_mpi() {
#ifdef NETDIM_MPI
  return true;
#else
  return false;
#endif
}

MpiSession::MpiSession(int* argc, char*** argv) {
#ifdef NETDIM_MPI
  if (under_mpirun()) {
    MPI_Init(argc, argv);
    g_active = true;
  }
#else
  (void)argc, (void)argv, (void)under_mpirun;
#endif
}

MpiSession::~MpiSession() {
#ifdef NETDIM_MPI
  if (g_active) MPI_Finalize();
  g_active = false;
#endif
}

Ranks world() {
  Ranks r;
#ifdef NETDIM_MPI
  if (g_active) {
    MPI_Comm_rank(MPI_COMM_WORLD, &r.rank);
    MPI_Comm_size(MPI_COMM_WORLD, &r.size);
  }
#endif
  return r;
}

void gather_to_root(std::vector<double>& values, std::vector<char>& present) {
#ifdef NETDIM_MPI
  if (!g_active || world().size == 1) return;
  if (values.size() > static_cast<std::size_t>(INT_MAX) || present.size() > static_cast<std::size_t>(INT_MAX))
    throw std::invalid_argument("gather_to_root: too many values for one MPI message");
  const bool root = world().root();
  std::vector<double> sum(root ? values.size() : 0);
  std::vector<char> count(root ? present.size() : 0);
  MPI_Reduce(values.data(), root ? sum.data() : nullptr, static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM, 0,
             MPI_COMM_WORLD);
  MPI_Reduce(present.data(), root ? count.data() : nullptr, static_cast<int>(present.size()), MPI_CHAR, MPI_SUM, 0,
             MPI_COMM_WORLD);
  if (root) {
    values = std::move(sum);
    present = std::move(count);
  }
#else
  (void)values, (void)present;
#endif
}

bool any_rank(bool mine) {
#ifdef NETDIM_MPI
  if (!g_active) return mine;
  int in = mine ? 1 : 0, out = 0;
  MPI_Allreduce(&in, &out, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
  return out != 0;
#else
  return mine;
#endif
}

}  // namespace netdim::analysis
