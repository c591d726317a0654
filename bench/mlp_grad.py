"""Benchmark mlp_grad, PyTorch side (netdim twin: bench/mlp_grad.cpp; run both with `bench/run mlp_grad`).

The gradient of the mean cross-entropy loss of a 784-200-200-10 tanh MLP on a
batch of 256, float64, with respect to all weights and biases: what a PyTorch
user would write (F.linear, torch.tanh, F.cross_entropy, torch.autograd.grad
over the parameter tensors). The numbers are the ones bench/mlp_grad.cpp draws
(same splitmix64 streams and seeds), so both sides solve the same problem;
check_loss and check_grad_norm let bench/run verify that.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1); OpenBLAS's own threads are
bounded by OPENBLAS_NUM_THREADS, which bench/run exports for both sides.
Options: --seconds S   time budget for the timed loop (default 2.5, or $BENCH_SECONDS)
"""
import argparse
import ctypes
import os
import re
import resource
import statistics
import sys
import time

import numpy as np

try:
    import torch
    import torch.nn.functional as F
except ImportError as e:  # bench/run checks first; this is for direct runs
    sys.exit(f"bench/mlp_grad.py: PyTorch is not available to {sys.executable} ({e}); apt-get install python3-torch")

BATCH = 256
WIDTHS = [784, 200, 200, 10]
SEED_THETA, SEED_INPUT, SEED_LABEL = 1, 2, 3

M64 = np.uint64


def uniform(seed, n):
    """Elements 0..n-1 of splitmix64 stream `seed` as doubles in [0, 1) (same as uniform_at in the C++)."""
    with np.errstate(over="ignore"):
        z = M64(seed) + (np.arange(1, n + 1, dtype=np.uint64) * M64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> M64(30))) * M64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> M64(27))) * M64(0x94D049BB133111EB)
        z ^= z >> M64(31)
    return (z >> M64(11)).astype(np.float64) * 2.0**-53


def blas_description():
    """The BLAS this process really loaded (read from /proc/self/maps after a matmul)."""
    libs = []
    with open("/proc/self/maps") as f:
        for line in f:
            path = line.split()[-1]
            base = os.path.basename(path)
            if path.startswith("/") and ("blas" in base or "mkl" in base) and path not in libs:
                libs.append(path)
    desc = []
    for p in libs:
        real = os.path.realpath(p)
        desc.append(p if real == p else f"{p} -> {real}")
    config = ""
    for p in libs:
        try:
            lib = ctypes.CDLL(p)
            fn = lib.openblas_get_config
            fn.restype = ctypes.c_char_p
            nt = lib.openblas_get_num_threads
            nt.restype = ctypes.c_int
            config = f"{fn().decode()} (openblas threads {nt()}); "
            break
        except (OSError, AttributeError):
            continue
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return config + "loaded: " + "; ".join(desc or ["none found"]) + (f"; torch BLAS_INFO={info.group(1)}" if info else "")


def main():
    ap = argparse.ArgumentParser(description="mlp_grad, PyTorch side")
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "2.5")))
    args = ap.parse_args()
    if not args.seconds > 0:
        ap.error("--seconds must be positive")

    threads = int(os.environ.get("BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    torch.set_grad_enabled(True)

    # The flat parameter vector in PyTorch layout, then one leaf tensor per weight and bias.
    chunks = []
    for fan_in, fan_out in zip(WIDTHS[:-1], WIDTHS[1:]):
        chunks += [(fan_out, fan_in), (fan_out,)]
    n = sum(int(np.prod(s)) for s in chunks)
    u = uniform(SEED_THETA, n)
    params, at = [], 0
    for li, (fan_in, fan_out) in enumerate(zip(WIDTHS[:-1], WIDTHS[1:])):
        bound = 1.0 / np.sqrt(float(fan_in))
        for shape in [(fan_out, fan_in), (fan_out,)]:
            k = int(np.prod(shape))
            params.append(torch.from_numpy(((2 * u[at:at + k] - 1) * bound).reshape(shape).copy()).requires_grad_())
            at += k
    x = torch.from_numpy(uniform(SEED_INPUT, BATCH * WIDTHS[0]).reshape(BATCH, WIDTHS[0]).copy())
    labels = torch.from_numpy((uniform(SEED_LABEL, BATCH) * WIDTHS[-1]).astype(np.int64))

    def step():
        h = x
        for i in range(0, len(params), 2):
            h = F.linear(h, params[i], params[i + 1])
            if i + 2 < len(params):
                h = torch.tanh(h)
        loss = F.cross_entropy(h, labels)
        return loss, torch.autograd.grad(loss, params)

    print(f"problem=784-200-200-10 tanh MLP, batch {BATCH}, float64, {n} parameters")
    loss, grads = step()
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()}")
    flat = torch.cat([g.reshape(-1) for g in grads])
    print(f"check_loss={loss.item():.15e}")
    print(f"check_grad_norm={flat.norm().item():.15e}")

    warm, t0 = 0, time.perf_counter()
    while warm < 3 or time.perf_counter() - t0 < 0.3:
        step()
        warm += 1
    per = (time.perf_counter() - t0) / warm
    iters = min(max(int(args.seconds / per), 10), 1000000)
    times = []
    faults0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    print(f"iterations={iters} (after {warm} warm-up), min {min(times) * 1e3:.3f} ms, max {max(times) * 1e3:.3f} ms")
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults0
    print(f"page_faults_per_iteration={faults / iters:.0f}")
    print(f"torch_min_seconds={min(times):.6e}")
    print(f"torch_seconds={statistics.median(times):.6e}")


if __name__ == "__main__":
    main()
