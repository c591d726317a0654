"""Benchmark esd_mlp, PyTorch side (netdim twin: bench/esd_mlp.cpp; run both with `bench/run esd_mlp`).

One spanning-dimension (SD) sample of seed 003's Algorithm 1 for the 784-200-200-10
tanh MLP, float64: draw the weights, draw n = 500 inputs uniform in [-1, 1], form the
sum_squares Jacobian J (500 x 199,210) the way a PyTorch user would, then J J^T,
torch.linalg.eigvalsh and the effective rank. J comes from the faster of a loop of
torch.autograd.grad (one reverse sweep per point) and functorch's vmap(grad)
(PyTorch 1.13's torch.func); both are timed and the faster one is quoted. The
numbers are bench/esd_mlp.cpp's (same splitmix64 streams), and the eigenvalues at
or below n eps lambda_max count as zero on both sides.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1); bench/run exports OPENBLAS_NUM_THREADS.
Options: --seconds S   time budget per method (default 2.5, or $BENCH_SECONDS)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
from bench_common import mlp_parameters, run_sd_benchmark, torch, uniform  # noqa: E402

POINTS = 500
WIDTHS = [784, 200, 200, 10]
SEED_THETA, SEED_INPUT = 1, 2


def g(params, x):
    """sum_c f_c(x)^2 of one example x [784]."""
    h = x
    for i in range(0, len(params), 2):
        h = torch.nn.functional.linear(h, params[i], params[i + 1])
        if i + 2 < len(params):
            h = torch.tanh(h)
    return (h * h).sum()


def draw():
    params = mlp_parameters(WIDTHS, SEED_THETA)
    x = torch.from_numpy((2 * uniform(SEED_INPUT, POINTS * WIDTHS[0]) - 1).reshape(POINTS, WIDTHS[0]))
    return params, x


def main():
    run_sd_benchmark("esd_mlp", f"one SD sample: 784-200-200-10 tanh MLP, {POINTS} points, sum_squares, float64", g, draw)


if __name__ == "__main__":
    main()
