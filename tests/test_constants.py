"""Every node a graph holds carries its true derivative after `backward`, or is a constant that keeps none (`grad` None).

Constants are the numbers that enter a graph as numbers: the 3 of `x * 3` and `x ** 3`, the 2 of `2 ** x`, the numbers a
network is given as input. Each other node's gradient is compared with a central difference taken at that very node:
its number is nudged up and down and every node above it is computed again from its children.
"""
import math

import pytest

from microgradnb import MLP, Value, constant, grad, topological_order

from central import check_every_node

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


def test_a_constant_exponent_or_base_takes_no_gradient_so_needs_none():
    "x ** constant(2.0) at x = -2 was refused for the exponent's ln(-2), which nobody asked for"
    x = Value(-2.0)
    (x ** constant(2.0)).backward()
    assert x.grad == -4.0
    x = Value(0.0)
    (x ** constant(0.0)).backward()
    assert x.grad == 0.0
    x = Value(0.5)
    y = constant(0.0) ** x  # the base's slope 0.5 * 0**-0.5 is infinite, but the base is a constant
    y.backward()
    assert (x.grad, y._children[0].grad) == (0.0, None)


def test_a_leaf_grad_is_checked_as_any_number():
    from fractions import Fraction
    w = Value(1.0)
    w.grad = Fraction(1, 10**400)
    with pytest.raises(ValueError, match="a leaf's grad .* is too small for a float"): (w * 2).backward()
    w.grad = 'x'
    with pytest.raises(TypeError, match="a leaf's grad .* must be a real number, got str: 'x'"): (w * 2).backward()
    w.grad = 0  # micrograd's zero_grad
    (w * 2).backward()
    assert w.grad == 2.0
