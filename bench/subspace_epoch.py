"""Benchmark subspace_epoch, PyTorch side (netdim twin: bench/subspace_epoch.cpp; run both with
`bench/run subspace_epoch`).

ONE Fashion-MNIST epoch of the 784-200-200-10 ReLU MLP (D = 199,210) trained in a d = 1000
Fastfood subspace, theta = theta0 + P d (seed 002), float32, written as a PyTorch user would:
d is the only leaf tensor, theta is rebuilt from it every step and cut into the layers' weights,
autograd carries the gradient back through the transform, torch.optim.Adam(lr 1e-3) moves d,
batches of 128 over a torch.randperm shuffle.

P is netdim's own transform, loaded from $BENCH_TMPDIR (written by the netdim side): blocks
V_b = S_b H G_b Pi_b H B_b of order L stacked and cut to D rows, with the signs B, the
permutation Pi (a gather) and G with S folded in as [blocks, L] arrays. All blocks go through
one batched Walsh-Hadamard transform (log2 L butterfly stages over a [blocks, L] tensor), as
seed 002's PyTorch code applies it. The check_* fingerprints are computed in float64 with the
float64 arrays; training uses them cast to float32, the very numbers of netdim's float32
projection.

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1), OPENBLAS_NUM_THREADS from bench/run.
Options: --epochs N   epochs to time (default 1); torch_seconds is the median epoch
"""
import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
# torch and F come from bench_common, which exits with a hint when PyTorch is missing.
from bench_common import (F, blas_description, fashion_mnist_train, mlp_forward, mlp_parameters, torch,  # noqa: E402
                          train_epochs, uniform)

WIDTHS = [784, 200, 200, 10]
SUBSPACE_DIM = 1000
SEED_THETA, SEED_CHECK_X, SEED_CHECK_W = 1, 3, 4
CHECK_IMAGES = 1000
BATCH = 128
LR = 1e-3


def hadamard_matrix(n, dtype):
    """The n x n Walsh-Hadamard matrix (Sylvester order, +-1 entries), n a power of two."""
    h = torch.ones(1, 1, dtype=dtype)
    while h.shape[0] < n:
        h = torch.cat((torch.cat((h, h), 1), torch.cat((h, -h), 1)), 0)
    return h


class WalshHadamard:
    """The unnormalised Walsh-Hadamard transform of each row of v [blocks, L], as two batched
    products: H_L = H_a (x) H_b with a b = L, so each row viewed as an a x b matrix M goes to
    H_a M H_b. On this machine that is 8x faster in PyTorch (forward and backward) than the
    log2 L butterfly stages over the [blocks, L] tensor."""

    def __init__(self, order, dtype):
        k = order.bit_length() - 1
        self.a, self.b = 1 << (k // 2), 1 << (k - k // 2)
        self.left, self.right = hadamard_matrix(self.a, dtype), hadamard_matrix(self.b, dtype)

    def __call__(self, v):
        blocks, order = v.shape
        return (self.left @ v.reshape(blocks, self.a, self.b) @ self.right).reshape(blocks, order)


class Fastfood:
    """P x for the stacked blocks S H G Pi H B, cut to `rows` rows; autograd gives P^T g."""

    def __init__(self, signs, permutation, gaussians, rows, cols):
        self.signs, self.permutation, self.gaussians = signs, permutation, gaussians
        self.rows, self.cols = rows, cols
        self.order = signs.shape[1]
        self.walsh_hadamard = WalshHadamard(self.order, signs.dtype)

    def __call__(self, x):
        t = F.pad(self.signs[:, :self.cols] * x, (0, self.order - self.cols))  # B x, padded to L
        t = self.walsh_hadamard(t)
        u = self.gaussians * torch.gather(t, 1, self.permutation)  # G Pi
        return self.walsh_hadamard(u).reshape(-1)[:self.rows]


def load_fastfood(rows, cols, dtype):
    tmp = os.environ.get("BENCH_TMPDIR")
    if not tmp:
        sys.exit("bench/subspace_epoch.py: BENCH_TMPDIR is not set: run `bench/run subspace_epoch`")
    arrays = [np.load(os.path.join(tmp, f"fastfood_{name}.npy")) for name in ("signs", "permutation", "gaussians")]
    signs, permutation, gaussians = arrays
    if not (signs.shape == permutation.shape == gaussians.shape) or signs.shape[0] * signs.shape[1] < rows:
        sys.exit(f"bench/subspace_epoch.py: the transform in {tmp} does not fit D = {rows}")
    return Fastfood(torch.from_numpy(signs).to(dtype), torch.from_numpy(permutation.astype(np.int64)),
                    torch.from_numpy(gaussians).to(dtype), rows, cols)


def layers(theta, shapes):
    """theta cut into the MLP's [w1, b1, w2, b2, ...] (views, PyTorch layout)."""
    out, at = [], 0
    for shape in shapes:
        n = int(np.prod(shape))
        out.append(theta[at:at + n].view(shape))
        at += n
    return out


def main():
    ap = argparse.ArgumentParser(description="subspace_epoch, PyTorch side")
    ap.add_argument("--epochs", type=int, default=1)
    args = ap.parse_args()
    if args.epochs < 1:
        ap.error("--epochs must be a positive integer")
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))

    x, y = fashion_mnist_train(np.float32)
    params64 = mlp_parameters(WIDTHS, SEED_THETA)
    shapes = [tuple(p.shape) for p in params64]
    rows = sum(p.numel() for p in params64)
    theta0 = torch.cat([p.detach().reshape(-1) for p in params64]).to(torch.float32)

    # Fingerprints in float64 (see bench/subspace_epoch.cpp).
    p64 = load_fastfood(rows, SUBSPACE_DIM, torch.float64)
    with torch.no_grad():
        initial_loss = F.cross_entropy(mlp_forward(params64, x[:CHECK_IMAGES].double()), y[:CHECK_IMAGES]).item()
        cx = torch.from_numpy(2 * uniform(SEED_CHECK_X, SUBSPACE_DIM) - 1)
        cw = torch.from_numpy(2 * uniform(SEED_CHECK_W, rows) - 1)
        px = p64(cx)
    cx_var = cx.clone().requires_grad_()
    (p64(cx_var) * cw).sum().backward()  # P^T w through autograd, as training takes it
    ptw = cx_var.grad

    projection = load_fastfood(rows, SUBSPACE_DIM, torch.float32)
    print(f"problem=784-200-200-10 ReLU MLP, float32, D = {rows} parameters in a d = {SUBSPACE_DIM} Fastfood subspace "
          f"({projection.signs.shape[0]} blocks of order {projection.order}); one epoch of {x.shape[0]} images, "
          f"batch {BATCH}, Adam lr {LR}, cross-entropy")
    print(f"blas={blas_description()}")
    print(f"torch_version={torch.__version__} threads={torch.get_num_threads()}")
    print(f"check_pixel_sum={x.double().sum().item():.15e}")
    print(f"check_label_sum={float(y.sum().item()):.15e}")
    print(f"check_initial_loss={initial_loss:.15e}")
    print(f"check_projection_dot={(px * cw).sum().item():.15e}")
    print(f"check_projection_square={(px * px).sum().item():.15e}")
    print(f"check_transpose_square={(ptw * ptw).sum().item():.15e}")

    d = torch.zeros(SUBSPACE_DIM, dtype=torch.float32, requires_grad=True)
    opt = torch.optim.Adam([d], lr=LR)
    times, train_loss, train_accuracy = train_epochs(
        x, y, BATCH, args.epochs, lambda xb: mlp_forward(layers(theta0 + projection(d), shapes), xb), opt, "subspace epoch")
    print(f"final_train_loss={train_loss:.6f} final_train_accuracy={train_accuracy:.4f}")
    print(f"epochs={args.epochs}, {(x.shape[0] + BATCH - 1) // BATCH} steps per epoch")
    print(f"torch_min_seconds={min(times):.6e}")
    print(f"torch_seconds={statistics.median(times):.6e}")


if __name__ == "__main__":
    main()
