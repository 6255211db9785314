"""Random expression graphs over every operation, built in microgradnb and in PyTorch (float64): the output's value
and the gradient of every leaf must agree to a relative 1e-9 (absolute 1e-12 near zero), or, where the two engines
round differently by more than that, microgradnb must be as close to the exact answer as float64 rounding allows
(`exact.py`).

A graph is a *program*: a few leaves, then steps that each apply one operation of the table `OPS` to nodes made
earlier (any of them, so nodes are shared and reused, `x * x` included), with plain numbers on either side. The
output adds the last node to every node nothing else used, so every step counts. Graphs stay inside each
operation's domain by construction: logs of positive numbers, powers of positive bases (or integer exponents),
divisions by numbers bounded away from 0, and exponents and magnitudes kept moderate. Each such choice is made on
microgradnb's numbers and replayed for PyTorch, so both engines build exactly the same graph; a failure here is a
real disagreement, not a graph that left the domain.

The second half feeds inputs *outside* the domains and checks that where PyTorch gives nan or inf, microgradnb
raises its own clear exception, naming the operation.

Adding an operation to the engine is one line in `OPS` (and one in `OUT_OF_DOMAIN` if it has a domain).
"""
import math
from dataclasses import dataclass
from typing import Callable

import pytest
import torch
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from engines import close
from exact import exact, within_rounding
from microgradnb import Value
import microgradnb.engine as engine
import microgradnb.nn as nn
import microgradnb  # noqa: F401  (every module, so Value has every method, softplus included)

BIG = 1e4          # interior values are scaled back below this (by a power of 2, which is exact)
EXP_MAX = 20.0     # largest |exponent| given to exp, or to a power through b * ln(a)
MARGIN = 1e-2      # bases and divisors are at least this far from 0


class Tape:
    "The numbers the graph's construction depends on: recorded from microgradnb, replayed for PyTorch"
    def __init__(self, recorded=None): self.recording, self.vals = recorded is None, [] if recorded is None else list(recorded)
    def __call__(self, node):
        "The value of `node` as microgradnb computed it"
        if self.recording:
            self.vals.append(node.val)
            return node.val
        return self.vals.pop(0)


def pow2_scale(x, limit):
    "A power of 2 that brings |x| to at most `limit` (exact to multiply by)"
    return 2.0 ** -math.ceil(math.log2(abs(x) / limit)) if abs(x) > limit else 1.0


def positive(a, c, t):
    "`a` if it is safely positive, else a*a + c (c >= 0.05): a node that is at least MARGIN"
    return a if t(a) >= MARGIN else a * a + c


def away_from_zero(a, c, t):
    "`a` if |a| >= MARGIN, else a + c (c >= 0.1)"
    return a if abs(t(a)) >= MARGIN else a + c


def moderate_exponent(x, t, scale):
    "`x`, or `x` scaled by a power of 2, so that |x * scale| <= EXP_MAX"
    s = pow2_scale(t(x) * scale, EXP_MAX)
    return x if s == 1.0 else x * s


def log_op(a, p, t):
    "log of a positive node: a itself, or (alternately) a*a + c or exp(a) + c when a is not safely positive"
    if t(a) >= MARGIN: return a.log()
    return (a * a + p.c).log() if p.k % 2 else (a.exp() + p.c).log()  # here a < MARGIN, so exp(a) < 1.02


def pow_number_op(a, p, t):
    "a ** n: any real n in [-3, 3] for a positive base, an integer n otherwise (>= 0 for a base near 0)"
    v = t(a)
    if v >= MARGIN: return a ** p.x
    n = p.k if abs(v) >= MARGIN else abs(p.k)
    return a ** (n if p.k % 3 else float(n))  # Python ints and floats alike


def pow_value_op(a, b, p, t):
    "a ** b with both a Value: the base made positive, the exponent scaled so that |b ln a| stays moderate"
    base = positive(a, p.c, t)
    return base ** moderate_exponent(b, t, math.log(t(base)))


def rpow_op(a, p, t):
    "c ** a for a positive number c"
    c = abs(p.c) + 0.1
    return c ** moderate_exponent(a, t, math.log(c))


def relu_op(a, p, t):
    "relu(a), moved off a kink that the two engines might see on different sides after rounding"
    v = t(a)
    return (a + p.c).relu() if v != 0 and abs(v) < 1e-6 else a.relu()


def vsum_op(terms):
    "microgradnb's one-node sum, and the same sum, left to right, in PyTorch"
    if isinstance(terms[0], Value): return nn.vsum(terms)
    total = 0.0
    for x in terms: total = total + x
    return total


def linear_op(nodes, p):
    "linear(ws, xs, b): half of the nodes are weights, the rest inputs (numbers fill in) and maybe the bias"
    k = max(1, len(nodes) // 2)
    ws, xs = list(nodes[:k]), list(nodes[k:2 * k])
    xs += [p.n] * (k - len(xs))
    b = nodes[2 * k] if len(nodes) > 2 * k else (p.c if p.k % 2 else None)
    if isinstance(ws[0], Value): return nn.linear(ws, xs, b)
    out = 0.0 if b is None else b
    for w, x in zip(ws, xs): out = out + w * x
    return out


@dataclass
class Op:
    name: str
    arity: int           # how many earlier nodes it reads (-1: any number, for n-ary ops)
    fn: Callable         # fn(*nodes, p, t): p holds this step's numbers, t reads values through the tape


OPS = [
    Op('add', 2, lambda a, b, p, t: a + b),
    Op('sub', 2, lambda a, b, p, t: a - b),
    Op('mul', 2, lambda a, b, p, t: a * b),
    Op('truediv', 2, lambda a, b, p, t: a / away_from_zero(b, p.c, t)),
    Op('pow_value', 2, pow_value_op),
    Op('neg', 1, lambda a, p, t: -a),
    Op('relu', 1, relu_op),
    Op('tanh', 1, lambda a, p, t: a.tanh()),
    Op('sigmoid', 1, lambda a, p, t: a.sigmoid()),
    Op('exp', 1, lambda a, p, t: moderate_exponent(a, t, 1.0).exp()),
    Op('log', 1, log_op),
    Op('pow_number', 1, pow_number_op),
    Op('radd', 1, lambda a, p, t: p.n + a),
    Op('add_number', 1, lambda a, p, t: a + p.n),
    Op('rsub', 1, lambda a, p, t: p.n - a),
    Op('sub_number', 1, lambda a, p, t: a - p.n),
    Op('rmul', 1, lambda a, p, t: p.n * a),
    Op('mul_number', 1, lambda a, p, t: a * p.n),
    Op('rtruediv', 1, lambda a, p, t: p.n / away_from_zero(a, p.c, t)),
    Op('div_number', 1, lambda a, p, t: a / (p.n if abs(p.n) >= MARGIN else p.n + 1)),
    Op('rpow', 1, rpow_op),
    # the engine's n-ary nodes, with a plain number among the terms
    Op('vsum', -1, lambda *xs, p, t: vsum_op(list(xs) + [p.n])),
    Op('linear', -1, lambda *xs, p, t: linear_op(xs, p)),
    # softplus, which the losses chapter adds to Value (PyTorch's switches to x above `threshold`: 30 makes that exact)
    Op('softplus', 1, lambda a, p, t: torch.nn.functional.softplus(a, threshold=30) if isinstance(a, torch.Tensor) else a.softplus()),
]

#: the engine's operations `OPS` must cover: every public method of Value that builds a node
ENGINE_OPS = {'__add__', '__sub__', '__mul__', '__truediv__', '__pow__', '__neg__', 'relu', 'tanh', 'sigmoid', 'exp',
              'log', '__radd__', '__rsub__', '__rmul__', '__rtruediv__', '__rpow__'}


@dataclass(frozen=True)
class Params:
    "The numbers one step may use"
    n: float  # a plain operand, an int or a float
    c: float  # a positive shift for the domain guards, in [0.1, 3]
    x: float  # a real exponent in [-3, 3]
    k: int    # an integer exponent in [-3, 4], also used to pick variants


numbers_ = st.one_of(st.integers(-5, 5), st.floats(-5, 5, allow_nan=False, allow_subnormal=False))
params = st.builds(Params, n=numbers_, c=st.floats(0.1, 3.0), x=st.floats(-3, 3, allow_subnormal=False),
                   k=st.integers(-3, 4))
leaf_values = st.one_of(st.floats(-3, 3, allow_nan=False, allow_subnormal=False),
                        st.sampled_from([0.0, 1.0, -1.0, 0.5, 2.0, 1e-8, -1e-8]))


@st.composite
def programs(draw, max_steps=20):
    "(leaf values, steps): each step is (op index, indices of the nodes it reads, Params)"
    xs = draw(st.lists(leaf_values, min_size=1, max_size=5))
    steps, size = [], len(xs)
    for _ in range(draw(st.integers(1, max_steps))):
        i = draw(st.integers(0, len(OPS) - 1))
        arity = OPS[i].arity if OPS[i].arity >= 0 else draw(st.integers(1, 6))
        # nodes near the end are picked more often, which makes deeper graphs; any node can be read again
        args = tuple(draw(st.one_of(st.integers(max(0, size - 3), size - 1), st.integers(0, size - 1)))
                     for _ in range(arity))
        steps.append((i, args, draw(params)))
        size += 1
    return xs, steps


def build(leaves, steps, tape):
    "Apply the steps to the leaves; the output adds the last node to every node no step read"
    pool, used = list(leaves), set()
    for i, args, p in steps:
        node = OPS[i].fn(*(pool[j] for j in args), p=p, t=tape)
        s = pow2_scale(tape(node), BIG)
        pool.append(node if s == 1.0 else node * s)
        used.update(args)
    out = pool[-1]
    for j, node in enumerate(pool[:-1]):
        if j not in used: out = out + node
    return out


def torch_leaf(x): return torch.tensor(float(x), dtype=torch.float64, requires_grad=True)


def run_both(xs, steps):
    "Build, run backward, and return microgradnb's and PyTorch's value and leaf gradients, and the tape"
    tape = Tape()
    leaves = [Value(x) for x in xs]
    out = build(leaves, steps, tape)
    out.backward()
    nb = [out.val] + [v.grad for v in leaves]
    tleaves = [torch_leaf(x) for x in xs]
    tout = build(tleaves, steps, Tape(tape.vals))
    tout.backward()
    tr = [tout.item()] + [0.0 if v.grad is None else v.grad.item() for v in tleaves]
    return nb, tr, tape.vals


def check_graph(xs, steps):
    try: nb, tr, vals = run_both(xs, steps)
    except OverflowError as e:  # a gradient beyond a float: rare, and PyTorch must have inf there too
        assert 'overflow' in str(e)
        assume(False)
    truth = None
    for k, (what, a, b) in enumerate(zip(['value'] + [f'grad of leaf {i}' for i in range(len(xs))], nb, tr)):
        if close(a, b): continue
        # the engines disagree: the exact answer decides whether microgradnb is only rounding differently
        if truth is None:
            e = exact(lambda leaves: build(leaves, steps, Tape(vals)), xs)
            truth = list(zip([e.value] + e.grads, [e.value_size] + e.grad_sizes))
        t, size = truth[k]
        assert close(a, t) or within_rounding(a, t, size, len(xs) + 2 * len(steps)), \
            f'{what}: microgradnb {a!r}, torch {b!r}, exact {t!r} (terms of size {size:.3g})\n' + describe(xs, steps)


def describe(xs, steps):
    "The program as text, for the failure message"
    return f'leaves {xs}\n' + '\n'.join(f'  {len(xs) + k}: {OPS[i].name}{args} {p}' for k, (i, args, p) in enumerate(steps))


FUZZ = dict(database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=300, derandomize=True, **FUZZ)
@given(programs())
def test_random_graphs_match_torch(program):
    check_graph(*program)


@pytest.mark.slow
@settings(max_examples=2500, derandomize=True, **FUZZ)
@given(programs(max_steps=40))
def test_random_graphs_match_torch_many(program):
    check_graph(*program)


def test_the_table_covers_every_operation():
    "Every node-building method of Value has a row in OPS, and nothing else public builds nodes"
    covered = {'__add__': 'add', '__sub__': 'sub', '__mul__': 'mul', '__truediv__': 'truediv', '__pow__': 'pow_value',
               '__neg__': 'neg', '__radd__': 'radd', '__rsub__': 'rsub', '__rmul__': 'rmul',
               '__rtruediv__': 'rtruediv', '__rpow__': 'rpow'}
    names = {op.name for op in OPS}
    for m in ENGINE_OPS: assert covered.get(m, m) in names, m
    public = {m for m in vars(Value) if not m.startswith('_') and callable(getattr(Value, m))}
    public |= {'vsum', 'linear'}  # node-building functions, in nn
    known = ENGINE_OPS | {'backward'}
    new = public - known - names
    assert not new, f'the engine has operations the fuzz table does not know: {sorted(new)}; add a line to OPS'


def test_generated_graphs_share_nodes():
    "The generator does make shared sub-expressions and reused nodes (a sanity check of the strategy)"
    shared = []
    @settings(max_examples=50, derandomize=True, **FUZZ)
    @given(programs())
    def collect(program):
        xs, steps = program
        reads = [j for _, args, _ in steps for j in args]
        shared.append(len(reads) > len(set(reads)) or any(len(set(a)) < len(a) for _, a, _ in steps))
    collect()
    assert sum(shared) > 10


# ---- outside the domains: PyTorch gives nan or inf, microgradnb raises a clear error ----

class Leaves(list):
    "Makes leaves for one engine and remembers them"
    def __init__(self, make): super().__init__(); self.make = make
    def __call__(self, x): self.append(self.make(x)); return self[-1]


@dataclass
class Bad:
    name: str
    fn: Callable            # fn(L, *numbers): the expression, with L(x) making a leaf and plain numbers left as they are
    inputs: st.SearchStrategy
    error: type             # the exception microgradnb raises
    contains: str           # words its message must have: the operation's name
    backward: bool = False  # the error comes from backward (the gradient), not the forward value


def zero_or_negative(): return st.one_of(st.just(0.0), st.just(-0.0), st.floats(-1e300, -1e-300))
def fraction(lo, hi): return st.floats(lo, hi).filter(lambda n: n != int(n))


OUT_OF_DOMAIN = [
    Bad('log', lambda L, x: L(x).log(), st.tuples(zero_or_negative()), ValueError, 'log'),
    Bad('pow_fraction_of_negative', lambda L, x, n: L(x) ** n, st.tuples(st.floats(-1e3, -1e-3), fraction(-3, 3)),
        ValueError, '**'),
    Bad('pow_value_fraction_of_negative', lambda L, x, n: L(x) ** L(n),
        st.tuples(st.floats(-1e3, -1e-3), fraction(-3, 3)), ValueError, '**'),
    Bad('rpow_fraction_of_negative', lambda L, c, n: c ** L(n), st.tuples(st.floats(-1e3, -1e-3), fraction(-3, 3)),
        ValueError, '**'),
    Bad('pow_zero_negative_exponent', lambda L, x, n: L(x) ** n, st.tuples(st.just(0.0), st.floats(-5, -1e-3)),
        ZeroDivisionError, '**'),
    Bad('pow_value_zero_negative_exponent', lambda L, x, n: L(x) ** L(n), st.tuples(st.just(0.0), st.floats(-5, -1e-3)),
        ZeroDivisionError, '**'),
    Bad('truediv_by_zero', lambda L, a, b: L(a) / L(b), st.tuples(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0])),
        ZeroDivisionError, 'division by zero'),
    Bad('truediv_by_number_zero', lambda L, a, b: L(a) / b,
        st.tuples(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0])), ZeroDivisionError, 'division by zero'),
    Bad('rtruediv_by_zero', lambda L, a, b: a / L(b), st.tuples(st.floats(-1e3, 1e3), st.sampled_from([0.0, -0.0])),
        ZeroDivisionError, 'division by zero'),
    Bad('div_overflow', lambda L, a, b: L(a) / L(b), st.tuples(st.floats(1e200, 1e300), st.floats(1e-300, 1e-120)),
        OverflowError, '/ of'),
    Bad('exp_overflow', lambda L, x: L(x).exp(), st.tuples(st.floats(709.8, 1e300)), OverflowError, 'exp'),
    Bad('mul_overflow', lambda L, a, b: L(a) * L(b), st.tuples(st.floats(1e155, 1e300), st.floats(1e155, 1e300)),
        OverflowError, '* of'),
    Bad('add_overflow', lambda L, a, b: L(a) + L(b), st.tuples(st.floats(9e307, 1.7e308), st.floats(9e307, 1.7e308)),
        OverflowError, '+ of'),
    Bad('pow_overflow', lambda L, x, n: L(x) ** n, st.tuples(st.floats(1e10, 1e100), st.floats(31, 100)),
        OverflowError, '**'),
    Bad('rpow_overflow', lambda L, c, x: c ** L(x), st.tuples(st.floats(2, 10), st.floats(1100, 1e4)),
        OverflowError, '**'),
    # the forward value exists, its gradient does not
    Bad('sqrt_gradient_at_zero', lambda L, x, n: L(x) ** n, st.tuples(st.just(0.0), st.floats(0.01, 0.99)),
        ZeroDivisionError, 'gradient of x **', backward=True),
    Bad('pow_value_gradient_of_negative_base', lambda L, a, b: L(a) ** L(b),
        st.tuples(st.floats(-10, -0.1), st.integers(1, 5).map(float)), ValueError, 'a ** b', backward=True),
    Bad('gradient_overflow', lambda L, x, c: (lambda v: v * c + v * c)(L(x)),  # each path finite, their sum not
        st.tuples(st.floats(1e-300, 1e-200), st.floats(9e307, 1.7e308)), OverflowError, 'gradient', backward=True),
]


def torch_outcome(bad, xs):
    "PyTorch's value, or the gradients of its leaves when the error is in the gradient"
    L = Leaves(torch_leaf)
    out = bad.fn(L, *xs)
    if not bad.backward: return [out.item()]
    out.backward()
    return [l.grad.item() for l in L]


def nb_call(bad, xs):
    out = bad.fn(Leaves(Value), *xs)
    if bad.backward: out.backward()


@pytest.mark.parametrize('bad', OUT_OF_DOMAIN, ids=lambda b: b.name)
def test_outside_the_domain_torch_gives_nan_or_inf_microgradnb_raises(bad):
    @settings(max_examples=25, derandomize=True, database=None, deadline=None)
    @given(bad.inputs)
    def check(xs):
        got = torch_outcome(bad, xs)
        assert any(math.isnan(g) or math.isinf(g) for g in got), f'torch gives {got} for {bad.name}{xs}'
        with pytest.raises(bad.error) as e: nb_call(bad, xs)
        assert bad.contains in str(e.value), f'{bad.name}{xs}: message {str(e.value)!r} does not name the operation'
    check()


def test_every_domain_error_of_the_engine_is_fuzzed():
    "The engine's error paths each have a row above: log, powers, division, exp, overflow of a result and a gradient"
    names = {b.name for b in OUT_OF_DOMAIN}
    assert {'log', 'truediv_by_zero', 'pow_fraction_of_negative', 'pow_zero_negative_exponent', 'exp_overflow',
            'mul_overflow', 'add_overflow', 'div_overflow', 'sqrt_gradient_at_zero',
            'pow_value_gradient_of_negative_base', 'gradient_overflow'} <= names
