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

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
from bench_common import (blas_description, mlp_parameters, peak_rss_mb, print_iterations,  # noqa: E402
                          seconds_option, time_steps, torch, uniform)
import functorch  # noqa: E402  (torch.func in PyTorch 2)

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


def effective_rank(gram):
    n = gram.shape[0]
    eig = torch.linalg.eigvalsh(gram)
    tol = n * torch.finfo(torch.float64).eps * max(eig[-1].item(), 0.0)
    s = torch.sqrt(torch.where(eig > tol, eig, torch.zeros_like(eig)))
    if s.sum() == 0:
        return 0.0
    p = s / s.sum()
    p = p[p > 0]
    return float(torch.exp(-(p * torch.log(p)).sum()))


def draw():
    params = mlp_parameters(WIDTHS, SEED_THETA)
    x = torch.from_numpy((2 * uniform(SEED_INPUT, POINTS * WIDTHS[0]) - 1).reshape(POINTS, WIDTHS[0]))
    return params, x


def jacobian_loop(params, x):
    rows = []
    for i in range(x.shape[0]):
        grads = torch.autograd.grad(g(params, x[i]), params)
        rows.append(torch.cat([t.reshape(-1) for t in grads]))
    return torch.stack(rows)


def jacobian_vmap(params, x):
    grads = functorch.vmap(functorch.grad(g), in_dims=(None, 0))([p.detach() for p in params], x)
    return torch.cat([t.reshape(x.shape[0], -1) for t in grads], dim=1)


def sample(jacobian):
    params, x = draw()
    j = jacobian(params, x)
    gram = j @ j.T
    return effective_rank(gram), float(torch.diagonal(gram).sum())


def main():
    seconds = seconds_option("esd_mlp, PyTorch side")
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
    print(f"problem=one SD sample: 784-200-200-10 tanh MLP, {POINTS} points, sum_squares, float64")
    results = {}
    for name, jac in [("loop", jacobian_loop), ("vmap", jacobian_vmap)]:
        sd, trace = sample(jac)
        timing = time_steps(lambda: sample(jac), seconds, min_warmup=1, min_steps=3)
        print(f"[{name}] sd={sd:.12f} gram_trace={trace:.15e}")
        print(f"[{name}] ", end="")
        print_iterations(timing)
        results[name] = (timing, sd, trace)
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()}")
    best = min(results, key=lambda k: results[k][0].median)
    timing, sd, trace = results[best]
    print(f"faster=torch {best} (loop {results['loop'][0].median:.3f} s, vmap {results['vmap'][0].median:.3f} s)")
    print(f"sd={sd:.12f}")
    print(f"check_gram_trace={trace:.15e}")
    print(f"check_sd={sd:.15e}")
    print(f"peak_rss_mb={peak_rss_mb():.1f}")
    print(f"torch_min_seconds={timing.min:.6e}")
    print(f"torch_seconds={timing.median:.6e}")


if __name__ == "__main__":
    main()
