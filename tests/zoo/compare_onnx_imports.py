#!/usr/bin/python3
"""torchvision's classifiers through ONNX into netdim, against torchvision itself.

usage: tests/zoo/compare_onnx_imports.py [--netdim build/cli/netdim] [--out DIR] [NAME ...]

For each classifier of examples/zoo/ (all 20 without names): exports torchvision's model (random
weights, eval mode) with torch.onnx at opset 17, keeping batch norms (TrainingMode.PRESERVE and
no constant folding: the default eval export folds them into the convolutions), imports it with
`netdim import`, and compares:
  - the parameter count with torchvision's;
  - the imported architecture with the hand-written examples/zoo/NAME.net: the same layers
    (kind, shape, attributes, parameters per layer) up to layer names and dropout layers;
  - netdim forward against torchvision's outputs on 2 images, in float64 (relative 1e-5);
  - the Jacobian of the first logit (netdim jacobian) against torch.autograd.grad on 2 images
    (netdim's batch norm parameters are the folded scale and shift: PyTorch's gradients with
    respect to gamma and beta are mapped to them).
Needs Debian's python3-torch, python3-torchvision and python3-onnx. Prints one line per model
and a last line `zoo onnx: N of M agree`; exits 1 when any disagrees. The ONNX files go to --out
(default: a temporary directory), not into the repository: they are large.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy
import torch
import torchvision

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ZOO = ["alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
       "squeezenet1_0", "squeezenet1_1", "densenet121", "densenet161", "densenet169", "densenet201", "googlenet",
       "shufflenet_v2_x1_0", "mobilenet_v2", "resnext50_32x4d"]


def netdim(binary, *args):
    r = subprocess.run([binary, *args], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"netdim {' '.join(args[:2])}: {r.stderr.strip()}")
    return r.stdout


def layers_up_to_names(binary, path):
    # Dropout layers aside: an eval-mode export has none (netdim's dropout is the identity, so the
    # hand-written files' dropout layers change neither the function nor the count).
    g = json.loads(netdim(binary, "export", path, "--json"))
    return [(l["kind"], l["shape"], l["attributes"], l["parameters"]) for l in g["layers"] if l["kind"] != "dropout"]


def compare(binary, out, name):
    kwargs = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
    model = getattr(torchvision.models, name)(weights=None, **kwargs).eval()
    path = os.path.join(out, name + ".onnx")
    torch.onnx.export(model, torch.randn(1, 3, 224, 224), path, opset_version=17,
                      training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False,
                      input_names=["input"], output_names=["logits"], dynamic_axes={"input": {0: "batch"}})
    net, theta = os.path.join(out, name + ".net"), os.path.join(out, name + ".npy")
    netdim(binary, "import", path, "-o", net, "--params", theta)
    count = sum(p.numel() for p in model.parameters())
    got_count = numpy.load(theta).size
    same_layers = layers_up_to_names(binary, net) == layers_up_to_names(binary, os.path.join(ROOT, "examples", "zoo", name + ".net"))

    x = torch.randn(2, 3, 224, 224, dtype=torch.float64, generator=torch.Generator().manual_seed(5))
    x_path, y_path, j_path = (os.path.join(out, name + s) for s in ("-x.npy", "-y.npy", "-j.npy"))
    numpy.save(x_path, x.numpy())
    netdim(binary, "forward", net, "--inputs", x_path, "--params", theta, "-o", y_path)
    model = model.double()
    with torch.no_grad():
        want = model(x).numpy()
    got = numpy.load(y_path)
    forward = float(numpy.abs(got - want).max() / numpy.abs(want).max()) if got.shape == want.shape else float("inf")

    netdim(binary, "jacobian", net, "--inputs", x_path, "--params", theta, "-o", j_path)
    j = numpy.load(j_path)
    # torchvision's parameters in netdim's canonical order: the imported blocks carry torchvision's names.
    params = dict(model.named_parameters())
    order = [b["name"] for b in json.loads(netdim(binary, "export", net, "--json"))["parameter_blocks"]]
    jac = float("inf")
    if all(n in params for n in order):
        worst = 0.0
        modules = dict(model.named_modules())
        for i in range(2):
            first = model(x[i:i + 1])[0, 0]
            grads = dict(zip(order, torch.autograd.grad(first, [params[n] for n in order])))
            parts = []
            for n in order:
                owner, _, kind = n.rpartition(".")
                bn = modules.get(owner)
                if isinstance(bn, torch.nn.modules.batchnorm._BatchNorm) and kind == "weight":
                    # netdim's batch norm is y = scale x + shift with scale = gamma / s, s = sqrt(var + eps),
                    # shift = beta - mean scale: d/d scale = s d/d gamma + mean d/d beta.
                    s = torch.sqrt(bn.running_var + bn.eps)
                    parts.append(s * grads[n] + bn.running_mean * grads[owner + ".bias"])
                else:
                    parts.append(grads[n].reshape(-1))
            row = torch.cat(parts).detach().numpy()
            worst = max(worst, float(numpy.abs(row - j[i]).max() / numpy.abs(row).max()))
        jac = worst
    ok = got_count == count and forward < 1e-5 and jac < 1e-5
    print(f"{name}: parameters {got_count} (torchvision {count}); layers as examples/zoo/{name}.net: "
          f"{'yes' if same_layers else 'no'}; forward {forward:.1e}; Jacobian {jac:.1e}: {'agree' if ok else 'DIFFER'}",
          flush=True)
    return ok


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--netdim", default=os.path.join(ROOT, "build", "cli", "netdim"))
    parser.add_argument("--out", default=None)
    parser.add_argument("names", nargs="*", default=ZOO)
    args = parser.parse_args()
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "1")))
    out = args.out or tempfile.mkdtemp(prefix="netdim-zoo-onnx-")
    os.makedirs(out, exist_ok=True)
    agree = 0
    for name in args.names:
        try:
            agree += compare(args.netdim, out, name)
        except RuntimeError as e:
            print(f"{name}: {e}", flush=True)
    print(f"zoo onnx: {agree} of {len(args.names)} agree")
    sys.exit(0 if agree == len(args.names) else 1)


if __name__ == "__main__":
    main()
