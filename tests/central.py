"""A gradient check at every node: nudge one node's number, recompute every node above it, compare with its `.grad`.

Used by tests/test_constants.py and tests/test_one_engine.py: after `backward`, every node is a constant (grad None) or
holds the central difference of the output taken at that very node.
"""
import functools, math, operator

from microgradnb import topological_order

FORWARD = {  # each operation's number from its children's numbers
    '+': lambda *v: functools.reduce(operator.add, v, 0.0),  # left to right, as vsum and the chain of + add
    '*': lambda a, b: a * b,
    '/': lambda a, b: a / b,
    '**': lambda a, b: a ** b,
    'relu': lambda a: max(a, 0.0),
    'tanh': math.tanh,
    'sigmoid': lambda a: 1 / (1 + math.exp(-a)),
    'linear': lambda *v: functools.reduce(operator.add, map(operator.mul, v[:len(v) // 2], v[len(v) // 2:2 * (len(v) // 2)]),
                                          v[-1] if len(v) % 2 else 0.0),  # the bias first, then each product, as linear adds
}


def replay(order, nudged, by):
    "The output's number when the node at position `nudged` of `order` is moved `by`, and every node above it recomputed"
    vals = {}
    for i, node in enumerate(order):
        v = FORWARD[node._op](*(vals[c] for c in node._children)) if node._children else node.val
        vals[node] = v + by if i == nudged else v
    return vals[order[-1]]


def check_every_node(out, constants, rel_tol=1e-6, abs_tol=1e-9):
    "`out.backward()`; then each node of `constants` keeps grad None, and every other node's grad is the central difference"
    out.backward()
    order = topological_order(out)
    ids = {id(c) for c in constants}
    for i, node in enumerate(order):
        if id(node) in ids:
            assert node.grad is None, (node._op, node.val, node.grad)
            continue
        assert node.grad is not None, f'a {node._op or "leaf"} node that is no constant has no gradient'
        h = 1e-6 * max(1.0, abs(node.val))
        want = (replay(order, i, h) - replay(order, i, -h)) / (2 * h)
        assert math.isclose(node.grad, want, rel_tol=rel_tol, abs_tol=abs_tol), (i, node._op, node.grad, want)
