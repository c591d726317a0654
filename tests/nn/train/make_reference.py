# Prints the PyTorch reference numbers that tests/nn/train/test_loss.cpp and
# test_optimizer.cpp hold as constants. Run once by hand
# (/usr/bin/python3 tests/nn/train/make_reference.py, Debian's python3-torch 1.13);
# the test suite itself never needs PyTorch.
import torch

torch.set_default_dtype(torch.float64)


def show(name, t):
    values = ", ".join(repr(float(v)) for v in t.detach().flatten())
    print(f"{name}: {{{values}}}")


# Losses, with the gradient of each input.
logits = torch.tensor([[0.5, -1.25, 2.0, 0.0], [3.0, 1.5, -0.5, -2.0], [-0.75, 0.25, 0.125, 1.0]],
                      requires_grad=True)
labels = torch.tensor([2, 0, 1])
ce = torch.nn.functional.cross_entropy(logits, labels)
ce.backward()
show("cross_entropy", ce.reshape(1))
show("cross_entropy grad", logits.grad)

x = torch.tensor([[-3.0, -0.5, 0.0], [0.75, 2.0, 6.0]], requires_grad=True)
t = torch.tensor([[0.0, 1.0, 0.5], [1.0, 0.25, 0.0]], requires_grad=True)
bce = torch.nn.functional.binary_cross_entropy_with_logits(x, t)
bce.backward()
show("bce", bce.reshape(1))
show("bce grad logits", x.grad)
show("bce grad targets", t.grad)

# Optimisers: 3 steps from the same start with fixed gradients.
start = [1.0, -2.0, 0.5]
grads = [[0.3, -0.1, 0.8], [-0.2, 0.4, 0.05], [0.6, 0.0, -0.7]]


def run(make):
    p = torch.tensor(start, requires_grad=True)
    opt = make([p])
    for g in grads:
        p.grad = torch.tensor(g)
        opt.step()
    return p


show("sgd plain", run(lambda ps: torch.optim.SGD(ps, lr=0.1, foreach=False)))
show("sgd momentum dampening wd",
     run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.25, weight_decay=0.01, foreach=False)))
show("sgd nesterov wd",
     run(lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.01, nesterov=True, foreach=False)))
show("adam", run(lambda ps: torch.optim.Adam(ps, lr=0.1, foreach=False)))
show("adam betas eps wd",
     run(lambda ps: torch.optim.Adam(ps, lr=0.05, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.1, foreach=False)))
