// Every built-in operation.
#pragma once

#include "netdim/autodiff/ops/adaptive_pool2d.hpp"
#include "netdim/autodiff/ops/arithmetic.hpp"
#include "netdim/autodiff/ops/conv2d.hpp"
#include "netdim/autodiff/ops/elementwise.hpp"
#include "netdim/autodiff/ops/linear.hpp"
#include "netdim/autodiff/ops/linear_operator.hpp"
#include "netdim/autodiff/ops/log_softmax.hpp"
#include "netdim/autodiff/ops/matmul.hpp"
#include "netdim/autodiff/ops/pool2d.hpp"
#include "netdim/autodiff/ops/reduce.hpp"
#include "netdim/autodiff/ops/shape.hpp"
