"""`grad` and `hessian` (the Gradients of gradients chapter, module `higher`) against PyTorch float64 double backward, closed forms
and the engine's own `backward`.

The random graphs are those of `test_fuzz_graphs.py` (every operation, shared nodes, plain numbers on either side,
each operation kept inside its domain). On each, the first derivatives made by `grad(..., create_graph=True)` and a
Hessian-vector product (a second `grad`, of the gradient's dot product with a random vector) must agree with
PyTorch's double backward to a relative 1e-8, or, where the two engines round differently by more than that (a
derivative that cancels to 0, say), be as close to the exact answer as float64 rounding allows (`exact.py`); first-order `grad` must give `backward`'s numbers bit for bit.
"""
import math, random, re, sys

import pytest
import torch
from hypothesis import assume, given, settings, strategies as st

from exact import exact, within_rounding
from test_fuzz_graphs import FUZZ, OPS, Params, Tape, build, describe, programs, torch_leaf
from microgradnb import Value, bce_with_logits, cross_entropy, grad, hessian, linear, softmax, topological_order, vsum
from microgradnb.higher import RULES
import microgradnb  # noqa: F401  (every module, so Value has every method, softplus included)

REL, ABS = 1e-8, 1e-12
ZERO_TO_ZERO = 'the gradient of a ** b is infinite at a = 0, b = 0'  # the words of the error at 0 ** 0
F64 = torch.float64


def agree(a, b): return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)


# ---- the guard: a graph rule for every operation ----

def one_node_of_every_op():
    "One graph per row of the fuzz table `OPS` (which its own test keeps complete), then one per loss with nodes of its own"
    p = Params(n=1.5, c=0.5, x=0.7, k=2)
    for op in OPS:
        leaves = [Value(v) for v in (0.8, 1.3, -0.6)]
        arity = op.arity if op.arity >= 0 else 3
        yield op.name, op.fn(*leaves[:arity], p=p, t=Tape())
    # the losses' nodes: logsumexp and log_softmax (softplus is in OPS)
    row = [Value(v) for v in (0.8, 1.3, -0.6)]
    yield 'cross_entropy', cross_entropy([row], [1])
    yield 'softmax', vsum(softmax(row))
    yield 'bce_with_logits', bce_with_logits(row, [1, 0, 1])


def test_every_operation_has_a_graph_rule():
    "Every operation label the engine, vsum, linear and the losses produce has an entry in RULES"
    missing = {}
    for name, out in one_node_of_every_op():
        for node in topological_order(out):
            if node._children and node._op not in RULES: missing[node._op] = name
    assert not missing, f'operations with no rule in microgradnb.higher.RULES: {missing}'


def test_an_operation_without_a_rule_is_named():
    x = Value(2.0)
    out = Value(8.0, (x,), 'cube', None)
    with pytest.raises(NotImplementedError, match="no rule for the operation 'cube'"): grad(out, [x], create_graph=True)


def test_a_rule_added_to_RULES_serves_a_new_operation(monkeypatch):
    "RULES is the public way to teach grad an operation: a rule under the node's label, in the shape rule(out, g, i)"
    monkeypatch.setitem(RULES, 'cube', lambda out, g, i: g * (3 * out._children[0] ** 2))
    x = Value(1.5)
    d1, = grad(Value(x.val ** 3, (x,), 'cube', None), [x], create_graph=True)
    d2, = grad(d1, [x])
    assert (d1.val, d2.val) == (6.75, 9.0)


# ---- random graphs: first and second order against PyTorch ----

def torch_grads(tout, tleaves, v):
    "PyTorch's first derivatives of `tout` and its Hessian-vector product with `v`, by double backward"
    g = torch.autograd.grad(tout, tleaves, create_graph=True, allow_unused=True)
    terms = [gi * vi for gi, vi in zip(g, v) if gi is not None and gi.requires_grad]
    hv = torch.autograd.grad(sum(terms), tleaves, allow_unused=True) if terms else [None] * len(tleaves)
    num = lambda t: 0.0 if t is None else t.item()
    return [num(t) for t in g], [num(t) for t in hv]


def check_second_order(xs, steps, v):
    tape = Tape()
    leaves = [Value(x) for x in xs]
    try:
        out = build(leaves, steps, tape)
        g = grad(out, leaves, create_graph=True)
        hv = grad(linear(g, v), leaves)
    except OverflowError as e:  # a derivative beyond a float: rare, and a clear error
        assert 'overflow' in str(e)
        assume(False)
    tleaves = [torch_leaf(x) for x in xs]
    tg, thv = torch_grads(build(tleaves, steps, Tape(tape.vals)), tleaves, v)
    truth = None
    for what, ours, theirs in (('gradient', g, tg), ('Hessian-vector product', hv, thv)):
        for i, (a, b) in enumerate(zip(ours, theirs)):
            if agree(a.val, b): continue
            # the engines disagree: the exact answer decides whether microgradnb is only rounding differently
            truth = truth or exact(lambda leaves: build(leaves, steps, Tape(tape.vals)), xs, v)
            t, size = (truth.grads[i], truth.grad_sizes[i]) if what == 'gradient' else (truth.hv[i], truth.hv_sizes[i])
            assert agree(a.val, t) or within_rounding(a.val, t, size, len(xs) + 2 * len(steps)), \
                f'{what}, leaf {i}: microgradnb {a.val!r}, torch {b!r}, exact {t!r} (terms of size {size:.3g})\n' + describe(xs, steps)


vectors = st.lists(st.floats(-2, 2, allow_subnormal=False), min_size=5, max_size=5)


@settings(max_examples=300, derandomize=True, **FUZZ)
@given(programs(), vectors)
def test_random_graphs_second_order_match_torch(program, v):
    xs, steps = program
    check_second_order(xs, steps, v[:len(xs)])


@pytest.mark.slow
@settings(max_examples=2000, derandomize=True, **FUZZ)
@given(programs(max_steps=40), vectors)
def test_random_graphs_second_order_match_torch_many(program, v):
    xs, steps = program
    check_second_order(xs, steps, v[:len(xs)])


@settings(max_examples=200, derandomize=True, **FUZZ)
@given(programs())
def test_first_order_grad_is_the_graph_gradients_numbers_and_leaves_grad_alone(program):
    """create_graph=False gives the numbers of create_graph=True bit for bit, and backward's to a relative 1e-12, or, where
    they differ more (backward adds the parts of a gradient one by one, grad with math.fsum), the exact answer's to within
    rounding; neither mode changes any .grad"""
    xs, steps = program
    tape = Tape()
    leaves = [Value(x) for x in xs]
    try:
        out = build(leaves, steps, tape)
        nodes = topological_order(out)
        rng = random.Random(len(nodes))
        for node in nodes: node.grad = rng.uniform(-9, 9)
        before = [node.grad for node in nodes]
        first = grad(out, leaves)
        graph = grad(out, leaves, create_graph=True)
        assert [node.grad for node in nodes] == before
        for node in nodes: node.grad = 0.0
        out.backward()
    except OverflowError: assume(False)
    assert [d.val for d in first] == [d.val for d in graph]
    truth = None
    for i, (d, x) in enumerate(zip(first, leaves)):
        if math.isclose(d.val, x.grad, rel_tol=1e-12): continue
        truth = truth or exact(lambda leaves: build(leaves, steps, Tape(tape.vals)), xs)
        assert within_rounding(d.val, truth.grads[i], truth.grad_sizes[i], len(xs) + 2 * len(steps)), \
            f'leaf {i}: grad {d.val!r}, backward {x.grad!r}, exact {truth.grads[i]!r}\n' + describe(xs, steps)


# ---- third derivatives of the unary operations against their closed forms ----

def sig(x): return 1 / (1 + math.exp(-x))


# name, f, its first three derivatives (closed forms), points
UNARY = [
    ('exp', Value.exp, lambda x: [math.exp(x)] * 3, st.floats(-20, 20)),
    ('log', Value.log, lambda x: [1 / x, -1 / x**2, 2 / x**3], st.floats(0.05, 50)),
    ('tanh', Value.tanh, lambda x: (lambda t: [1 - t*t, -2*t*(1 - t*t), -2*(1 - t*t)*(1 - 3*t*t)])(math.tanh(x)),
     st.floats(-8, 8)),
    ('sigmoid', Value.sigmoid, lambda x: (lambda s: [s*(1 - s), s*(1 - s)*(1 - 2*s), s*(1 - s)*(1 - 6*s + 6*s*s)])(sig(x)),
     st.floats(-20, 20)),
    ('softplus', lambda v: v.softplus(), lambda x: (lambda s: [s, s*(1 - s), s*(1 - s)*(1 - 2*s)])(sig(x)),
     st.floats(-20, 20)),
    ('relu', Value.relu, lambda x: [1.0 if x > 0 else 0.0, 0.0, 0.0], st.floats(-5, 5)),
    ('x ** 3', lambda v: v ** 3, lambda x: [3 * x**2, 6 * x, 6.0], st.floats(-5, 5)),
    ('x ** 2.5', lambda v: v ** 2.5, lambda x: [2.5 * x**1.5, 3.75 * x**0.5, 1.875 * x**-0.5], st.floats(0.01, 10)),
    ('x ** -1.5', lambda v: v ** -1.5, lambda x: [-1.5 * x**-2.5, 3.75 * x**-3.5, -13.125 * x**-4.5], st.floats(0.1, 10)),
    ('3 ** x', lambda v: 3 ** v, lambda x: [3**x * math.log(3)**k for k in (1, 2, 3)], st.floats(-5, 5)),
    ('2 / x', lambda v: 2 / v, lambda x: [-2 / x**2, 4 / x**3, -12 / x**4], st.floats(0.1, 10)),
    ('-x', lambda v: -v, lambda x: [-1.0, 0.0, 0.0], st.floats(-5, 5)),
    ('2 - x', lambda v: 2 - v, lambda x: [-1.0, 0.0, 0.0], st.floats(-5, 5)),
]


@pytest.mark.parametrize('name,f,closed,points', UNARY, ids=[u[0] for u in UNARY])
def test_third_derivatives_of_unary_ops_match_closed_forms(name, f, closed, points):
    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(points)
    def check(x):
        v = Value(x)
        ds = [f(v)]
        for _ in range(3): ds += grad(ds[-1], [v], create_graph=True)
        for k, (d, want) in enumerate(zip(ds[1:], closed(x)), 1):
            assert math.isclose(d.val, want, rel_tol=1e-9, abs_tol=1e-12), f'{name}: derivative {k} at {x!r}: {d.val!r}, closed form {want!r}'
    check()


def test_relu_at_its_kink_follows_pytorch():
    "Slope 0 at x = 0, second derivative 0 everywhere, as PyTorch"
    for x in (-1.0, 0.0, 2.0):
        v = Value(x)
        d1, = grad(v.relu(), [v], create_graph=True)
        d2, = grad(d1, [v])
        t = torch.tensor(x, dtype=F64, requires_grad=True)
        t1, = torch.autograd.grad(torch.relu(t), t, create_graph=True)
        t2, = torch.autograd.grad(t1, t)
        assert (d1.val, d2.val) == (t1.item(), t2.item())


def test_mixed_derivatives_of_a_value_power():
    "a ** b with both Values: every second derivative, including d/db of the base's gradient"
    a, b = Value(1.7), Value(-0.6)
    ta, tb = (torch.tensor(x, dtype=F64, requires_grad=True) for x in (1.7, -0.6))
    g = grad(a ** b, [a, b], create_graph=True)
    tg = torch.autograd.grad(ta ** tb, (ta, tb), create_graph=True)
    for gi, tgi in zip(g, tg):
        for d, td in zip(grad(gi, [a, b]), torch.autograd.grad(tgi, (ta, tb), retain_graph=True)):
            assert agree(d.val, td.item())


def value_power_hessian(a, b):
    "The Hessian of a ** b, in closed form: b(b-1)a^(b-2), a^(b-1)(1 + b ln a), a^b (ln a)^2"
    mixed = a ** (b - 1) * (1 + b * math.log(a))
    return [[b * (b - 1) * a ** (b - 2), mixed], [mixed, a ** b * math.log(a) ** 2]]


@pytest.mark.parametrize('a,b', [(2.0, 0.0), (0.5, 0.0), (3.0, 0.0), (1.0, 0.0), (2.0, -0.0), (2.0, 1e-300),
                                 (1.5, 2.0), (0.7, -1.3), (4.0, 1.0)])
def test_hessian_of_a_value_power_is_symmetric_at_a_zero_exponent(a, b):
    "hessian(a ** b) at (2, 0) gave [[0, 0], [0.5, 0.48]]: at b = 0 the base's gradient b * a**(b-1) is 0, its slope in b is not"
    H = hessian(lambda a, b: a ** b, [a, b])
    assert math.isclose(H[0][1], H[1][0], rel_tol=1e-15)
    for row, crow in zip(H, value_power_hessian(a, b)):
        for h, c in zip(row, crow): assert math.isclose(h, c, rel_tol=1e-13, abs_tol=1e-300), (H, (a, b))
    tH = torch.autograd.functional.hessian(lambda t: t[0] ** t[1], torch.tensor([a, b], dtype=F64)).tolist()
    if b == 0: tH[0][1] = tH[1][0]  # PyTorch drops the base's gradient wherever the exponent is 0, so its own H[0][1] is 0
    for row, trow in zip(H, tH):
        for h, t in zip(row, trow): assert agree(h, t), (H, tH)


def test_a_zero_exponent_that_is_a_number_sends_nothing():
    "x ** 0 with the number 0 is the constant 1: no term, to every order, at x = 0 too"
    for x in (0.0, 2.0, -3.0):
        v = Value(x)
        d1, = grad(v ** 0, [v], create_graph=True)
        assert (d1.val, grad(d1, [v])[0].val) == (0.0, 0.0)
        assert topological_order(d1) == [d1]  # Value(0.0): nothing to differentiate



@pytest.mark.parametrize('make,at,wrt', [
    (lambda x: x ** x, [0.0], [0]),
    (lambda a, b: a ** b, [0.0, 0.0], [0, 1]),
    (lambda a, b: a ** b, [0.0, 0.0], [1]),
    (lambda a, b: a ** b, [0.0, 0.0], [0]),  # d/da alone: 0 along b = 0, but its slope in b, 1/a, is infinite
    (lambda x: 0 ** x, [0.0], [0]),
    (lambda x: (x - 1.0) ** (x * x - 1.0), [1.0], [0]),  # the same point inside a graph
])
def test_zero_to_the_zero_has_no_gradient_in_any_mode(make, at, wrt):
    "0 ** b drops from 1 to 0 as b grows from 0: grad raises in both modes, as backward does (PyTorch gives 0)"
    messages = []
    for mode in (False, True):
        leaves = [Value(x) for x in at]
        with pytest.raises(ZeroDivisionError) as e: grad(make(*leaves), [leaves[i] for i in wrt], create_graph=mode)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and ZERO_TO_ZERO in messages[0]
    with pytest.raises(ZeroDivisionError, match=r'is infinite at (a = 0, b|c = 0, x) = 0'): make(*[Value(x) for x in at]).backward()
    with pytest.raises(ZeroDivisionError, match=re.escape(ZERO_TO_ZERO)): hessian(make, at)


def test_at_a_zero_base_the_exponents_slope_is_zero_to_second_order():
    "0 ** b for b > 1: d/db = 0 and every second derivative is 0, as the closed forms' limits are"
    a, b = Value(0.0), Value(2.5)
    da, db = grad(a ** b, [a, b], create_graph=True)
    assert (da.val, db.val) == (0.0, 0.0)
    assert [d.val for d in grad(da, [a, b])] == [0.0, 0.0]


def test_grad_computes_only_what_is_asked():
    "d/dx of x ** b at x = -2 is 12 (PyTorch: 12); the exponent's gradient, which needs ln(-2), is not asked for"
    for mode in (False, True):
        x, b = Value(-2.0), Value(3.0)
        dx, = grad(x ** b, [x], create_graph=mode)
        assert dx.val == 12.0
    t = torch.tensor(-2.0, dtype=F64, requires_grad=True)
    assert torch.autograd.grad(t ** torch.tensor(3.0, dtype=F64, requires_grad=True), t)[0].item() == 12.0
    x, b = Value(-2.0), Value(3.0)
    with pytest.raises(ValueError, match='needs ln.a.*for the gradient with respect to a alone, use grad.out, .a..'): (x ** b).backward()
    with pytest.raises(ValueError, match='needs ln.a.'): grad(x ** b, [x, b])
    d2, = grad(grad(x ** b, [x], create_graph=True)[0], [x])
    assert d2.val == 6 * -2.0  # d2/dx2 = b (b - 1) x ** (b - 2)


def test_grad_skips_an_overflowing_gradient_nobody_asked_for():
    "x / c with a tiny constant c: d/dc = -x/c**2 overflows, d/dx = 1/c does not; backward checks every node, grad only x's path"
    x, c = Value(1e-10), Value(1e-200)
    out = x / c
    with pytest.raises(OverflowError): out.backward()
    dx, = grad(out, [x])
    assert dx.val == 1 / 1e-200


def test_backward_runs_through_a_gradient_graph():
    "A gradient made with create_graph=True is a Value like any other: backward on it, even at a negative base of x ** 3"
    x = Value(-1.0)
    d1, = grad(x ** 3 + x.tanh(), [x], create_graph=True)
    d1.backward()
    assert agree(x.grad, 6 * -1.0 - 2 * math.tanh(-1.0) * (1 - math.tanh(-1.0) ** 2))


# ---- where a derivative does not exist: the same errors as first order ----

UNDEFINED = [  # expression (finite at the point), point, error, words of backward's message, words of grad's
    (lambda x: x ** 0.5, [0.0], ZeroDivisionError, 'infinite at x = 0', 'the gradient of x ** 0.5 is infinite at x = 0'),
    (lambda x: x ** 0.3, [0.0], ZeroDivisionError, 'infinite at x = 0', 'the gradient of x ** 0.3 is infinite at x = 0'),
    (lambda a, b: a ** b, [-2.0, 3.0], ValueError, 'needs ln(a)', 'needs ln(a), undefined for a = -2.0'),
    (lambda a, b: a ** b, [-2.0, 2.0], ValueError, 'needs ln(a)', 'needs ln(a), undefined for a = -2.0'),
    (lambda x: (-2.0) ** x, [3.0], ValueError, 'needs ln(c)', 'needs ln(a), undefined for a = -2.0'),
    (lambda x: x ** x, [0.0], ZeroDivisionError, ZERO_TO_ZERO, ZERO_TO_ZERO),
    (lambda x: x * 1e308 + x * 1e308, [1e-300], OverflowError, 'overflow', 'overflow'),  # each path finite, their sum not
    (lambda x: x ** -2, [1e-103], OverflowError, 'overflow', 'overflow'),
]


@pytest.mark.parametrize('make,at,error,words,grad_words', UNDEFINED)
def test_undefined_first_derivatives_raise_in_every_mode(make, at, error, words, grad_words):
    "backward and grad in both modes raise the same type of error; grad the same message in both modes"
    messages = []
    for mode in (False, True):
        xs = [Value(a) for a in at]
        with pytest.raises(error) as e: grad(make(*xs), xs, create_graph=mode)
        messages.append(str(e.value))
    assert messages[0] == messages[1] and grad_words in messages[0]
    xs = [Value(a) for a in at]
    with pytest.raises(error) as e: make(*xs).backward()
    assert words in str(e.value)


HIGHER_UNDEFINED = [  # expression, point, order of the first derivative that does not exist, error
    (lambda x: x ** 1.5, 0.0, 2, ZeroDivisionError),
    (lambda x: x ** 2.5, 0.0, 3, ZeroDivisionError),
    (lambda x: x ** -2, 1e-77, 2, OverflowError),
    (lambda x: x ** -3, 1e-61, 3, OverflowError),
]


@pytest.mark.parametrize('make,at,order,error', HIGHER_UNDEFINED)
def test_undefined_higher_derivatives_raise(make, at, order, error):
    "The derivatives up to `order - 1` are finite numbers; the next raises (PyTorch gives inf there)"
    x = Value(at)
    d = make(x)
    for _ in range(order - 1): d, = grad(d, [x], create_graph=True)
    assert math.isfinite(d.val)
    for mode in (False, True):
        with pytest.raises(error): grad(d, [x], create_graph=mode)
    t = torch.tensor(at, dtype=F64, requires_grad=True)
    td = make(t)
    for _ in range(order): td, = torch.autograd.grad(td, t, create_graph=True)
    assert math.isinf(td.item()) or math.isnan(td.item())


# ---- deep graphs: no recursion ----

def test_a_chain_of_100_000_nodes():
    "First and second derivatives through 10**5 tanh nodes, under Python's default recursion limit"
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        x = Value(0.3)
        y = x
        for _ in range(100_000): y = y.tanh()
        d1, = grad(y, [x], create_graph=True)
        d2, = grad(d1, [x])
        first, = grad(y, [x])
    finally: sys.setrecursionlimit(old)
    t, dt, ddt = 0.3, 1.0, 0.0  # forward mode by hand: t, dt/dx, d2t/dx2 through each tanh
    for _ in range(100_000):
        t = math.tanh(t)
        s = 1 - t * t
        dt, ddt = s * dt, s * ddt - 2 * t * s * dt * dt
    assert math.isclose(d1.val, dt, rel_tol=1e-9) and math.isclose(first.val, dt, rel_tol=1e-9)
    assert math.isclose(d2.val, ddt, rel_tol=1e-9)


# ---- hessian ----

def cubes_times_linear(*w): return vsum([wi * wi * wi for wi in w]) * linear(list(w), [1.0, 2.0, 3.0], 0.5)
def cubes_times_linear_torch(*w): return sum(wi ** 3 for wi in w) * (w[0] + 2 * w[1] + 3 * w[2] + 0.5)

HESSIAN_CASES = [  # function, the same in PyTorch (None: the same code runs on tensors), point
    (lambda x, y: x ** 2 * y + y ** 3, None, [1.5, -2.0]),
    (lambda x, y, z: (x * y).tanh() + z.exp() / (1 + x ** 2) + (y - z).sigmoid() * x.relu(), None, [0.7, -0.4, 0.3]),
    (lambda a, b: a ** b + (a / b).log() + (2 ** a) * b.softplus(),
     lambda a, b: a ** b + (a / b).log() + (2 ** a) * torch.nn.functional.softplus(b), [1.3, 0.8]),
    (cubes_times_linear, cubes_times_linear_torch, [0.2, -0.1, 0.4]),
]


@pytest.mark.parametrize('f,f_torch,point', HESSIAN_CASES)
def test_hessian_matches_torch(f, f_torch, point):
    H = hessian(f, point)
    tH = torch.autograd.functional.hessian(lambda t: (f_torch or f)(*t), torch.tensor(point, dtype=F64))
    for row, trow in zip(H, tH.tolist()):
        for a, b in zip(row, trow): assert agree(a, b)


def test_hessian_checks_its_arguments():
    with pytest.raises(TypeError, match='f must be a function'): hessian(42, [1.0])
    with pytest.raises(TypeError, match='list or tuple of numbers'): hessian(lambda x: x, 1.0)
    with pytest.raises(TypeError, match='f must return a Value'): hessian(lambda x: 1.0, [1.0])
    with pytest.raises(ValueError, match='finite'): hessian(lambda x: x, [math.nan])
    with pytest.raises(TypeError, match='not Values'): hessian(lambda x: x, [Value(1.0)])
