"""Edge cases of the engine and of backward: every bad input fails loudly with a clear message,
saturating functions stay finite, deep graphs need no recursion, and repeated calls behave as documented."""
import math
import operator
import sys

import pytest
import torch

from engines import TORCH, assert_same, close
from microgradnb import (MLP, SGD, Adam, Layer, Neuron, Value, check_fresh, linear, squared_error, topological_order, vsum,
                         xor_data)


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


def _set_val(v, x): v.val = x

@pytest.mark.parametrize('make, where', [
    (lambda b: Value(b), 'the argument of Value()'),
    (lambda b: Value(2.0) * b, 'the right operand of *'),
    (lambda b: b + Value(2.0), 'the left operand of +'),
    (lambda b: Value(2.0) ** b, 'the exponent of **'),
    (lambda b: _set_val(Value(2.0), b), 'the number assigned to val'),
    (lambda b: vsum([Value(1.0), b]), 'vsum: values[1]'),
    (lambda b: linear([Value(1.0)], [b]), 'linear: xs[0]'),
    (lambda b: linear([Value(1.0)], [Value(1.0)], b), 'linear: b'),
    (lambda b: MLP(2, [1], seed=0)([b, 1.0]), 'input element 0'),
    (lambda b: Layer(2, 2, seed=0)([1.0, b]), 'input element 1'),
], ids=['Value', 'mul', 'radd', 'pow', 'assign', 'vsum', 'linear-x', 'linear-b', 'MLP', 'Layer'])
@pytest.mark.parametrize('b', [True, False])
def test_bools_are_refused_as_numbers(make, where, b):
    "A bool is an int in Python, but the engine and nn refuse it everywhere a number goes, as load_state and the losses do"
    msg = f"{where} must be a real number, got bool: {b} (write {float(b)} if you mean a number)"
    with pytest.raises(TypeError) as e: make(b)
    assert str(e.value) == msg


@pytest.mark.parametrize('x', [math.nan, math.inf, -math.inf, float('nan')])
def test_value_rejects_non_finite_numbers(x):
    with pytest.raises(ValueError, match='finite'):
        Value(x)


@pytest.mark.parametrize('name', ['val', 'data'])
@pytest.mark.parametrize('x', [math.nan, math.inf, -math.inf, 10**400, -10**5000], ids=['nan', 'inf', '-inf', '1e400', '-1e5000'])
def test_data_assignment_is_checked(name, x):
    "`val` and `data` are one checked property: `v.val = 'abc'` once stored a string in the slot"
    v = Value(1.0)
    with pytest.raises(ValueError, match=f'^the number assigned to {name} must be a finite number, got'):
        setattr(v, name, x)
    with pytest.raises(TypeError, match=f"^the number assigned to {name} must be a real number, got str: 'abc'"):
        setattr(v, name, 'abc')
    with pytest.raises(TypeError, match='got a Value holding 2.0$'):
        setattr(v, name, Value(2.0))
    assert v.val == 1.0 and type(v.val) is float
    setattr(v, name, 3)
    assert v.val == 3.0 and type(v.val) is float


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


ZERO_TO_THE_ZERO = [  # a power at base 0 and exponent 0, the leaves, the words of the error
    (lambda x: x ** x, [0.0], 'the gradient of a ** b is infinite at a = 0, b = 0'),
    (lambda a, b: a ** b, [0.0, 0.0], 'the gradient of a ** b is infinite at a = 0, b = 0'),
    (lambda a, b: a ** b, [-0.0, 0.0], 'the gradient of a ** b is infinite at a = 0, b = 0'),
    (lambda x: 0 ** x, [0.0], 'the gradient of c ** x is infinite at c = 0, x = 0'),
]


@pytest.mark.parametrize('make,at,words', ZERO_TO_THE_ZERO)
def test_the_exponents_slope_at_zero_to_the_zero_is_an_error(make, at, words):
    "0 ** b drops from 1 to 0 as b grows from 0: an infinite slope, refused (PyTorch gives 0), before any gradient is added"
    leaves = [Value(x) for x in at]
    out = make(*leaves)
    assert out.val == 1.0
    with pytest.raises(ZeroDivisionError) as e: out.backward()
    assert words in str(e.value) and '0 ** ' in str(e.value)
    assert all(x.grad == 0.0 for x in leaves)


def test_the_exponents_slope_at_a_zero_base_and_a_positive_exponent_is_zero():
    "0 ** b is 0 for every b > 0: its slope in b is truly 0, at b = 1e-300 too (the base's slope is infinite for b < 1)"
    for b in (1e-300, 0.5, 1.0, 3.0):
        y = Value(b)
        (0 ** y).backward()
        assert y.grad == 0.0
        if b < 1: continue
        x, y = Value(0.0), Value(b)
        (x ** y).backward()
        assert (x.grad, y.grad) == (float(b == 1), 0.0)


@pytest.mark.parametrize('args,words', [
    (('x**x', 'x=0'), 'the gradient of a ** b is infinite at a = 0, b = 0'),
    (('x**y', 'x=0', 'y=0'), 'the gradient of a ** b is infinite at a = 0, b = 0'),
    (('0**y', 'y=0'), 'the gradient of c ** x is infinite at c = 0, x = 0'),
])
def test_grad_command_refuses_the_infinite_slope_at_zero_to_the_zero(args, words, capsys):
    "microgradnb-grad once printed d/dx = 0.0 for x**x at 0: now one line on standard error and exit status 1"
    from microgradnb.calc import grad_cli
    assert grad_cli(*args) == 1
    out, err = capsys.readouterr()
    assert out == '' and err.startswith(f'microgradnb-grad: error: {words}') and err.count('\n') == 1, err


def test_grad_command_at_a_zero_base_and_a_positive_exponent(capsys):
    "0 ** y for y > 0 is 0: its slope in y is 0, and the command prints it"
    from microgradnb.calc import grad_cli
    assert grad_cli('x**y', 'x=0', 'y=2') == 0
    assert capsys.readouterr().out == 'x**y = 0.0\nd/dx = 0.0\nd/dy = 0.0\n'


def test_an_exponent_above_2_to_the_53_loses_its_parity_as_in_pytorch():
    "x ** (2**53 + 2) at x = -1: the exponent minus 1 rounds to an even float, so the slope comes out positive (PyTorch too)"
    n = 9007199254740994
    x = Value(-1.0)
    (x ** n).backward()
    assert float(n) - 1 == float(n) - 2  # n - 1 is odd, but the nearest float is even
    assert x.grad == float(n)  # the true slope, n * (-1) ** (n - 1), is -n
    assert_same(lambda x: x ** n, (-1.0,))


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
    "x ** 2 and 2 ** x: the number is a constant leaf child (like the 2 in x * 2), which keeps no gradient: None"
    x = Value(3.0)
    y, z = x ** 2, 2 ** x
    assert (y._op, z._op) == ('**', '**')
    assert y._children[0] is x and y._children[1].val == 2.0
    assert z._children[1] is x and z._children[0].val == 2.0
    (y + z).backward()
    assert x.grad == 6.0 + 8.0 * math.log(2.0)
    assert (y._children[1].grad, z._children[0].grad) == (None, None)


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


# ---- numbers are checked like Value()'s argument everywhere, and the message names them ----

BAD_NUMBERS = dict(nan=math.nan, inf=math.inf, minus_inf=-math.inf, int_1e400=10**400, int_minus_1e5000=-10**5000)


@pytest.mark.parametrize('bad', list(BAD_NUMBERS.values()), ids=list(BAD_NUMBERS))
@pytest.mark.parametrize('op, sym', [(operator.add, '+'), (operator.sub, '-'), (operator.mul, '*'), (operator.truediv, '/')],
                         ids=['add', 'sub', 'mul', 'div'])
def test_number_operands_are_named(op, sym, bad):
    with pytest.raises(ValueError, match=rf'^the right operand of \{sym} must be a finite number, got '):
        op(Value(2.0), bad)
    with pytest.raises(ValueError, match=rf'^the left operand of \{sym} must be a finite number, got '):
        op(bad, Value(2.0))


@pytest.mark.parametrize('bad', list(BAD_NUMBERS.values()), ids=list(BAD_NUMBERS))
@pytest.mark.parametrize('base', [1.0, 0.5, 2.0, -3.0, 0.0])
def test_number_exponents_and_bases_are_named(base, bad):
    "Value(1.0) ** nan once gave 1.0, and Value(0.5) ** inf gave 0.0, silently"
    with pytest.raises(ValueError, match=r'^the exponent of \*\* must be a finite number, got '):
        Value(base) ** bad
    with pytest.raises(ValueError, match=r'^the base of \*\* must be a finite number, got '):
        bad ** Value(base)


def test_huge_ints_are_named_by_size_not_printed():
    with pytest.raises(ValueError) as info: Value(-10**5000)
    assert str(info.value) == 'the argument of Value() must be a finite number, got an int of about -10**5000, too large for a float'


@pytest.mark.parametrize('make, message', [
    (lambda: vsum([Value(1.0), math.nan]), 'vsum: values[1] must be a finite number, got nan'),
    (lambda: vsum([10**400]), 'vsum: values[0] must be a finite number, got an int of about 10**400'),
    (lambda: vsum(x for x in [1.0, -math.inf]), 'vsum: values[1] must be a finite number, got -inf'),
    (lambda: linear([Value(1.0)], [math.inf]), 'linear: xs[0] must be a finite number, got inf'),
    (lambda: linear([Value(1.0), Value(1.0)], [1.0, 10**400]), 'linear: xs[1] must be a finite number, got an int of about 10**400'),
    (lambda: linear([Value(1.0)], [1.0], math.nan), 'linear: b must be a finite number, got nan'),
    (lambda: linear([Value(1.0)], [Value(1.0)], 10**400), 'linear: b must be a finite number, got an int of about 10**400'),
    (lambda: Neuron(2, seed=0)([10**400, 1.0]), 'input element 0 must be a finite number, got an int of about 10**400'),
    (lambda: Layer(2, 3, seed=0)([1.0, math.nan]), 'input element 1 must be a finite number, got nan'),
    (lambda: MLP(2, [3, 1], seed=0)([-math.inf, 1.0]), 'input element 0 must be a finite number, got -inf'),
    (lambda: MLP(2, [10**400]), 'nouts[0] must be at most 10000000, got an int of about 10**400'),
    (lambda: MLP(10**400, [1]), 'nin must be at most 10000000'),
    (lambda: Layer(2, 10**400), 'nout must be at most 10000000'),
    (lambda: Neuron(-10**5000), 'nin must be positive, got an int of about -10**5000'),
    (lambda: MLP(2, [4000, 4000]), 'MLP would have 16,016,000 parameters, more than the 10,000,000 this library allows'),
], ids=lambda x: x if isinstance(x, str) else '')
def test_numbers_and_sizes_of_the_network_functions_are_named(make, message):
    with pytest.raises(ValueError) as info: make()
    assert str(info.value).startswith(message), str(info.value)


def test_a_network_too_large_is_refused_before_any_weight_is_made(monkeypatch):
    import microgradnb.nn
    def no_weights(seed): raise AssertionError('a random number generator was made: weights were about to be drawn')
    monkeypatch.setattr(microgradnb.nn, '_rng', no_weights)
    for sizes in ([10**7], [10**6, 10**6], [2] * 10 + [10**8]):
        with pytest.raises(ValueError, match='parameters|at most 10000000'): MLP(2, sizes)
    with pytest.raises(AssertionError, match='weights were about to be drawn'): MLP(2, [3])  # the guard itself works


def _bad_calls():
    "(name, call, marks): calls of the engine, backward and nn with bad input of every kind"
    v = Value(2.0)
    calls = {
        'Value(bad)': lambda bad: Value(bad), 'v + bad': lambda bad: v + bad, 'bad * v': lambda bad: bad * v,
        'v ** bad': lambda bad: v ** bad, 'bad ** v': lambda bad: bad ** v, 'v / bad': lambda bad: v / bad,
        'v.val = bad': lambda bad: setattr(Value(1.0), 'val', bad), 'topological_order(bad)': lambda bad: topological_order(bad),
        'check_fresh(bad)': lambda bad: check_fresh(bad), 'vsum(bad)': lambda bad: vsum(bad), 'vsum([v, bad])': lambda bad: vsum([v, bad]),
        'linear([v], [bad])': lambda bad: linear([v], [bad]), 'linear([bad], [1.0])': lambda bad: linear([bad], [1.0]),
        'linear([v], [1.0], bad)': lambda bad: linear([v], [1.0], bad), 'linear(bad, [1.0])': lambda bad: linear(bad, [1.0]),
        'net(bad)': lambda bad: MLP(2, [3, 1], seed=0)(bad), 'net([bad, 1.0])': lambda bad: MLP(2, [3, 1], seed=0)([bad, 1.0]),
        'MLP(2, bad)': lambda bad: MLP(2, bad), 'MLP(2, [bad])': lambda bad: MLP(2, [bad]), 'Neuron(bad)': lambda bad: Neuron(bad),
        'Layer(2, bad)': lambda bad: Layer(2, bad), 'load_state(bad)': lambda bad: MLP(2, [3, 1]).load_state(bad),
        'load_state([1.0, bad])': lambda bad: MLP(1, [1]).load_state([1.0, bad]),
    }
    bads = {'nan': math.nan, 'inf': math.inf, '1e400': 10**400, 'str': 'a', 'None': None, 'list': [Value(1.0)],
            'tuple': (Value(1.0),), 'dict': {'a': Value(1.0)}, 'class': Value, 'complex': 1j}
    params = [pytest.param(lambda f=f, bad=bad: f(bad), id=f'{name}-{label}')
              for name, f in calls.items() for label, bad in bads.items()]
    params += [pytest.param(f, id=name) for name, f in {
        'Value(1.0) / 0': lambda: Value(1.0) / 0, '1 / Value(0.0)': lambda: 1 / Value(0.0), '0 / 0': lambda: Value(0.0) / Value(0.0),
        'log(-1)': lambda: Value(-1.0).log(), 'overflow': lambda: Value(1e308) * 10,
        'sqrt at 0': lambda: (Value(0.0) ** 0.5).backward()}.items()]
    return params


@pytest.mark.parametrize('call', _bad_calls())
def test_messages_show_numbers_not_internals(call):
    "division by zero once said: Value(val=1.0, grad=0.0) / Value(val=0.0, grad=0.0). (A few calls are fine: vsum([v]).)"
    try: call()
    except Exception as e: message = str(e)
    else: return
    assert 'Value(val=' not in message and 'grad=' not in message, message
    assert '\n' not in message and len(message) < 200, message
    assert 'too large to convert' not in message, message


def test_division_by_zero_names_the_numbers():
    with pytest.raises(ZeroDivisionError) as info: Value(1.0) / Value(0.0)
    assert str(info.value) == 'division by zero: 1.0 / 0.0'


# ---- a graph whose numbers changed after the forward pass is refused ----

CHANGES = {'val': lambda v, x: setattr(v, 'val', x), 'data': lambda v, x: setattr(v, 'data', x),
           'val -=': lambda v, x: setattr(v, 'val', v.val - (v.val - x)), 'data +=': lambda v, x: setattr(v, 'data', v.data + (x - v.data))}


def _isub(v, x):
    v.val -= v.val - x


@pytest.mark.parametrize('change', list(CHANGES.values()) + [_isub], ids=list(CHANGES) + ['-= in place'])
def test_backward_refuses_a_graph_whose_leaf_changed(change):
    "y = x*w*w; w.data = 3.0; y.backward() once gave w.grad == 4.0: neither 2.0 (before) nor 6.0 (after)"
    x, w = Value(1.0), Value(1.0)
    y = x * w * w
    change(w, 3.0)
    with pytest.raises(RuntimeError) as info: y.backward()
    message = str(info.value)
    assert message == ("the graph is out of date: a leaf of a '*' node was assigned a new number, 3.0, after the forward pass; "
                       "redo the forward pass (compute the output again), then take gradients")
    assert (x.grad, w.grad, y.grad) == (0.0, 0.0, 0.0)  # refused before any gradient changed
    y = x * w * w  # the forward pass again
    y.backward()
    assert w.grad == 6.0


@pytest.mark.parametrize('which', range(8))
def test_every_leaf_of_a_graph_with_every_op_is_watched(which):
    leaves = [Value(0.4), Value(-0.7)]
    out = graph_with_every_op(*leaves)
    nodes = topological_order(out)
    constants = [n for n in nodes if not n._children and n not in leaves]
    target = (leaves + constants)[which % (2 + len(constants))]
    target.val = target.val  # even the same number: an assignment is a change
    with pytest.raises(RuntimeError, match='out of date'):
        out.backward()


def test_a_computed_node_whose_number_changed_is_refused():
    x = Value(2.0)
    h = x.tanh()
    h.data = 0.5
    for out in (h, h * 3, (h + x).exp()):
        with pytest.raises(RuntimeError, match=r"^the graph is out of date: the number of a 'tanh' node was assigned \(0.5\)"):
            out.backward()


def test_changes_that_no_node_used_are_fine():
    x, w = Value(1.0), Value(2.0)
    a = x * 3
    w.val = 5.0       # a does not use w
    b = a * w         # made after the change
    b.backward()
    assert (x.grad, w.grad) == (15.0, 3.0)
    b.backward()      # nothing changed since: still fine, leaves accumulate
    assert (x.grad, w.grad) == (30.0, 6.0)


@pytest.mark.parametrize('make_opt', [lambda ps: SGD(ps, 0.1), lambda ps: SGD(ps, 0.1, momentum=0.9), lambda ps: Adam(ps, 0.05)],
                         ids=['sgd', 'momentum', 'adam'])
def test_optimisers_work_and_an_old_loss_is_refused(make_opt):
    "The optimisers assign p.val: a new forward pass after each step is fine, the loss from before the step is not"
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    opt = make_opt(model.parameters())
    losses = []
    for _ in range(30):
        loss = squared_error(model, xs, ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.val)
    assert losses[-1] < losses[0]
    with pytest.raises(RuntimeError, match='redo the forward pass'):
        loss.backward()


@pytest.mark.parametrize('create_graph', [False, True])
def test_grad_refuses_an_out_of_date_graph_too(create_graph):
    from microgradnb import grad
    x = Value(2.0)
    y = x * x * x
    x.val = 3.0
    with pytest.raises(RuntimeError, match='redo the forward pass'):
        grad(y, [x], create_graph=create_graph)
    assert x.grad == 0.0
    (d,) = grad(x * x * x, [x], create_graph=create_graph)
    assert d.val == 27.0


def test_vsum_overflows_where_the_chain_of_plus_would():
    "vsum adds left to right, as the chain of `+` it stands for: 1e308 + 1e308 overflows before -1e308 comes, as in Python"
    with pytest.raises(OverflowError, match='vsum overflows a float'):
        vsum([Value(1e308), Value(1e308), Value(-1e308)])
    with pytest.raises(OverflowError):
        Value(1e308) + Value(1e308) + Value(-1e308)
    assert vsum([Value(1e308), Value(-1e308), Value(1e308)]).val == 1e308  # in this order no partial sum overflows
    with pytest.raises(OverflowError, match='vsum overflows a float'):
        vsum([Value(1e308), Value(1e308)])
