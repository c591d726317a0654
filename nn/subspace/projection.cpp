#include "netdim/nn/subspace/projection.hpp"

#include "netdim/nn/subspace/dense_projection.hpp"
#include "netdim/nn/subspace/fastfood_projection.hpp"
#include "netdim/nn/subspace/sparse_projection.hpp"

namespace netdim::nn::subspace {

std::optional<ProjectionKind> projection_from_name(std::string_view name) {
  if (name == "dense") return ProjectionKind::Dense;
  if (name == "sparse") return ProjectionKind::Sparse;
  if (name == "fastfood") return ProjectionKind::Fastfood;
  return std::nullopt;
}

std::string_view projection_name(ProjectionKind kind) {
  switch (kind) {
    case ProjectionKind::Dense: return "dense";
    case ProjectionKind::Sparse: return "sparse";
    case ProjectionKind::Fastfood: return "fastfood";
  }
  return "unknown";
}

template <FloatingScalar T>
std::shared_ptr<const LinearOperator<T>> make_projection(ProjectionKind kind, std::uint64_t seed, std::size_t rows,
                                                         std::size_t cols) {
  switch (kind) {
    case ProjectionKind::Dense: return std::make_shared<const DenseProjection<T>>(seed, rows, cols);
    case ProjectionKind::Sparse: return std::make_shared<const SparseProjection<T>>(seed, rows, cols);
    case ProjectionKind::Fastfood: return std::make_shared<const FastfoodProjection<T>>(seed, rows, cols);
  }
  throw std::invalid_argument("unknown projection kind");
}

template std::shared_ptr<const LinearOperator<float>> make_projection(ProjectionKind, std::uint64_t, std::size_t,
                                                                      std::size_t);
template std::shared_ptr<const LinearOperator<double>> make_projection(ProjectionKind, std::uint64_t, std::size_t,
                                                                       std::size_t);

}  // namespace netdim::nn::subspace
