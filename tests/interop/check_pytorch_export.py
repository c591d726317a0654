#!/usr/bin/python3
"""netdim export --pytorch checked against PyTorch itself.

usage: check_pytorch_export.py NETDIM SCRATCH NET[:jacobian] ...

For each network: netdim writes the module (export --pytorch) and its outputs at random
parameters on random inputs (forward --params); PyTorch loads the module
and the parameters and must give the same outputs (float64, relative 1e-9), the same
state_dict names as netdim's blocks, the same vector back from save_netdim_npy, and, with
`:jacobian`, the same per-example Jacobian of the first output as torch.autograd.grad.
Prints one line per network; exits 1 at the first difference.
"""
import importlib.util
import os
import subprocess
import sys

import numpy
import torch


def run(netdim, *args):
    r = subprocess.run([netdim, *args], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"netdim {' '.join(args)}: exit {r.returncode}: {r.stderr.strip()}")


def check(netdim, scratch, spec):
    net, _, mode = spec.partition(":")
    name = os.path.splitext(os.path.basename(net))[0]
    d = os.path.join(scratch, name)
    os.makedirs(d, exist_ok=True)
    py, theta_path = os.path.join(d, "net.py"), os.path.join(d, "theta.npy")
    run(netdim, "export", net, "--pytorch", py)
    spec_ = importlib.util.spec_from_file_location(f"net_{name}", py)
    module = importlib.util.module_from_spec(spec_)
    spec_.loader.exec_module(module)
    model = module.Net().double().eval()
    names = [n for n, _ in module.BLOCKS]
    rng = numpy.random.default_rng(11)
    count = sum(int(numpy.prod(shape)) for _, shape in module.BLOCKS)
    numpy.save(theta_path, rng.normal(0, 0.3, size=count))
    module.load_netdim_npy(model, theta_path)
    if sorted(model.state_dict().keys()) != sorted(names):
        sys.exit(f"{net}: state_dict names {list(model.state_dict().keys())[:5]}... are not netdim's {names[:5]}...")

    x = rng.uniform(-1, 1, size=(2,) + module.INPUT_SHAPE)
    x_path, y_path = os.path.join(d, "x.npy"), os.path.join(d, "y.npy")
    numpy.save(x_path, x)
    run(netdim, "forward", net, "--inputs", x_path, "--params", theta_path, "-o", y_path)
    want = numpy.load(y_path)
    with torch.no_grad():
        got = model(torch.from_numpy(x)).numpy()
    if got.shape != want.shape:
        sys.exit(f"{net}: PyTorch's output has shape {got.shape}, netdim's {want.shape}")
    scale = 1 + numpy.abs(want).max()
    diff = numpy.abs(got - want).max() / scale
    if not diff < 1e-9:
        sys.exit(f"{net}: outputs differ by {diff:.3g} (relative)")

    back = os.path.join(d, "back.npy")
    module.save_netdim_npy(model, back)
    if not numpy.array_equal(numpy.load(back), numpy.load(theta_path)):
        sys.exit(f"{net}: save_netdim_npy does not give back the vector load_netdim_npy read")

    line = f"{name}: {len(names)} blocks, outputs {want.shape} agree to {diff:.1e}"
    if mode == "jacobian":
        j_path = os.path.join(d, "j.npy")
        run(netdim, "jacobian", net, "--inputs", x_path, "--params", theta_path, "-o", j_path)
        j = numpy.load(j_path)
        params = [model.get_parameter(n) for n in names]
        worst = 0.0
        for i in range(x.shape[0]):
            first = model(torch.from_numpy(x[i:i + 1])).reshape(-1)[0]
            grads = torch.autograd.grad(first, params)
            row = torch.cat([g.reshape(-1) for g in grads]).numpy()
            worst = max(worst, numpy.abs(row - j[i]).max() / (1 + numpy.abs(row).max()))
        if j.shape != (x.shape[0], sum(p.numel() for p in params)) or not worst < 1e-9:
            sys.exit(f"{net}: the Jacobian {j.shape} differs from torch.autograd.grad's by {worst:.3g}")
        line += f"; Jacobian {j.shape} agrees to {worst:.1e}"
    print(line)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    netdim, scratch = sys.argv[1], sys.argv[2]
    torch.set_num_threads(1)
    for spec in sys.argv[3:]:
        check(netdim, scratch, spec)


if __name__ == "__main__":
    main()
