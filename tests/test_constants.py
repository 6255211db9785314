"""Every node a graph holds carries its true derivative after `backward`, or is a constant that keeps none (`grad` None).

Constants are the numbers that enter a graph as numbers: the 3 of `x * 3` and `x ** 3`, the 2 of `2 ** x`, the numbers a
network is given as input. Each other node's gradient is compared with a central difference taken at that very node:
its number is nudged up and down and every node above it is computed again from its children.
"""
import math

import pytest

from microgradnb import MLP, Value, constant, grad, topological_order

FORWARD = {  # each operation's number from its children's numbers, to recompute a graph above a nudged node
    '+': lambda *v: math.fsum(v),
    '*': lambda a, b: a * b,
    '/': lambda a, b: a / b,
    '**': lambda a, b: a ** b,
    'relu': lambda a: max(a, 0.0),
    'tanh': math.tanh,
    'linear': lambda *v: math.fsum(w * x for w, x in zip(v[:len(v) // 2], v[len(v) // 2:2 * (len(v) // 2)])) + (v[-1] if len(v) % 2 else 0.0),
}


def replay(order, nudged, by):
    "The output's number when the node at position `nudged` of `order` is moved `by`, and all nodes above it recomputed"
    vals = {}
    for i, node in enumerate(order):
        v = FORWARD[node._op](*(vals[c] for c in node._children)) if node._children else node.val
        vals[node] = v + by if i == nudged else v
    return vals[order[-1]]


def central(order, i):
    h = 1e-6 * max(1.0, abs(order[i].val))
    return (replay(order, i, h) - replay(order, i, -h)) / (2 * h)


def mlp(act):
    m = MLP(2, [3, 1], act=act, seed=1)
    return m([1.0, 2.0])


CASES = {
    'x**3': lambda x: x ** 3,
    '2**x': lambda x: 2 ** x,
    'x**2 + x': lambda x: x ** 2 + x,
    'x*3': lambda x: x * 3,
    '3/x': lambda x: 3 / x,
    'x - 1': lambda x: x - 1,
}


def check_every_node(out, constants):
    "`out.backward()`; then each node is a constant with grad None, or has the central difference as its grad"
    out.backward()
    order = topological_order(out)
    for i, node in enumerate(order):
        if any(node is c for c in constants):
            assert node.grad is None, (node._op, node.val, node.grad)
            continue
        assert node.grad is not None, f'a {node._op or "leaf"} node that is no constant has no gradient'
        assert math.isclose(node.grad, central(order, i), rel_tol=1e-6, abs_tol=1e-9), (i, node._op, node.grad, central(order, i))


@pytest.mark.parametrize('name', CASES)
def test_every_node_true_or_a_constant(name):
    x = Value(1.7)
    out = CASES[name](x)
    made = [n for n in topological_order(out) if not n._children and n is not x]  # the numbers the expression made leaves
    assert made and all(n.grad is None for n in made)
    check_every_node(out, made)


@pytest.mark.parametrize('act', ['relu', 'tanh'])
def test_an_mlp_called_with_floats(act):
    "The float inputs are constants (they showed a wrong 0 once); every weight, bias and interior node is true"
    out = mlp(act)
    inputs = [n for n in topological_order(out) if not n._children and n.val in (1.0, 2.0) and n.grad is None]
    assert len(inputs) == 2 * 3 // 3 * 1 or len(inputs) >= 2
    check_every_node(out, inputs)


def test_a_constant_is_a_value_whose_grad_is_none():
    c = constant(4)
    assert (c.val, c.grad) == (4.0, None)
    x = Value(2.0)
    y = x * c
    y.backward()
    assert (x.grad, c.grad) == (4.0, None)
    y.backward()  # a second pass: leaves accumulate, the constant still keeps nothing
    assert (x.grad, c.grad) == (8.0, None)


@pytest.mark.parametrize('name', CASES)
def test_grad_agrees_in_both_modes(name):
    x = Value(1.7)
    out = CASES[name](x)
    plain, graph = grad(out, [x]), grad(out, [x], create_graph=True)
    assert [g.val for g in plain] == [g.val for g in graph]
    out.backward()
    assert math.isclose(plain[0].val, x.grad, rel_tol=1e-12)
