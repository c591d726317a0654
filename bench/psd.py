"""Benchmark psd, SymPy side (netdim twin: bench/psd.cpp; run both with `bench/run psd`).

The exact rank of Jn[i, j] = dN(x_i)/dtheta_j for the two x^2 networks of bench/psd.cpp
(the height-1 network of 8 hidden layers, and a 1-4-4-1 network), by SymPy's
Matrix.rank on a Matrix of Rationals: the matrix netdim's psd ranked, read from the
$BENCH_TMPDIR/psd_matrices.json that the netdim side wrote (theta, inputs, Jn).

Fairness: SymPy is not asked to form Jn; only `.rank()` is timed (netdim's time includes
forming Jn). As extra lines, not part of the ratio: the time SymPy takes to form Jn itself
(symbolic derivatives of the network's expression, lambdified to exact Python integers and
evaluated at the same point), and the time of SymPy's faster DomainMatrix over QQ rank.
The Jn formed here must equal the file's entry for entry (else exit 1), which also checks
that both sides mean the same network, parameter order (PyTorch layout) and point.

Matrix.rank eliminates by cross-multiplying rows without cancelling common factors, so its
integers double in size at every pivot; on the depth-8 network (7,000-bit entries, rank
10) it runs past 60 s (a trial with SymPy 1.14 on a like matrix ran over 10 minutes). Each Matrix.rank call therefore runs under a time
limit, $BENCH_SYMPY_LIMIT seconds (default 60): when it is hit, the limit stands in for its
time (a lower bound, so the ratio is an upper bound), the line
sympy_seconds_is_lower_bound=1 says so, and check_rank comes from DomainMatrix's rank.

Run with Debian's interpreter, /usr/bin/python3 (python3-sympy).
Options: --seconds S   time budget per network for the timed loop (default 2.5, or $BENCH_SECONDS)
"""
import argparse
import fractions
import json
import os
import signal
import statistics
import sys
import time

try:
    import sympy
    from sympy.polys.matrices import DomainMatrix
except ImportError as e:  # bench/run checks first; this is for direct runs
    sys.exit(f"bench/psd.py: SymPy is not available to {sys.executable} ({e}); apt-get install python3-sympy")

FINGERPRINT_PRIME = 2**31 - 1


def height_one(depth):
    """(x, theta, N): input -> (dense(1) -> x^2) x depth -> dense(1); per layer weight then bias."""
    x = sympy.Symbol("x")
    theta = sympy.symbols(f"t0:{2 * (depth + 1)}")
    h = x
    for layer in range(depth + 1):
        h = theta[2 * layer] * h + theta[2 * layer + 1]
        if layer < depth:
            h = h**2
    return x, list(theta), h


def square_mlp(widths):
    """(x, theta, N) of dense layers of these widths with x^2 after every hidden one, PyTorch layout
    (per layer weight [out, in] row by row, then bias)."""
    x = sympy.Symbol("x")
    theta, h = [], [x]
    for layer, (fan_in, fan_out) in enumerate(zip(widths[:-1], widths[1:])):
        w = [[sympy.Symbol(f"w{layer}_{o}_{i}") for i in range(fan_in)] for o in range(fan_out)]
        b = [sympy.Symbol(f"b{layer}_{o}") for o in range(fan_out)]
        theta += [s for row in w for s in row] + b
        z = [sum(w[o][i] * h[i] for i in range(fan_in)) + b[o] for o in range(fan_out)]
        h = [v**2 for v in z] if layer + 2 < len(widths) else z
    return x, theta, h[0]


NETWORKS = {
    "height1_depth8": lambda: height_one(8),
    "mlp_1_4_4_1": lambda: square_mlp([1, 4, 4, 1]),
}


def form_jn(network, theta, inputs):
    """Jn by SymPy: d N / d theta_j symbolically, lambdified to plain Python (exact integer or
    Fraction arithmetic), evaluated at theta for each input."""
    x, symbols, n = network()
    if len(symbols) != len(theta):
        sys.exit(f"bench/psd.py: the file has {len(theta)} parameters, the network here {len(symbols)}")
    gradient = sympy.lambdify([x, *symbols], [sympy.diff(n, s) for s in symbols], modules=[{}])
    return [[fractions.Fraction(v) for v in gradient(xi, *theta)] for xi in inputs]


def exact(text):
    """"p" or "p/q" as an int or a Fraction (exact arithmetic in the lambdified derivatives)."""
    f = fractions.Fraction(text)
    return f.numerator if f.denominator == 1 else f


def fingerprint(rows):
    """sum of (i*cols + j + 1) * J[i][j] mod 2^31 - 1, a/b as a * b^-1 (bench/psd.cpp's)."""
    total, k = 0, 0
    for row in rows:
        for v in row:
            k += 1
            total += k * (v.numerator % FINGERPRINT_PRIME) * pow(v.denominator, -1, FINGERPRINT_PRIME)
    return total % FINGERPRINT_PRIME


class TimeLimit(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` inside SymPy swallows it."""


def timed_rank(matrix, limit):
    """(rank, seconds) of matrix.rank(), or (None, limit) when it runs past `limit` seconds."""
    def on_alarm(signum, frame):
        raise TimeLimit()
    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    t0 = time.perf_counter()
    try:
        rank = matrix.rank()
        return rank, time.perf_counter() - t0
    except TimeLimit:
        return None, limit
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def main():
    ap = argparse.ArgumentParser(description="psd, SymPy side")
    ap.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", "2.5")))
    args = ap.parse_args()
    if not args.seconds > 0:
        ap.error("--seconds must be positive")
    limit = float(os.environ.get("BENCH_SYMPY_LIMIT", "60"))
    if not limit > 0:
        sys.exit("bench/psd.py: BENCH_SYMPY_LIMIT must be positive")
    tmpdir = os.environ.get("BENCH_TMPDIR")
    if not tmpdir:
        sys.exit("bench/psd.py: BENCH_TMPDIR is not set: run `bench/run psd`, or set BENCH_TMPDIR=DIR for both sides")
    path = os.path.join(tmpdir, "psd_matrices.json")
    try:
        with open(path) as f:
            problems = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"bench/psd.py: cannot read {path} (the netdim side writes it first): {e}")
    print(f"problem=SymPy {sympy.__version__} Matrix.rank of netdim's Jn, one draw at a fixed point, "
          f"of: {', '.join(problems)}; Matrix.rank limit {limit:g} s")

    median_sum = min_sum = 0.0
    lower_bound = False
    for name, problem in problems.items():
        if name not in NETWORKS:
            sys.exit(f"bench/psd.py: unknown network '{name}' in {path}")
        theta = [exact(v) for v in problem["theta"]]
        inputs = [exact(v) for v in problem["inputs"]]
        from_file = [[fractions.Fraction(v) for v in row] for row in problem["jn"]]

        t0 = time.perf_counter()
        formed = form_jn(NETWORKS[name], theta, inputs)
        form_seconds = time.perf_counter() - t0
        if formed != from_file:
            sys.exit(f"bench/psd.py: {name}: the Jn SymPy forms differs from the netdim side's")

        matrix = sympy.Matrix([[sympy.Rational(v.numerator, v.denominator) for v in row] for row in from_file])
        t0 = time.perf_counter()
        domain_rank = DomainMatrix.from_Matrix(matrix).convert_to(sympy.QQ).rank()
        domain_seconds = time.perf_counter() - t0

        # Matrix.rank: one call first (its time decides how many more fit the budget), under the limit.
        rank, first = timed_rank(matrix, limit)
        times = [first]
        if rank is not None:
            while sum(times[1:]) + first <= args.seconds and len(times) < 1000:
                again, seconds = timed_rank(matrix, limit)
                if again != rank:
                    sys.exit(f"bench/psd.py: {name}: Matrix.rank gave {rank}, then {again}")
                times.append(seconds)
            if rank != domain_rank:
                sys.exit(f"bench/psd.py: {name}: Matrix.rank {rank} but DomainMatrix rank {domain_rank}")
            timed = times[1:] or times
            print(f"[{name}] rows={matrix.rows} cols={matrix.cols} rank={rank} Matrix.rank median "
                  f"{statistics.median(timed) * 1e3:.3f} ms over {len(timed)} call(s), min {min(timed) * 1e3:.3f} ms")
        else:
            lower_bound = True
            timed = times
            rank = domain_rank
            print(f"[{name}] rows={matrix.rows} cols={matrix.cols} Matrix.rank did not finish within {limit:g} s "
                  f"(counted as {limit:g} s, a lower bound); rank={rank} from DomainMatrix")
        print(f"[{name}] extra, not in the ratio: SymPy forming Jn (diff + lambdify + evaluation) {form_seconds * 1e3:.3f} ms; "
              f"DomainMatrix(QQ).rank {domain_seconds * 1e3:.3f} ms")
        print(f"check_rank_{name}={rank}")
        print(f"check_jn_mod_p_{name}={fingerprint(formed)}")
        print(f"sympy_seconds_{name}={statistics.median(timed):.6e}")
        print(f"sympy_form_seconds_{name}={form_seconds:.6e}")
        print(f"sympy_domainmatrix_seconds_{name}={domain_seconds:.6e}")
        median_sum += statistics.median(timed)
        min_sum += min(timed)
    if lower_bound:
        print("sympy_seconds_is_lower_bound=1")
    # The ratio's denominator: Matrix.rank of both networks' Jn.
    print(f"sympy_min_seconds={min_sum:.6e}")
    print(f"sympy_seconds={median_sum:.6e}")


if __name__ == "__main__":
    main()
