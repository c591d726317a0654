// Golden tests: the exact text of the common diagnostics.
#include <doctest/doctest.h>

#include "tests/dsl/dsl_helpers.hpp"

using netdim::testing::errors;

TEST_CASE("dsl diagnostics: placeholder") {
  CHECK(errors("netdim 1\nx = input(2)\n").empty());
}
