// The autodiff module: tapes, Vars, operations, and both modes of differentiation.
#pragma once

#include "autodiff/apply.hpp"
#include "autodiff/check_op.hpp"
#include "autodiff/forward.hpp"
#include "autodiff/functional.hpp"
#include "autodiff/linalg.hpp"
#include "autodiff/ops.hpp"
#include "autodiff/reverse.hpp"
#include "autodiff/tape.hpp"
