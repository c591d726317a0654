// The output length of a sliding window (convolution or pooling) along one
// axis: the one place where conv2d, the pools and nn's shape inference compute
// it, with every intermediate checked.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace netdim {

// (in + 2 pad - span) / stride + 1 with span = dilation (kernel - 1) + 1, as torch
// computes it; nullopt when the dilated window does not fit in the padded input.
// With ceil_mode (pooling), the division rounds up, but as in torch's
// pooling_output_shape the last window must start inside the input or the left
// padding (a window wholly in the right padding is dropped).
// Throws ShapeError naming `what` when kernel, stride or dilation is zero, or when
// the padded input or the span exceeds the largest signed index (kernels index
// with signed offsets, so anything larger would wrap there).
std::optional<std::size_t> window_extent(std::size_t in, std::size_t kernel, std::size_t stride, std::size_t pad,
                                         std::size_t dilation, std::string_view what, bool ceil_mode = false);

}  // namespace netdim
