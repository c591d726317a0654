"""Benchmark mlp_epoch, PyTorch side (netdim twin: bench/mlp_epoch.cpp; run both with `bench/run mlp_epoch`).

ONE epoch of Fashion-MNIST training of the 784-200-200-10 ReLU MLP, float64,
written as a PyTorch user would: the IDX files read with gzip + NumPy (60000
training images, flattened, pixels / 255), the layers as separate weight and
bias tensors through F.linear and F.relu, F.cross_entropy, torch.optim.SGD(lr
0.05, momentum 0.9), batches of 64 over a torch.randperm shuffle (the last batch
holds the remaining 32). Only the epoch is timed (not loading the data).

The initial parameters are those of bench/mlp_epoch.cpp (the splitmix64 stream
of bench/mlp_grad, seed 1, U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch layout),
so check_initial_loss (the initial model on the first 1000 training images)
agrees between the sides, as do check_pixel_sum and check_label_sum. Like the
netdim trainer, each step also takes the batch loss and the number classified
correctly, and the epoch reports their running means; the shuffles differ, so
those final figures are information, not checks.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1); OpenBLAS's own threads are
bounded by OPENBLAS_NUM_THREADS, which bench/run exports for both sides.
Options: --epochs N   epochs to time (default 1); torch_seconds is the median epoch
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
# torch and F come from bench_common, which exits with a hint when PyTorch is missing.
from bench_common import (F, blas_description, fashion_mnist_train, mlp_forward, mlp_parameters, torch,  # noqa: E402
                          train_epochs)

WIDTHS = [784, 200, 200, 10]
SEED_THETA = 1
CHECK_IMAGES = 1000
BATCH = 64
LR, MOMENTUM = 0.05, 0.9


def main():
    ap = argparse.ArgumentParser(description="mlp_epoch, PyTorch side")
    ap.add_argument("--epochs", type=int, default=1)
    args = ap.parse_args()
    if args.epochs < 1:
        ap.error("--epochs must be a positive integer")

    threads = int(os.environ.get("BENCH_THREADS", "1"))
    torch.set_num_threads(threads)

    x, y = fashion_mnist_train(np.float64)
    params = mlp_parameters(WIDTHS, SEED_THETA)  # [w1, b1, w2, b2, w3, b3]
    opt = torch.optim.SGD(params, lr=LR, momentum=MOMENTUM)
    n_params = sum(p.numel() for p in params)

    print(f"problem=784-200-200-10 ReLU MLP, float64, {n_params} parameters; one epoch of {x.shape[0]} images, "
          f"batch {BATCH}, SGD lr {LR} momentum {MOMENTUM}, cross-entropy")
    with torch.no_grad():
        initial_loss = F.cross_entropy(mlp_forward(params, x[:CHECK_IMAGES]), y[:CHECK_IMAGES]).item()
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()}")
    print(f"check_pixel_sum={x.sum().item():.15e}")
    print(f"check_label_sum={float(y.sum().item()):.15e}")
    print(f"check_initial_loss={initial_loss:.15e}")

    t_all = time.perf_counter()
    times, train_loss, train_accuracy = train_epochs(x, y, BATCH, args.epochs, lambda xb: mlp_forward(params, xb), opt)
    total_s = time.perf_counter() - t_all
    print(f"final_train_loss={train_loss:.6f} final_train_accuracy={train_accuracy:.4f}")
    print(f"epochs={args.epochs} total {total_s:.3f} s, {(x.shape[0] + BATCH - 1) // BATCH} steps per epoch")
    print(f"torch_min_seconds={min(times):.6e}")
    print(f"torch_seconds={statistics.median(times):.6e}")


if __name__ == "__main__":
    main()
