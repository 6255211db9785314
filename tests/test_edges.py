"""Edge cases of the engine and of backward: every bad input fails loudly with a clear message,
saturating functions stay finite, deep graphs need no recursion, and repeated calls behave as documented."""
import math
import operator
import sys

import pytest
import torch

from engines import TORCH, assert_same, close
from microgradnb import Value, topological_order


# ---- relu at its kink ----

def test_relu_gradient_at_zero_is_zero_as_in_torch():
    x = Value(0.0)
    y = x.relu()
    y.backward()
    assert (y.val, x.grad) == (0.0, 0.0)
    t = TORCH.run(lambda x: x.relu(), (0.0,))
    assert (t.value, t.leaf_grads) == (0.0, [0.0])


# ---- domain errors ----

@pytest.mark.parametrize('x', [0.0, -0.0, -1.0, -1e-300, -1e300])
def test_log_outside_its_domain(x):
    with pytest.raises(ValueError, match='log'):
        Value(x).log()


@pytest.mark.parametrize('make', [
    lambda: Value(-8.0) ** (1 / 3),
    lambda: Value(-2.0) ** 0.5,
    lambda: Value(-2.0) ** Value(1.5),
    lambda: (-2) ** Value(0.5),
    lambda: Value(-1e-300) ** -2.5,
], ids=['cube_root', 'sqrt', 'value_exponent', 'rpow', 'tiny_base'])
def test_negative_base_to_non_integer_power(make):
    with pytest.raises(ValueError, match='not a real number'):
        make()  # Python's float ** would return a complex number here


@pytest.mark.parametrize('make', [
    lambda: Value(0.0) ** -1,
    lambda: Value(0.0) ** -0.5,
    lambda: Value(0.0) ** Value(-2.0),
    lambda: 0 ** Value(-1.5),
], ids=['int', 'float', 'value_exponent', 'rpow'])
def test_zero_to_negative_power(make):
    with pytest.raises(ZeroDivisionError, match=r'0\.0 \*\* -[\d.]+: zero cannot be raised to a negative power'):
        make()  # the message names the operation, unlike Python's own


@pytest.mark.parametrize('make', [
    lambda: Value(1.0) / 0,
    lambda: Value(1.0) / 0.0,
    lambda: Value(1.0) / Value(0.0),
    lambda: Value(0.0) / Value(0.0),
    lambda: 1 / Value(0.0),
    lambda: 1 / Value(-0.0),
], ids=['int', 'float', 'value', 'zero_by_zero', 'reflected', 'reflected_negative_zero'])
def test_division_by_zero(make):
    with pytest.raises(ZeroDivisionError, match='division by zero'):
        make()


def test_infinite_power_gradient_at_zero():
    "sqrt(x) at 0: the value is 0, the slope is infinite, so backward says so"
    x = Value(0.0)
    y = x ** 0.5
    assert y.val == 0.0
    with pytest.raises(ZeroDivisionError, match='infinite'):
        y.backward()


# ---- overflow ----

@pytest.mark.parametrize('x', [710.0, 1000.0, 1e300])
def test_exp_overflow(x):
    with pytest.raises(OverflowError, match='exp'):
        Value(x).exp()


@pytest.mark.parametrize('make, contains', [
    (lambda: Value(1e308) * 10, 'overflows'),
    (lambda: Value(1e308) + Value(1e308), 'overflows'),
    (lambda: Value(-1e308) - 1e308, 'overflows'),
    (lambda: Value(1e300) / 1e-10, 'overflows'),
    (lambda: Value(10.0) ** 400, 'overflows'),
    (lambda: 10 ** Value(400.0), 'overflows'),
], ids=['mul', 'add', 'sub', 'div', 'pow', 'rpow'])
def test_forward_overflow(make, contains):
    with pytest.raises(OverflowError, match=contains):
        make()


def test_gradient_overflow_when_summed():
    "Each path's gradient is finite; their sum is not"
    x = Value(1e-300)
    y = x * 1e308 + x * 1e308
    assert close(y.val, 2e8)
    with pytest.raises(OverflowError, match='gradient'):
        y.backward()


def test_gradient_overflow_along_a_chain():
    "Every value and every local slope is finite; their product along the chain is not"
    x = Value(1e-300)
    z = (x * 1e300) * 1e300  # values 1 and 1e300; dz/dx = 1e600
    assert close(z.val, 1e300)
    with pytest.raises(OverflowError, match='gradient at a leaf node overflowed'):
        z.backward()


def test_gradient_overflow_in_a_local_slope():
    "1/x for a tiny x: the value 1e200 is finite, the slope -1/x**2 is not"
    x = Value(1e-200)
    y = x ** -1
    with pytest.raises(OverflowError, match='overflows'):
        y.backward()


@pytest.mark.parametrize('fn, x', [(lambda x: x.tanh(), 1000.0), (lambda x: x.tanh(), -1000.0),
                                   (lambda x: x.sigmoid(), 1000.0), (lambda x: x.sigmoid(), -1000.0)],
                         ids=['tanh+', 'tanh-', 'sigmoid+', 'sigmoid-'])
def test_saturating_functions_stay_finite(fn, x):
    v = Value(x)
    y = fn(v)
    y.backward()
    assert math.isfinite(y.val) and abs(y.val) <= 1.0
    assert v.grad == 0.0
    assert_same(fn, (x,))


# ---- bad constructor input ----

@pytest.mark.parametrize('x, type_name', [('abc', 'str'), (None, 'NoneType'), ([1.0], 'list'), (1 + 2j, 'complex'),
                                          ((1.0,), 'tuple'), ({}, 'dict')])
def test_value_rejects_non_real_numbers(x, type_name):
    with pytest.raises(TypeError, match=type_name):
        Value(x)


@pytest.mark.parametrize('x', [math.nan, math.inf, -math.inf, float('nan')])
def test_value_rejects_non_finite_numbers(x):
    with pytest.raises(ValueError, match='finite'):
        Value(x)


@pytest.mark.parametrize('x', [math.nan, math.inf])
def test_data_assignment_is_checked(x):
    v = Value(1.0)
    with pytest.raises(ValueError, match='finite'):
        v.data = x
    with pytest.raises(TypeError, match='str'):
        v.data = 'abc'
    assert v.val == 1.0


@pytest.mark.parametrize('op', [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow])
@pytest.mark.parametrize('other', ['abc', None, [1.0], 1 + 2j])
def test_operators_reject_non_numbers(op, other):
    "The operation returns NotImplemented, so Python raises its TypeError naming the types"
    names = f"{type(other).__name__}|can't multiply sequence"  # str/list * Value: Python's own wording
    with pytest.raises(TypeError, match=names):
        op(Value(2.0), other)
    with pytest.raises(TypeError, match=names):
        op(other, Value(2.0))


# ---- plain numbers on either side of every operator ----

OPERATORS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]


@pytest.mark.parametrize('op', OPERATORS, ids=lambda op: op.__name__)
@pytest.mark.parametrize('c', [3, 2.5, -2, 0.5], ids=lambda c: f'{type(c).__name__}{c}')
def test_number_operand_same_as_value_operand(op, c):
    "op(x, c) and op(c, x) with a plain int or float give what they give with Value(c): value and x's gradient"
    for reflected, make in ((False, lambda x, k: op(x, k)), (True, lambda x, k: op(k, x))):
        if reflected and op is operator.pow and c < 0:
            continue  # c ** 1.7 is not real for a negative c; tested above
        x1, x2 = Value(1.7), Value(1.7)
        y1, y2 = make(x1, c), make(x2, Value(c))
        assert type(y1) is Value
        y1.backward(), y2.backward()
        assert close(y1.val, y2.val), (y1, y2)
        assert close(x1.grad, x2.grad), (x1.grad, x2.grad)
        assert_same(lambda x: make(x, c), (1.7,))  # and PyTorch agrees


# ---- deep graphs and backward semantics ----

@pytest.fixture
def recursion_limit_1000():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


@pytest.mark.slow
def test_million_node_chain_needs_no_recursion(recursion_limit_1000):
    assert sys.getrecursionlimit() == 1000
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0
    y.backward()
    assert x.grad == 1.0
    assert len(topological_order(y)) == 2_000_001  # a Value for each constant 1.0, and each product


def example(x, w):
    "y = x*w (interior), z = tanh(y) + x: returns leaves, interior and output"
    y = x * w
    z = y.tanh() + x
    return z, y


def test_backward_twice_accumulates_leaves_not_interior():
    x, w = Value(0.5), Value(-1.5)
    z, y = example(x, w)
    z.backward()
    once = (x.grad, w.grad, y.grad, z.grad)
    z.backward()
    assert (x.grad, w.grad) == (2 * once[0], 2 * once[1])  # leaves accumulate, as in torch
    assert (y.grad, z.grad) == (once[2], once[3]) == (once[2], 1.0)  # interior: one pass
    # PyTorch with retain_graph=True does the same to its leaves
    tx, tw = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.5, -1.5))
    tz, _ = example(tx, tw)
    tz.backward(retain_graph=True)
    tz.backward()
    assert close(tx.grad.item(), x.grad) and close(tw.grad.item(), w.grad)


def test_backward_after_zeroing_leaves_gives_one_pass():
    x, w = Value(0.5), Value(-1.5)
    z, y = example(x, w)
    z.backward()
    once = (x.grad, w.grad)
    x.grad = w.grad = 0.0
    z.backward()
    assert (x.grad, w.grad) == once


def test_backward_from_an_intermediate_node():
    x, w = Value(0.5), Value(-1.5)
    z, y = example(x, w)
    y.backward()
    assert (x.grad, w.grad, y.grad) == (-1.5, 0.5, 1.0)  # dy/dx = w, dy/dw = x
    assert z.grad == 0.0  # z is not below y: untouched
    tx, tw = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.5, -1.5))
    _, ty = example(tx, tw)
    ty.backward()
    assert (tx.grad.item(), tw.grad.item()) == (x.grad, w.grad)


def test_backward_on_a_leaf():
    x = Value(3.0)
    x.backward()
    assert x.grad == 1.0
    x.backward()
    assert x.grad == 2.0  # a leaf accumulates


def test_value_exponent_with_negative_base_backward_needs_ln():
    a, b = Value(-2.0), Value(3.0)
    c = a ** b
    assert c.val == -8.0  # the forward value is fine: an integer exponent
    with pytest.raises(ValueError, match=r'ln'):
        c.backward()
    # a number exponent has no such gradient to take: that works
    x = Value(-2.0)
    (x ** 3).backward()
    assert x.grad == 12.0


def test_value_exponent_at_zero_base():
    "0 ** b for b > 0: the gradient w.r.t. b is the limit 0, as in PyTorch"
    assert_same(lambda a, b: a ** b, (0.0, 2.0))


# ---- deterministic order ----

def build(a, b):
    c = a + b
    d = a * b + c
    e = (d.tanh() * c - d / (b ** 2)).relu() + (a.exp() * c).sigmoid() + (c.log() - a) ** 2
    return e


def test_topological_order_is_deterministic():
    orders = []
    for _ in range(2):
        e = build(Value(0.7), Value(1.3))
        orders.append([(n._op, n.val) for n in topological_order(e)])
    assert orders[0] == orders[1]
    assert len(orders[0]) > 20


def test_topological_order_children_before_parents():
    e = build(Value(0.7), Value(1.3))
    order = topological_order(e)
    pos = {n: i for i, n in enumerate(order)}
    assert len(pos) == len(order)  # every node once
    assert order[-1] is e
    for n in order:
        for child in n._children:
            assert pos[child] < pos[n]


# ---- wide sums, diamonds, and the memory of a dropped graph ----

from microgradnb import linear, vsum  # noqa: E402  (the n-ary nodes)

N = 1_000_000


@pytest.mark.slow
@pytest.mark.parametrize('how', ['builtin_sum', 'loop', 'vsum'])
def test_million_term_sum(how, recursion_limit_1000):
    "sum() and a loop of + make a chain a million deep; vsum makes one node with a million children"
    xs = [Value(i % 7 - 3.0) for i in range(N)]
    if how == 'builtin_sum': y = sum(xs)
    elif how == 'loop':
        y = Value(0.0)
        for x in xs: y += x
    else: y = vsum(xs)
    assert y.val == sum(i % 7 - 3.0 for i in range(N))
    y.backward()
    assert all(x.grad == 1.0 for x in xs)
    assert len(topological_order(y)) == (N + 1 if how == 'vsum' else 2 * N + 1)


def test_sum_of_one_node_many_times():
    "One node a hundred thousand times in one sum: its gradient is the count, in each kind of sum"
    x = Value(0.5)
    for y in (sum([x] * 100_000), vsum([x] * 100_000), linear([x] * 100_000, [1.0] * 100_000)):
        x.grad = 0.0
        y.backward()
        assert x.grad == 100_000.0


def test_stacked_diamonds(recursion_limit_1000):
    "50,000 diamonds in a row (each node read twice): linear time, each node visited once, gradient exact"
    x = Value(0.3)
    y = x
    for _ in range(50_000):
        y = (y * 1.0 + y * 1.0) * 0.5  # two paths that meet again
    order = topological_order(y)
    assert len(order) == len(set(order)) == 1 + 50_000 * 7  # per diamond: two products, their constants, +, *0.5 and its constant
    y.backward()
    assert y.val == 0.3 and x.grad == 1.0


def test_shared_node_across_branches_matches_torch():
    "A node read by every later node: its gradient is the sum over all paths"
    def fn(a):
        s = a * a
        t = s.tanh() + s
        u = t * s + s.exp() - (s + t).sigmoid()
        return u * t * s
    assert_same(fn, (0.7,))


def test_backward_from_an_intermediate_then_from_the_root():
    "Interior gradients are recomputed by each backward; leaves accumulate both calls"
    x, w = Value(0.5), Value(-1.5)
    z, y = example(x, w)
    y.backward()           # dy/dx = w, dy/dw = x
    z.backward()           # adds dz/dx, dz/dw; recomputes y.grad for z
    tx, tw = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (0.5, -1.5))
    tz, ty = example(tx, tw)
    ty.retain_grad()
    ty.backward(retain_graph=True)
    tz.backward()
    assert close(x.grad, tx.grad.item()) and close(w.grad, tw.grad.item())
    assert close(y.grad, 1 - math.tanh(y.val) ** 2)  # dz/dy only: the first call's 1.0 was reset, unlike torch's


def test_gradient_reset_with_zero_grad():
    "Module.zero_grad, then backward, gives one pass's gradients however many passes came before"
    from microgradnb import MLP
    model = MLP(2, [3, 1], seed=0)
    grads = []
    for passes in (1, 3):
        model.zero_grad()
        for _ in range(passes): model([0.5, -1.0]).backward()
        grads.append([p.grad / passes for p in model.parameters()])
    assert all(close(a, b) for a, b in zip(*grads))
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def graph_with_every_op(a, b):
    "Every operation once, the n-ary ones included"
    c = a * b + a / (b + 3.0) - b ** 2 + a ** (b * b + 1.0) + 2.0 ** a + (b * b + 0.5).log()
    d = c.tanh() + c.sigmoid() + c.relu() + (c * 0.1).exp() - c
    return vsum([c, d, a, 1.0]) + linear([a, b], [d, 2.0], c)


@pytest.mark.parametrize('after_backward', [False, True])
def test_dropped_graph_is_freed_without_the_garbage_collector(after_backward):
    "Deleting the output frees every interior node at once: the graph holds no reference cycles"
    import gc
    import weakref
    gc.collect()
    gc.disable()
    try:
        a, b = Value(0.4), Value(-0.7)
        out = graph_with_every_op(a, b)
        if after_backward: out.backward()
        nodes = [n for n in topological_order(out) if n is not a and n is not b]
        refs = [weakref.ref(n) for n in nodes]
        assert len(refs) > 30
        del nodes
        assert all(r() is not None for r in refs)
        del out
        alive = [r() for r in refs if r() is not None]
        assert not alive, f'{len(alive)} nodes outlived their graph: {alive[:3]}'
        assert a.val == 0.4 and b.val == -0.7  # the leaves are the caller's: still there
    finally:
        gc.enable()


def test_dropped_deep_graph_is_freed(recursion_limit_1000):
    "A 200,000-deep chain is freed when dropped, without a RecursionError while it is torn down"
    import weakref
    x = Value(1.0)
    y = x
    for _ in range(100_000): y = (y * 1.0).tanh()
    y.backward()
    first = weakref.ref(topological_order(y)[2])
    del y
    assert first() is None


def test_zero_to_a_value_power_has_a_gradient_for_the_exponent():
    "0 ** b for 0 < b < 1: the value is 0 and d/db is 0 (PyTorch agrees); the base is a constant, with no gradient to ask for"
    assert_same(lambda b: 0 ** b, (0.5,))


# ---- one shape for every rule: module-level functions, so graphs pickle ----

def test_power_nodes_keep_their_constant_as_a_leaf():
    "x ** 2 and 2 ** x: the number is a leaf child (like the 2 in x * 2) that receives no gradient"
    x = Value(3.0)
    y, z = x ** 2, 2 ** x
    assert (y._op, z._op) == ('**', '**')
    assert y._children[0] is x and y._children[1].val == 2.0
    assert z._children[1] is x and z._children[0].val == 2.0
    (y + z).backward()
    assert x.grad == 6.0 + 8.0 * math.log(2.0)
    assert (y._children[1].grad, z._children[0].grad) == (0.0, 0.0)


@pytest.mark.parametrize('bad', [math.nan, math.inf, -math.inf])
def test_number_exponent_and_base_are_checked_like_any_number(bad):
    "A nan exponent used to give 1.0 ** nan == 1.0 silently; now it is refused like Value(nan)"
    with pytest.raises(ValueError, match='finite'):
        Value(1.0) ** bad
    with pytest.raises(ValueError, match='finite'):
        bad ** Value(1.0)


def test_every_rule_is_a_module_level_function():
    "No node stores a closure: every rule is a function defined at module level (or a partial of one)"
    out = graph_with_every_op(Value(0.4), Value(-0.7))
    rules = {getattr(n._backward, 'func', n._backward) for n in topological_order(out) if n._backward is not None}
    assert len(rules) > 10
    assert all('<locals>' not in r.__qualname__ for r in rules), sorted(r.__qualname__ for r in rules)


def test_graphs_pickle():
    "A graph pickles, powers included, and the copy's backward gives the same numbers"
    import pickle
    x = Value(3.0)
    y = pickle.loads(pickle.dumps(x ** 2))
    y.backward()
    assert (y.val, y._children[0].grad) == (9.0, 6.0)
    z = pickle.loads(pickle.dumps(2 ** x))
    z.backward()
    assert z._children[1].grad == 8.0 * math.log(2.0)
    a, b = Value(0.4), Value(-0.7)
    out = graph_with_every_op(a, b)
    copy, ca, cb = pickle.loads(pickle.dumps((out, a, b)))
    out.backward()
    copy.backward()
    assert (copy.val, ca.grad, cb.grad) == (out.val, a.grad, b.grad)
