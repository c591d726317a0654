// The autodiff module: tapes, Vars, operations, and both modes of differentiation.
#pragma once

#include "netdim/autodiff/apply.hpp"
#include "netdim/autodiff/check_op.hpp"
#include "netdim/autodiff/forward.hpp"
#include "netdim/autodiff/functional.hpp"
#include "netdim/autodiff/linalg.hpp"
#include "netdim/autodiff/ops.hpp"
#include "netdim/autodiff/reverse.hpp"
#include "netdim/autodiff/tape.hpp"
