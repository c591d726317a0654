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
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
# torch and F come from bench_common, which exits with a hint when PyTorch is missing.
from bench_common import (F, blas_description, mlp_parameters, print_iterations, seconds_option,  # noqa: E402
                          time_steps, torch, uniform)

BATCH = 256
WIDTHS = [784, 200, 200, 10]
SEED_THETA, SEED_INPUT, SEED_LABEL = 1, 2, 3


def main():
    seconds = seconds_option("mlp_grad, PyTorch side")

    threads = int(os.environ.get("BENCH_THREADS", "1"))
    torch.set_num_threads(threads)
    torch.set_grad_enabled(True)

    # One leaf tensor per weight and bias, drawn as one flat vector in PyTorch layout.
    params = mlp_parameters(WIDTHS, SEED_THETA)
    n = sum(p.numel() for p in params)
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

    timing = time_steps(step, seconds)
    print_iterations(timing)
    print(f"page_faults_per_iteration={timing.faults_per_step:.0f}")
    print(f"torch_min_seconds={timing.min:.6e}")
    print(f"torch_seconds={timing.median:.6e}")


if __name__ == "__main__":
    main()
