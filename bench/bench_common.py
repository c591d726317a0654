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

__all__ = ["F", "Timing", "blas_description", "mlp_parameters", "peak_rss_mb", "print_iterations", "seconds_option",
           "time_steps", "torch", "uniform"]

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
