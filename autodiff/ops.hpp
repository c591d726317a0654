// Every built-in operation.
#pragma once

#include "autodiff/ops/adaptive_pool2d.hpp"
#include "autodiff/ops/arithmetic.hpp"
#include "autodiff/ops/conv2d.hpp"
#include "autodiff/ops/elementwise.hpp"
#include "autodiff/ops/linear.hpp"
#include "autodiff/ops/linear_operator.hpp"
#include "autodiff/ops/log_softmax.hpp"
#include "autodiff/ops/matmul.hpp"
#include "autodiff/ops/pool2d.hpp"
#include "autodiff/ops/reduce.hpp"
#include "autodiff/ops/shape.hpp"
