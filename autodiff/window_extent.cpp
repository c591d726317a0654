#include "netdim/autodiff/window_extent.hpp"

#include <cstdint>
#include <string>

#include "netdim/autodiff/checked.hpp"

namespace netdim {

std::optional<std::size_t> window_extent(std::size_t in, std::size_t kernel, std::size_t stride, std::size_t pad,
                                         std::size_t dilation, std::string_view what, bool ceil_mode) {
  if (kernel == 0 || stride == 0 || dilation == 0)
    throw ShapeError(std::string(what) + ": kernel, stride and dilation must be positive");
  const std::size_t padded = checked_add(in, checked_mul(2, pad, what), what);
  const std::size_t span = checked_add(checked_mul(dilation, kernel - 1, what), 1, what);
  constexpr auto kMaxIndex = static_cast<std::size_t>(PTRDIFF_MAX);
  if (padded > kMaxIndex || span > kMaxIndex)
    throw ShapeError(std::string(what) + ": the padded input " + std::to_string(padded) + " or the window span " +
                     std::to_string(span) + " exceeds the largest index");
  if (span > padded) return std::nullopt;
  if (!ceil_mode) return (padded - span) / stride + 1;
  std::size_t out = (padded - span) / stride + ((padded - span) % stride != 0) + 1;
  if ((out - 1) * stride >= in + pad) --out;  // (out - 1) stride <= padded - span + stride - 1: no wrap
  return out;
}

}  // namespace netdim
