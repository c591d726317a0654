"""Benchmark conv2d, PyTorch side (netdim twin: bench/conv2d.cpp; run both with `bench/run conv2d`).

Forward and backward (gradients of input AND weight) of the two convolutions of
a small MNIST-sized CNN, batch 64, float64, no bias:
  conv1: [64, 1, 28, 28] * [32, 1, 3, 3], padding 1
  conv2: [64, 32, 14, 14] * [64, 32, 3, 3], padding 1
What a PyTorch user would write: F.conv2d, then torch.autograd.grad over (x, w)
with a fixed output cotangent. The numbers are the ones bench/conv2d.cpp draws
(same splitmix64 streams and seeds), so both sides solve the same problem; the
check_* lines let bench/run verify that.

float64 convolutions on CPU do not go to oneDNN (it has no float64 kernels):
PyTorch 1.13 uses its im2col + GEMM path (slow_conv2d), whose GEMM is the BLAS
printed below, just as netdim's is.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($OMP_NUM_THREADS, else $BENCH_THREADS, default 1);
OpenBLAS's own threads are bounded by OPENBLAS_NUM_THREADS, which bench/run
exports for both sides.
Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
# torch and F come from bench_common, which exits with a hint when PyTorch is missing.
from bench_common import (F, blas_description, print_iterations, seconds_option, time_steps,  # noqa: E402
                          torch, uniform)

# name, x shape, w shape, padding, seed (streams seed: x, seed + 1: w, seed + 2: output cotangent)
LAYERS = [
    ("conv1", (64, 1, 28, 28), (32, 1, 3, 3), 1, 10),
    ("conv2", (64, 32, 14, 14), (64, 32, 3, 3), 1, 20),
]


def draw(shape, seed, bound):
    n = int(np.prod(shape))
    return torch.from_numpy(((2 * uniform(seed, n) - 1) * bound).reshape(shape).copy())


def probe(t):
    """sum of t[i] * (i mod 7 + 1) in flat order: the fingerprint bench/conv2d.cpp prints."""
    flat = t.detach().reshape(-1)
    weights = (torch.arange(flat.numel(), dtype=torch.int64) % 7 + 1).to(torch.float64)
    return float((flat * weights).sum())


def main():
    seconds = seconds_option("conv2d, PyTorch side")

    threads = int(os.environ.get("OMP_NUM_THREADS", os.environ.get("BENCH_THREADS", "1")))
    torch.set_num_threads(threads)
    torch.set_grad_enabled(True)

    problems = []
    for name, xs, ws, pad, seed in LAYERS:
        fan_in = ws[1] * ws[2] * ws[3]
        x = draw(xs, seed, 1.0).requires_grad_()
        w = draw(ws, seed + 1, 1.0 / np.sqrt(float(fan_in))).requires_grad_()
        with torch.no_grad():
            ys = F.conv2d(x, w, padding=pad).shape
        problems.append((name, x, w, pad, draw(tuple(ys), seed + 2, 1.0)))

    def one(x, w, pad, gy):
        y = F.conv2d(x, w, padding=pad)
        dx, dw = torch.autograd.grad(y, (x, w), grad_outputs=gy)
        return y, dx, dw

    def step():
        for _, x, w, pad, gy in problems:
            one(x, w, pad, gy)

    print("problem=conv2d forward + backward (input and weight), float64, batch 64: "
          "1->32 3x3 pad 1 on 28x28, 32->64 3x3 pad 1 on 14x14")
    results = [(name, one(x, w, pad, gy)) for name, x, w, pad, gy in problems]
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()} "
          f"mkldnn={torch.backends.mkldnn.is_available()} (no float64 kernels: not used here)")
    for name, (y, dx, dw) in results:
        print(f"check_{name}_y={probe(y):.15e}")
        print(f"check_{name}_dx={probe(dx):.15e}")
        print(f"check_{name}_dw={probe(dw):.15e}")

    timing = time_steps(step, seconds)
    print_iterations(timing)
    print(f"torch_seconds={timing.median:.6e}")


if __name__ == "__main__":
    main()
