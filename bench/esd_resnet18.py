"""Benchmark esd_resnet18, PyTorch side (netdim twin: bench/esd_resnet18.cpp; run both with
`bench/run esd_resnet18`).

One spanning-dimension sample of seed 003's section 6 for torchvision's resnet18 (Debian's
python3-torchvision; 11,689,512 parameters, 3x224x224 inputs), float64, n = 8 points with
pixels in {-1, 1}, pick_first (the first logit): J (8 x 11,689,512) with the faster of a
loop of torch.autograd.grad and functorch's vmap(grad) (both timed), then J J^T,
torch.linalg.eigvalsh and the effective rank, as seed 003 computes it. The same numbers as
bench/esd_resnet18.cpp: splitmix64 streams in torchvision's parameter order; convolution
and dense weights and the dense bias U(-1/sqrt(fan_in), 1/sqrt(fan_in)); batch norm scale
1, shift 0, eval mode with running mean 0, variance 1 and eps 0 (netdim's inference form).

Run with Debian's interpreter, /usr/bin/python3. Threads: torch.set_num_threads($BENCH_THREADS,
default 1); bench/run exports OPENBLAS_NUM_THREADS.
Options: --seconds S   time budget per method (default 2.5, or $BENCH_SECONDS)
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # bench_common, even under PYTHONSAFEPATH
from bench_common import run_sd_benchmark, torch, uniform  # noqa: E402

import functorch  # noqa: E402
import torchvision  # noqa: E402

POINTS = 8
SEED_THETA, SEED_INPUT = 1, 2

model = torchvision.models.resnet18(weights=None).double().eval()
for m in model.modules():
    if isinstance(m, torch.nn.BatchNorm2d):
        m.eps = 0.0
        m.running_mean.zero_()
        m.running_var.fill_(1.0)
fmodel, _, buffers = functorch.make_functional_with_buffers(model)
NAMES = [name for name, _ in model.named_parameters()]
SHAPES = [p.shape for _, p in model.named_parameters()]
TOTAL = sum(int(np.prod(s)) for s in SHAPES)


def draw_params():
    u = uniform(SEED_THETA, TOTAL)
    params, at, fan_in = [], 0, 1
    for name, shape in zip(NAMES, SHAPES):
        k = int(np.prod(shape))
        if ".bn" in name or name.startswith("bn") or "downsample.1" in name:
            values = np.ones(k) if name.endswith("weight") else np.zeros(k)
        else:
            if name.endswith("weight"):
                fan_in = int(np.prod(shape[1:]))
            values = (2 * u[at:at + k] - 1) / np.sqrt(float(fan_in))
        params.append(torch.from_numpy(values.reshape(shape).copy()).requires_grad_())
        at += k
    return params


def g(params, x):
    """f_0(x), the first logit, of one example x [3, 224, 224]."""
    return fmodel(params, buffers, x.unsqueeze(0))[0, 0]


def draw():
    u = uniform(SEED_INPUT, POINTS * 3 * 224 * 224)
    x = torch.from_numpy(np.where(u < 0.5, -1.0, 1.0).reshape(POINTS, 3, 224, 224))
    return draw_params(), x


def main():
    assert TOTAL == 11689512, TOTAL
    run_sd_benchmark("esd_resnet18", f"one SD sample: torchvision resnet18 (3x224x224), {POINTS} points in {{-1, 1}}, "
                     f"pick_first, float64, {TOTAL} parameters", g, draw)


if __name__ == "__main__":
    main()
