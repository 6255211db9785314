"""Run one expression in several autograd engines and compare what they compute.

An expression is a Python function of its leaves, written once with operators and the
methods all engines share (`.relu()`, `.tanh()`, `.exp()`, `.log()`, `.sigmoid()`), so the
same code builds the graph in microgradnb, in PyTorch and (for the ops it has) in micrograd.
It returns the output node, or a tuple `(output, interior1, interior2, ...)` when the
gradients of some interior nodes should be compared too.
"""
import math
from dataclasses import dataclass

import torch
from micrograd.engine import Value as MGValue

from microgradnb import Value

REL_TOL, ABS_TOL = 1e-9, 1e-12


def close(a, b, rel_tol=REL_TOL, abs_tol=ABS_TOL):
    "True if floats `a` and `b` agree to `rel_tol` (or are both within `abs_tol` of each other)"
    return math.isclose(a, b, rel_tol=rel_tol, abs_tol=abs_tol)


@dataclass
class Result:
    "What one engine computed: the output's value and the gradients of the leaves and interior nodes"
    value: float
    leaf_grads: list
    inner_grads: list


class Engine:
    "How to make a leaf, read a number and read a gradient in one autograd engine"
    name = ''
    def leaf(self, x): raise NotImplementedError
    def value(self, node): return float(node.data)
    def grad(self, node): return float(node.grad)
    def retain(self, node): pass

    def run(self, fn, xs):
        "Build `fn(*leaves)` from the numbers `xs`, call backward on its output, return a `Result`"
        leaves = [self.leaf(x) for x in xs]
        res = fn(*leaves)
        out, inner = (res[0], list(res[1:])) if isinstance(res, tuple) else (res, [])
        for node in inner: self.retain(node)
        out.backward()
        return Result(self.value(out), [self.grad(l) for l in leaves], [self.grad(n) for n in inner])

    def __repr__(self): return self.name


class MicrogradNB(Engine):
    name = 'microgradnb'
    def leaf(self, x): return Value(x)
    def value(self, node): return node.val


class Torch(Engine):
    name = 'torch'
    def leaf(self, x): return torch.tensor(float(x), dtype=torch.float64, requires_grad=True)
    def value(self, node): return node.item()
    def grad(self, node): return 0.0 if node.grad is None else node.grad.item()  # None: not in the graph
    def retain(self, node): node.retain_grad()


class Micrograd(Engine):
    name = 'micrograd'
    def leaf(self, x): return MGValue(float(x))


NB, TORCH, MICROGRAD = MicrogradNB(), Torch(), Micrograd()


def assert_results_close(got, want, what=''):
    "Assert two `Result`s agree to the tolerance, value and every gradient"
    assert close(got.value, want.value), f'{what}: value {got.value!r} != {want.value!r}'
    assert len(got.leaf_grads) == len(want.leaf_grads)
    for i, (g, w) in enumerate(zip(got.leaf_grads, want.leaf_grads)):
        assert close(g, w), f'{what}: grad of leaf {i} {g!r} != {w!r}'
    for i, (g, w) in enumerate(zip(got.inner_grads, want.inner_grads)):
        assert close(g, w), f'{what}: grad of interior node {i} {g!r} != {w!r}'


def assert_same(fn, xs, ref=TORCH):
    "Evaluate `fn` at `xs` in microgradnb and in `ref`; assert they agree; return microgradnb's `Result`"
    got, want = NB.run(fn, xs), ref.run(fn, xs)
    assert_results_close(got, want, f'{getattr(fn, "__name__", fn)}{tuple(xs)} vs {ref}')
    return got
