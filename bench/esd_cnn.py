"""Benchmark esd_cnn, PyTorch side (netdim twin: bench/esd_cnn.cpp; run both with `bench/run esd_cnn`).

One spanning-dimension (SD) sample for seed 003 section 5.3's small residual CNN
(examples/esd2020/sec53_resnet.net; 74,762 parameters, 1x28x28 inputs), float64,
n = 256 points uniform in [-1, 1], sum_squares: draw the weights, form J (256 x 74,762)
with the faster of a loop of torch.autograd.grad and functorch's vmap(grad) (both timed),
then J J^T, torch.linalg.eigvalsh and the effective rank. Same numbers as
bench/esd_cnn.cpp (splitmix64 streams; every block U(-1/sqrt(fan_in), 1/sqrt(fan_in)),
a bias with its layer's fan-in). A sample shortcut takes every s-th pixel of the block
before and adds zero channels (no parameters).

Run with Debian's interpreter, /usr/bin/python3 (python3-torch). Threads:
torch.set_num_threads($BENCH_THREADS, default 1); bench/run exports OPENBLAS_NUM_THREADS.
Options: --seconds S   time budget per method (default 2.5, or $BENCH_SECONDS)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
from bench_common import F, run_sd_benchmark, torch, uniform  # noqa: E402

POINTS = 256
SEED_THETA, SEED_INPUT = 1, 2
# (out, in) of the seven 3x3 convolutions in declaration order, then the dense layer.
CONVS = [(16, 1), (16, 16), (16, 16), (32, 16), (32, 32), (64, 32), (64, 64)]
DENSE = (10, 64)


def shapes():
    out = []
    for o, i in CONVS:
        out += [((o, i, 3, 3), i * 9), ((o,), i * 9)]
    out += [(DENSE, DENSE[1]), ((DENSE[0],), DENSE[1])]
    return out


def draw_params():
    blocks = shapes()
    u = uniform(SEED_THETA, sum(int(np.prod(s)) for s, _ in blocks))
    params, at = [], 0
    for shape, fan_in in blocks:
        k = int(np.prod(shape))
        params.append(torch.from_numpy(((2 * u[at:at + k] - 1) / np.sqrt(float(fan_in))).reshape(shape).copy())
                      .requires_grad_())
        at += k
    return params


def sample_shortcut(skip, like):
    s = skip.shape[-1] // like.shape[-1]
    y = skip[:, :, ::s, ::s]
    extra = like.shape[1] - y.shape[1]
    if extra:
        y = torch.cat([y, y.new_zeros(y.shape[0], extra, y.shape[2], y.shape[3])], dim=1)
    return y


def network(params, x):
    """The network on a batch x [N, 1, 28, 28] -> [N, 10]."""
    conv = [(params[2 * i], params[2 * i + 1]) for i in range(len(CONVS))]
    stem = F.relu(F.conv2d(x, *conv[0], padding=1))

    def block(h, skip, a, b):
        y = F.conv2d(F.relu(F.conv2d(h, *a, padding=1)), *b, padding=1)
        return F.relu(y + sample_shortcut(skip, y))

    r1 = block(stem, stem, conv[1], conv[2])
    r2 = block(F.max_pool2d(r1, 2), r1, conv[3], conv[4])
    r3 = block(F.max_pool2d(r2, 2), r2, conv[5], conv[6])
    return F.linear(r3.mean(dim=(2, 3)), params[-2], params[-1])


def g(params, x):
    """sum_c f_c(x)^2 of one example x [1, 28, 28]."""
    y = network(params, x.unsqueeze(0))
    return (y * y).sum()


def draw():
    x = torch.from_numpy((2 * uniform(SEED_INPUT, POINTS * 784) - 1).reshape(POINTS, 1, 28, 28))
    return draw_params(), x


def main():
    run_sd_benchmark("esd_cnn", f"one SD sample: seed 003 section 5.3 residual CNN, {POINTS} points, sum_squares, float64, "
                     f"{sum(int(np.prod(s)) for s, _ in shapes())} parameters", g, draw)


if __name__ == "__main__":
    main()
