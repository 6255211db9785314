"""The losses (microgradnb.losses) and optimisers (microgradnb.optim) against PyTorch in float64: loss values and
gradients, and the parameters after every one of several optimiser steps, must agree to a relative 1e-9."""
import math
import random

import pytest
import torch
import torch.nn.functional as F

from microgradnb import Value
from microgradnb.losses import mse_loss, hinge_loss, bce_with_logits, l2_penalty
from microgradnb.optim import SGD, Adam

REL, ABS = 1e-9, 1e-12


def assert_close(ours, theirs, what):
    for i, (a, b) in enumerate(zip(ours, theirs, strict=True)):
        assert math.isclose(a, b, rel_tol=REL, abs_tol=ABS), f'{what}[{i}]: microgradnb {a!r}, torch {b!r}'


# ---- losses: value and gradient with respect to every prediction --------------------------------------------------

def compare_loss(ours, theirs, preds, targets):
    "Run `ours` on Values and `theirs` on float64 tensors; compare the loss and the gradient of each prediction"
    vs = [Value(p) for p in preds]
    loss = ours(vs, targets)
    loss.backward()
    t = torch.tensor(preds, dtype=torch.float64, requires_grad=True)
    tloss = theirs(t, torch.tensor(targets, dtype=torch.float64))
    tloss.backward()
    assert_close([loss.val], [tloss.item()], 'loss')
    assert_close([v.grad for v in vs], t.grad.tolist(), 'grad')


def rows(seed, n, target):
    rng = random.Random(seed)
    return [rng.uniform(-3, 3) for _ in range(n)], [target(rng) for _ in range(n)]


@pytest.mark.parametrize('seed', range(5))
def test_mse_loss(seed):
    preds, targets = rows(seed, 7, lambda r: r.uniform(-2, 2))
    compare_loss(mse_loss, F.mse_loss, preds, targets)


@pytest.mark.parametrize('seed', range(5))
def test_hinge_loss(seed):
    preds, targets = rows(seed, 9, lambda r: r.choice([-1, 1]))
    preds[0], targets[0] = 1.0, 1  # exactly on the margin: relu's gradient at 0 is 0 in both
    compare_loss(hinge_loss, lambda s, y: torch.relu(1 - y * s).mean(), preds, targets)


@pytest.mark.parametrize('seed', range(5))
def test_bce_with_logits(seed):
    preds, targets = rows(seed, 8, lambda r: r.choice([0, 1, r.random()]))
    compare_loss(bce_with_logits, F.binary_cross_entropy_with_logits, preds, targets)


def test_bce_with_logits_extreme_logits():
    # |z| = 1000 and 700, right and wrong, and z = 0 exactly, where a relu-built softplus would get the gradient wrong
    preds = [1000.0, -1000.0, 1000.0, -1000.0, 700.0, -700.0, 0.0, 0.0, 36.0, -36.0]
    targets = [1, 0, 0, 1, 1, 0.5, 1, 0, 0.25, 0.75]
    compare_loss(bce_with_logits, F.binary_cross_entropy_with_logits, preds, targets)


def test_l2_penalty():
    xs = [0.5, -1.5, 3.0, 1e-8]
    ps = [Value(x) for x in xs]
    pen = l2_penalty(ps)
    pen.backward()
    t = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    tpen = (t * t).sum()
    tpen.backward()
    assert_close([pen.val], [tpen.item()], 'l2')
    assert_close([p.grad for p in ps], t.grad.tolist(), 'grad')


def test_l2_penalty_of_nothing_says_what_it_needs():
    "l2_penalty([]) said 'there is nothing to train', the optimisers' words: it penalises, it does not train"
    with pytest.raises(ValueError) as info: l2_penalty([])
    msg = str(info.value)
    assert msg.startswith('params is empty: l2_penalty needs a non-empty list of parameters'), msg
    assert 'train' not in msg


# ---- optimisers: the parameters after each step ----------------------------------------------------------------------

def objective(p, tanh, exp):
    "A small non-quadratic function of five parameters, written once for both engines"
    a, b, c, d, e = p
    return (a - 1.5) ** 2 + 3 * (b * c - 0.5) ** 2 + tanh(d * a) + exp(0.3 * e) + 0.1 * (e * e) * (d - 2) ** 2


START = [0.3, -1.2, 0.8, 2.0, -0.7]


def run_both(make_ours, make_theirs, steps, lrs=None):
    "Take `steps` steps with each optimiser from START (changing the learning rate to lrs[k] before step k, if given)"
    ours = [Value(x) for x in START]
    opt = make_ours(ours)
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    topt = make_theirs([theirs])
    for k in range(steps):
        if lrs is not None:
            opt.lr = lrs[k]
            for g in topt.param_groups: g['lr'] = lrs[k]
        opt.zero_grad()
        objective(ours, Value.tanh, Value.exp).backward()
        opt.step()
        topt.zero_grad()
        objective(theirs, torch.tanh, torch.exp).backward()
        topt.step()
        assert_close([p.val for p in ours], theirs.tolist(), f'params after step {k + 1}')


@pytest.mark.parametrize('lr,momentum', [(0.05, 0.0), (0.05, 0.9), (0.01, 0.5), (0.2, 0.0)])
def test_sgd_matches_torch(lr, momentum):
    run_both(lambda ps: SGD(ps, lr=lr, momentum=momentum),
             lambda ps: torch.optim.SGD(ps, lr=lr, momentum=momentum), steps=8)


@pytest.mark.parametrize('kw', [dict(), dict(lr=0.05), dict(lr=0.1, betas=(0.8, 0.99)), dict(lr=0.01, betas=(0.0, 0.9), eps=1e-6)])
def test_adam_matches_torch(kw):
    run_both(lambda ps: Adam(ps, **kw), lambda ps: torch.optim.Adam(ps, **kw), steps=8)


def test_learning_rate_changed_between_steps():
    lrs = [0.1 * (1 - 0.9 * k / 6) for k in range(6)]
    run_both(lambda ps: SGD(ps, lr=1.0, momentum=0.9), lambda ps: torch.optim.SGD(ps, lr=1.0, momentum=0.9), 6, lrs)
    run_both(lambda ps: Adam(ps, lr=1.0), lambda ps: torch.optim.Adam(ps, lr=1.0), 6, lrs)
