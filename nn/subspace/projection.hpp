// The random projections of subspace training, by name: each is a
// LinearOperator (its product and its transpose product), reproducible from
// (seed, D, d). A user's own projection is any other LinearOperator.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "netdim/autodiff/ops/linear_operator.hpp"

namespace netdim::nn::subspace {

enum class ProjectionKind { Dense, Sparse, Fastfood };
std::optional<ProjectionKind> projection_from_name(std::string_view name);  // dense, sparse, fastfood
std::string_view projection_name(ProjectionKind kind);

// P of shape [rows = D, cols = d]; std::invalid_argument for sizes it cannot take.
template <FloatingScalar T>
std::shared_ptr<const LinearOperator<T>> make_projection(ProjectionKind kind, std::uint64_t seed, std::size_t rows,
                                                         std::size_t cols);

extern template std::shared_ptr<const LinearOperator<float>> make_projection(ProjectionKind, std::uint64_t,
                                                                             std::size_t, std::size_t);
extern template std::shared_ptr<const LinearOperator<double>> make_projection(ProjectionKind, std::uint64_t,
                                                                              std::size_t, std::size_t);

}  // namespace netdim::nn::subspace
