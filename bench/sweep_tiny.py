"""Benchmark sweep_tiny, PyTorch side (netdim twin: bench/sweep_tiny.cpp; run both with `bench/run sweep_tiny`).

The expected spanning dimension (seed 003, Algorithm 1; 20 samples each) of 40 tiny
1-i-j-1 MLPs: the grid i in {1, 2, 4, 8, 12, 16, 24, 40} x j in {2, 5, 10, 20, 40},
activations cycling relu, tanh, sigmoid; one timed step is the whole sweep. Per sample,
as a PyTorch user would: parameters from PyTorch's default Linear initialisation
(U(-1/sqrt(in), 1/sqrt(in)) for weight and bias), n = min(m, 500) inputs uniform in
[-1, 1], the per-example gradients of the (single) output by functorch's vmap(grad)
(PyTorch 1.13's torch.func) as J (n x m), J J^T, torch.linalg.eigvalsh, eigenvalues at
or below n eps lambda_max clamped to zero, effective rank; float64.

vmap only: a loop of torch.autograd.grad costs n reverse sweeps per sample (about 158,000
per sweep); its time on the largest network is printed once as an info line (loop_vs_vmap).

The two sides draw from different generators, so they compute different samples of the
same distribution: the check_* lines (networks, parameters, points, samples) must agree
exactly; the mean ESD per activation (esd_relu=...) agrees only statistically.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1); bench/run exports OPENBLAS_NUM_THREADS.
Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
"""
import math
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
from bench_common import (blas_description, effective_rank, jacobian_loop, peak_rss_mb,  # noqa: E402
                          print_iterations, seconds_option, time_steps, torch)

SAMPLES = 20
POINT_CAP = 500
FIRST_WIDTHS = [1, 2, 4, 8, 12, 16, 24, 40]
SECOND_WIDTHS = [2, 5, 10, 20, 40]
ACTIVATIONS = [("relu", torch.relu), ("tanh", torch.tanh), ("sigmoid", torch.sigmoid)]


def networks():
    """(widths, activation index) of the 40 networks, in the netdim side's order."""
    nets = []
    for i in FIRST_WIDTHS:
        for j in SECOND_WIDTHS:
            nets.append(([1, i, j, 1], len(nets) % len(ACTIVATIONS)))
    return nets


def parameter_count(widths):
    return sum(o * i + o for i, o in zip(widths[:-1], widths[1:]))


def draw_parameters(widths):
    """[w1, b1, w2, b2, ...], PyTorch's default Linear initialisation."""
    params = []
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        bound = 1.0 / math.sqrt(fan_in)
        params.append(torch.empty(fan_out, fan_in, dtype=torch.float64).uniform_(-bound, bound))
        params.append(torch.empty(fan_out, dtype=torch.float64).uniform_(-bound, bound))
    return params


def output_of(activation):
    """g(params, x): the first (only) output of the MLP at one example x [1]."""
    def g(params, x):
        h = x
        for k in range(0, len(params), 2):
            h = torch.nn.functional.linear(h, params[k], params[k + 1])
            if k + 2 < len(params):
                h = activation(h)
        return h[0]
    return g


def jacobian(per_example_grad, params, x):
    grads = per_example_grad(params, x)
    return torch.cat([t.reshape(x.shape[0], -1) for t in grads], dim=1)


def esd(widths, activation, seed):
    """The spanning dimensions of SAMPLES samples of one network."""
    import functorch
    torch.manual_seed(seed)
    g = output_of(activation)
    per_example_grad = functorch.vmap(functorch.grad(g), in_dims=(None, 0))
    m = parameter_count(widths)
    n = min(m, POINT_CAP)
    sds = []
    for _ in range(SAMPLES):
        params = draw_parameters(widths)
        x = torch.empty(n, widths[0], dtype=torch.float64).uniform_(-1.0, 1.0)
        j = jacobian(per_example_grad, params, x)
        sds.append(effective_rank(j @ j.T))
    return m, n, sds


def sweep(nets):
    totals = {"networks": 0, "parameters": 0, "points": 0, "samples": 0}
    esd_sum = [0.0] * len(ACTIVATIONS)
    esd_count = [0] * len(ACTIVATIONS)
    for k, (widths, a) in enumerate(nets):
        m, n, sds = esd(widths, ACTIVATIONS[a][1], k)
        totals["networks"] += 1
        totals["parameters"] += m
        totals["points"] += n
        totals["samples"] += len(sds)
        esd_sum[a] += sum(sds) / len(sds)
        esd_count[a] += 1
    return totals, esd_sum, esd_count


def loop_vs_vmap(widths, activation):
    """Seconds of one J by a loop of torch.autograd.grad and by vmap(grad), on one network."""
    import functorch
    g = output_of(activation)
    params = [p.requires_grad_() for p in draw_parameters(widths)]
    n = min(parameter_count(widths), POINT_CAP)
    x = torch.empty(n, widths[0], dtype=torch.float64).uniform_(-1.0, 1.0)
    t0 = time.perf_counter()
    j_loop = jacobian_loop(g, params, x)
    t1 = time.perf_counter()
    j_vmap = jacobian(functorch.vmap(functorch.grad(g), in_dims=(None, 0)), [p.detach() for p in params], x)
    t2 = time.perf_counter()
    if not torch.allclose(j_loop, j_vmap, rtol=1e-12, atol=1e-14):
        sys.exit("bench/sweep_tiny.py: the loop and vmap Jacobians differ")
    return t1 - t0, t2 - t1


def main():
    seconds = seconds_option("sweep_tiny, PyTorch side")
    threads = int(os.environ.get("BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    nets = networks()
    print(f"problem=ESD ({SAMPLES} samples) of 40 MLPs 1-i-j-1, i in {{1..40}}, j in {{2..40}}, relu/tanh/sigmoid, "
          f"n = min(m, 500), first output, float64, threads={threads}")
    loop_s, vmap_s = loop_vs_vmap(nets[-1][0], ACTIVATIONS[nets[-1][1]][1])
    print(f"loop_vs_vmap 1-40-40-1: one J by the autograd.grad loop {loop_s * 1e3:.1f} ms, by vmap {vmap_s * 1e3:.1f} ms")

    totals, esd_sum, esd_count = sweep(nets)
    for key in ["networks", "parameters", "points", "samples"]:
        print(f"check_{key}={totals[key]}")
    # Different random draws on the two sides: these agree only statistically.
    for a, (name, _) in enumerate(ACTIVATIONS):
        print(f"esd_{name}={esd_sum[a] / esd_count[a]:.4f} (mean over {esd_count[a]} networks)")

    timing = time_steps(lambda: sweep(nets), seconds, min_warmup=1, min_steps=3)
    print_iterations(timing)
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()}")
    print(f"peak_rss_mb={peak_rss_mb():.1f}")
    print(f"torch_min_seconds={timing.min:.6e}")
    print(f"torch_seconds={timing.median:.6e}")


if __name__ == "__main__":
    main()
