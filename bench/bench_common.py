"""What the PyTorch sides of the benchmarks share (bench/bench_common.hpp is the netdim
sides' twin): PyTorch itself, the splitmix64 streams both sides draw their inputs
from, the BLAS report, the --seconds option and the timed loop.

Not a benchmark: bench/run pairs NAME.py with NAME.cpp, and there is no
bench_common.cpp. The benchmarks take torch and F from here, so that a missing
PyTorch ends in one clear message rather than a traceback.
"""
import argparse
import ctypes
import dataclasses
import gzip
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
    sys.exit(f"bench/{os.path.basename(sys.argv[0])}: PyTorch is not available to {sys.executable} ({e}); "
             "apt-get install python3-torch")

__all__ = ["F", "Timing", "blas_description", "fashion_mnist_train", "mlp_forward", "mlp_parameters", "train_epochs", "peak_rss_mb", "print_iterations", "run_sd_benchmark",
           "seconds_option", "time_steps", "torch", "uniform"]

M64 = np.uint64


def uniform(seed, n):
    """Elements 0..n-1 of splitmix64 stream `seed` as doubles in [0, 1) (same as uniform_at in the C++)."""
    with np.errstate(over="ignore"):
        z = M64(seed) + (np.arange(1, n + 1, dtype=np.uint64) * M64(0x9E3779B97F4A7C15))
        z = (z ^ (z >> M64(30))) * M64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> M64(27))) * M64(0x94D049BB133111EB)
        z ^= z >> M64(31)
    return (z >> M64(11)).astype(np.float64) * 2.0**-53


def mlp_parameters(widths, seed):
    """[w1, b1, w2, b2, ...] of dense layers of these widths as leaf tensors that require grad.

    PyTorch's default Linear initialisation, U(-1/sqrt(in), 1/sqrt(in)) for weight and bias,
    drawn from stream `seed` as one flat vector in PyTorch layout (per layer weight [out, in],
    then bias): the numbers draw_mlp_parameters in the C++ draws.
    """
    n = sum(o * i + o for i, o in zip(widths[:-1], widths[1:]))
    u = uniform(seed, n)
    params, at = [], 0
    for fan_in, fan_out in zip(widths[:-1], widths[1:]):
        bound = 1.0 / np.sqrt(float(fan_in))
        for shape in [(fan_out, fan_in), (fan_out,)]:
            k = int(np.prod(shape))
            params.append(torch.from_numpy(((2 * u[at:at + k] - 1) * bound).reshape(shape).copy()).requires_grad_())
            at += k
    return params


FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"  # Debian's dataset-fashion-mnist


def read_idx(path, magic, dims):
    """An IDX file (gzip-compressed) as a uint8 array of `dims` dimensions."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    head = np.frombuffer(raw, dtype=">u4", count=1 + dims)
    if head[0] != magic:
        sys.exit(f"bench: {path}: magic {head[0]:#x}, expected {magic:#x}")
    shape = tuple(int(d) for d in head[1:])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * (1 + dims))
    if data.size != int(np.prod(shape)):
        sys.exit(f"bench: {path}: {data.size} bytes of data for shape {shape}")
    return data.reshape(shape)


def fashion_mnist_train(dtype):
    """The 60000 training images flattened, pixels / 255 in `dtype` (np.float32 or np.float64), and the labels."""
    images = read_idx(os.path.join(FASHION_MNIST_DIR, "train-images-idx3-ubyte.gz"), 0x803, 3)
    labels = read_idx(os.path.join(FASHION_MNIST_DIR, "train-labels-idx1-ubyte.gz"), 0x801, 1)
    x = torch.from_numpy(images.reshape(images.shape[0], -1).astype(dtype) / dtype(255))
    y = torch.from_numpy(labels.astype(np.int64))
    if x.shape != (60000, 784):
        sys.exit(f"bench: expected 60000 training images of 784 pixels, got {tuple(x.shape)}")
    return x, y


def mlp_forward(params, x):
    """The ReLU MLP of [w1, b1, w2, b2, ...] through F.linear (no ReLU after the last layer)."""
    h = x
    for i in range(0, len(params), 2):
        h = F.linear(h, params[i], params[i + 1])
        if i + 2 < len(params):
            h = F.relu(h)
    return h


def train_epochs(x, y, batch, epochs, logits, opt, label="epoch"):
    """Epochs of minibatch training over a torch.randperm shuffle, as the netdim trainer runs them:
    each step takes the batch loss and the number classified correctly, and each epoch prints
    their running means and its seconds (`label N: ...`). logits(xb) gives the model's output;
    opt moves its leaves. Returns (seconds per epoch, final train loss, final train accuracy)."""
    times = []
    for epoch in range(1, epochs + 1):
        t0 = time.perf_counter()
        total, correct = 0.0, 0
        for idx in torch.randperm(x.shape[0]).split(batch):
            xb, yb = x[idx], y[idx]
            out = logits(xb)
            loss = F.cross_entropy(out, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
            correct += (out.argmax(1) == yb).sum().item()
        times.append(time.perf_counter() - t0)
        train_loss, train_accuracy = total / x.shape[0], correct / x.shape[0]
        print(f"{label} {epoch}: train_loss={train_loss:.6f} train_accuracy={train_accuracy:.4f} seconds={times[-1]:.3f}")
    return times, train_loss, train_accuracy


def blas_description():
    """The BLAS this process really loaded (read from /proc/self/maps: call it after a matmul)."""
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


def seconds_option(description):
    """--seconds S, the timed loop's budget (default 2.5, or $BENCH_SECONDS); exits 2 unless positive."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "2.5")))
    args = ap.parse_args()
    if not args.seconds > 0:
        ap.error("--seconds must be positive")
    return args.seconds


def minor_faults():
    """Minor page faults so far: fresh memory the kernel had to map and zero."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


@dataclasses.dataclass
class Timing:
    """What time_steps measured."""
    warmup: int  # warm-up steps, not timed one by one
    times: list  # seconds per timed step
    faults: int  # minor page faults during the timed steps

    @property
    def min(self):
        return min(self.times)

    @property
    def median(self):
        return statistics.median(self.times)

    @property
    def faults_per_step(self):
        return self.faults / len(self.times)


def time_steps(step, seconds, min_warmup=3, min_steps=10):
    """Warm-up (at least `min_warmup` steps and 0.3 s), which also estimates the step time; then
    as many single timed steps as fill `seconds` (`min_steps` to 1,000,000). Steps of seconds
    (one spectral sample, say) lower the minimums so a run stays short."""
    warm, t0 = 0, time.perf_counter()
    while warm < min_warmup or time.perf_counter() - t0 < 0.3:
        step()
        warm += 1
    per = (time.perf_counter() - t0) / warm
    iters = min(max(int(seconds / per), min_steps), 1000000)
    times = []
    faults0 = minor_faults()
    for _ in range(iters):
        t = time.perf_counter()
        step()
        times.append(time.perf_counter() - t)
    return Timing(warm, times, minor_faults() - faults0)


def peak_rss_mb():
    """The process's peak resident memory so far, in MB (ru_maxrss is KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def print_iterations(timing):
    """The line iterations=N (after W warm-up), min A ms, max B ms."""
    print(f"iterations={len(timing.times)} (after {timing.warmup} warm-up), "
          f"min {timing.min * 1e3:.3f} ms, max {max(timing.times) * 1e3:.3f} ms")


# One spanning-dimension sample of seed 003's Algorithm 1, the way a PyTorch user
# would compute it (shared by esd_mlp.py and esd_cnn.py).

def effective_rank(gram):
    """Effective rank of J from its Gram J J^T; eigenvalues at or below n eps lambda_max count as zero."""
    n = gram.shape[0]
    eig = torch.linalg.eigvalsh(gram)
    tol = n * torch.finfo(torch.float64).eps * max(eig[-1].item(), 0.0)
    s = torch.sqrt(torch.where(eig > tol, eig, torch.zeros_like(eig)))
    if s.sum() == 0:
        return 0.0
    p = s / s.sum()
    p = p[p > 0]
    return float(torch.exp(-(p * torch.log(p)).sum()))


def jacobian_loop(g, params, x):
    """J of g(params, x_i) by one torch.autograd.grad per point."""
    rows = []
    for i in range(x.shape[0]):
        grads = torch.autograd.grad(g(params, x[i]), params)
        rows.append(torch.cat([t.reshape(-1) for t in grads]))
    return torch.stack(rows)


def jacobian_vmap(g, params, x):
    """J of g(params, x_i) by functorch's vmap(grad) (torch.func in PyTorch 2)."""
    import functorch
    grads = functorch.vmap(functorch.grad(g), in_dims=(None, 0))([p.detach() for p in params], x)
    return torch.cat([t.reshape(x.shape[0], -1) for t in grads], dim=1)


def run_sd_benchmark(name, problem, g, draw):
    """Times one SD sample (draw() -> (params, x); J of g; J J^T; effective rank) with the loop and
    with vmap, and prints the lines bench/run reads, quoting the faster method."""
    seconds = seconds_option(f"{name}, PyTorch side")
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", "1")))
    print(f"problem={problem}")

    def sample(jacobian):
        params, x = draw()
        j = jacobian(g, params, x)
        gram = j @ j.T
        return effective_rank(gram), float(torch.diagonal(gram).sum())

    results = {}
    for method, jacobian in [("loop", jacobian_loop), ("vmap", jacobian_vmap)]:
        sd, trace = sample(jacobian)
        timing = time_steps(lambda: sample(jacobian), seconds, min_warmup=1, min_steps=3)
        print(f"[{method}] sd={sd:.12f} gram_trace={trace:.15e}")
        print(f"[{method}] ", end="")
        print_iterations(timing)
        results[method] = (timing, sd, trace)
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
