// Sizes never wrap (issue 11, section 2): every size computed from user input
// either fits or is a ShapeError (std::bad_alloc for memory), never a small
// wrapped number that later reads or writes out of bounds. Each case below was
// accepted by the unchecked code.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <new>

#include "netdim/autodiff/autodiff.hpp"
#include "netdim/autodiff/checked.hpp"
#include "netdim/autodiff/window_extent.hpp"

using namespace netdim;
using V = Var<double>;

namespace {

constexpr std::size_t kMax = std::numeric_limits<std::size_t>::max();
constexpr std::size_t kHalf = std::size_t{1} << 63;  // 2 * kHalf wraps to 0

}  // namespace

TEST_SUITE_BEGIN("checked sizes");

TEST_CASE("checked_mul and checked_add throw a ShapeError naming what overflowed") {
  CHECK(checked_mul(3, 5, "x") == 15);
  CHECK(checked_mul(kMax, 1, "x") == kMax);
  CHECK(checked_mul(0, kMax, "x") == 0);
  CHECK(checked_add(kMax - 1, 1, "x") == kMax);
  CHECK_THROWS_WITH_AS(checked_mul(kHalf, 2, "the product"), doctest::Contains("the product: 9223372036854775808 * 2"),
                       ShapeError);
  CHECK_THROWS_WITH_AS(checked_add(kMax, 1, "the sum"), doctest::Contains("the sum: "), ShapeError);
}

TEST_CASE("shape_size refuses a shape whose extents overflow, even next to a zero") {
  CHECK(shape_size({2, 3, 4}) == 24);
  CHECK(shape_size({}) == 1);
  CHECK(shape_size({0, 5}) == 0);
  CHECK_THROWS_WITH_AS(shape_size({4, (std::size_t{1} << 62) + 1}), doctest::Contains("more elements than"),
                       ShapeError);
  // Nothing to store, but the strides (trailing products) would still wrap.
  CHECK_THROWS_AS(shape_size({0, std::size_t{1} << 40, std::size_t{1} << 40}), ShapeError);
  CHECK_THROWS_WITH_AS(shape_size({kHalf, 2}, "myop"), doctest::Contains("myop: shape [9223372036854775808, 2]"),
                       ShapeError);
}

TEST_CASE("reshape to a shape whose product wraps to the input's size is refused") {
  // 4 * (2^62 + 1) wraps to 4, the input's size.
  const Shape wrapping{4, (std::size_t{1} << 62) + 1};
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{1.0, 2.0, 3.0, 4.0});
  CHECK_THROWS_WITH_AS(reshape(x, wrapping), doctest::Contains("reshape: shape [4, 4611686018427387905]"), ShapeError);
  CHECK_THROWS_AS(reshape(x.value(), wrapping), ShapeError);
  CHECK(reshape(x, Shape{2, 2}).shape() == Shape{2, 2});
}

TEST_CASE("segment's offset + size cannot wrap past the vector's end") {
  Tape<double> tape;
  const V flat = tape.variable(Tensor<double>{1.0, 2.0, 3.0, 4.0});
  // (2^64 - 2) + 3 wraps to 1, inside a vector of 4.
  CHECK_THROWS_WITH_AS(segment(flat, kMax - 1, Shape{3}), doctest::Contains("segment: offset + size"), ShapeError);
  CHECK_THROWS_WITH_AS(segment(flat, 2, Shape{3}), doctest::Contains("[2, 5) is outside a vector of 4"), ShapeError);
  CHECK(segment(flat, 1, Shape{3}).value() == Tensor<double>{2.0, 3.0, 4.0});
}

TEST_CASE("slice with a huge step selects the first element, not nothing") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{5.0, 6.0, 7.0, 8.0});
  const V s = slice(x, 0, 0, 4, kMax);  // (4 + step - 1) used to wrap to 2, giving 0 elements
  REQUIRE(s.shape() == Shape{1});
  CHECK(s.value()(0) == 5.0);
}

TEST_CASE("broadcast_to and zeros_of refuse an uncountable target shape") {
  Tape<double> tape;
  const V x = tape.variable(Tensor<double>{1.0});
  const Shape huge{std::size_t{1} << 33, std::size_t{1} << 33};  // 2^66 elements wrap to 0
  CHECK_THROWS_WITH_AS(broadcast_to(x, huge), doctest::Contains("broadcast_to"), ShapeError);
  CHECK_THROWS_AS(broadcast_to(x.value(), huge), ShapeError);
  CHECK_THROWS_AS(zeros_of<double>(huge), ShapeError);
}

TEST_CASE("the allocator turns a huge request into std::bad_alloc, not a wrapped tiny block") {
  // Near 2^64 the size class's block size used to wrap to 0 bytes.
  CHECK_THROWS_AS(pool_allocate(kMax - 10), std::bad_alloc);
  CHECK_THROWS_AS(pool_allocate(kHalf + 1), std::bad_alloc);
  CHECK_THROWS_AS(PoolAllocator<double>().allocate(kMax / 8), std::bad_alloc);
  void* p = pool_allocate(std::size_t{1} << 20);  // ordinary requests still work
  CHECK(p != nullptr);
  pool_deallocate(p, std::size_t{1} << 20);
}

TEST_CASE("window_extent: the one output-extent computation, checked") {
  CHECK(window_extent(28, 3, 1, 1, 1, "w") == 28);
  CHECK(window_extent(28, 2, 2, 0, 1, "w") == 14);
  CHECK(window_extent(7, 3, 2, 0, 3, "w") == 1);  // span 7
  CHECK_FALSE(window_extent(4, 3, 1, 0, 2, "w"));  // span 5 > 4
  CHECK_THROWS_WITH_AS(window_extent(4, 3, 1, kHalf, 1, "w"), doctest::Contains("w: 2 * 9223372036854775808"),
                       ShapeError);
  CHECK_THROWS_AS(window_extent(4, 3, 1, 0, kHalf, "w"), ShapeError);      // span wraps to 1
  CHECK_THROWS_AS(window_extent(4, 3, 1, kHalf / 2, 1, "w"), ShapeError);  // padded input beyond the largest index
  CHECK_THROWS_WITH_AS(window_extent(4, 0, 1, 0, 1, "w"), doctest::Contains("must be positive"), ShapeError);
}

TEST_CASE("conv2d with a huge padding or dilation is a ShapeError, not a wrapped extent") {
  Tape<double> tape;
  const V x = tape.variable(zeros_of<double>({1, 1, 4, 4}));
  const V w = tape.variable(zeros_of<double>({1, 1, 3, 3}));
  Conv2dGeometry pad;
  pad.pad_h = kHalf;  // 2 * pad wrapped to 0: a 2x4 output read 2^63 rows before the image
  CHECK_THROWS_WITH_AS(conv2d(x, w, pad), doctest::Contains("conv2d"), ShapeError);
  Conv2dGeometry dilation;
  dilation.dilation_w = kHalf;  // the span 2^63 * 2 + 1 wrapped to 1
  CHECK_THROWS_WITH_AS(conv2d(x, w, dilation), doctest::Contains("conv2d"), ShapeError);
  Conv2dGeometry big_output;
  big_output.pad_h = big_output.pad_w = std::size_t{1} << 40;  // fits, but Ho * Wo does not
  CHECK_THROWS_AS(conv2d(x, w, big_output), ShapeError);
  CHECK_THROWS_AS(conv2d_input_grad(tape.variable(zeros_of<double>({1, 1, 2, 2})), w, kMax, 4), ShapeError);
}

TEST_CASE("pool2d with a huge padding is a ShapeError, not a wrapped 2 * padding") {
  Tape<double> tape;
  const V x = tape.variable(zeros_of<double>({1, 1, 4, 4}));
  CHECK_THROWS_WITH_AS(max_pool2d(x, 2, 2, kHalf), doctest::Contains("at most half the kernel"), ShapeError);
  CHECK_THROWS_WITH_AS(avg_pool2d(x, 2, 2, Size2d{0, kHalf}), doctest::Contains("at most half the kernel"),
                       ShapeError);
  CHECK(max_pool2d(x, 3, 1, 1).shape() == Shape{1, 1, 4, 4});
}

TEST_SUITE_END();
