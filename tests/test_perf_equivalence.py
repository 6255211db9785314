"""Every optimisation of the engine gives the numbers of the plain formulation it replaces.

- `vsum` and `linear` (one n-ary node) against chains of `+` and `*` on the same leaves;
- `Neuron`/`MLP`, which build on `linear`, against a neuron written as micrograd writes it;
- `topological_order` (explicit stack, `issuperset` shortcut) against micrograd's recursive sort and the
  previous iterative version, on random graphs: the same list, children before parents;
- `backward` against a backward pass run in micrograd's recursive order, and at the default recursion limit on deep chains.
Values and gradients must agree to a relative 1e-12. (The nn chapter's two speed-ups are checked bit for bit against
their plain forms in test_one_engine.py; the benchmark's training loops against micrograd itself in test_bench.py.)
"""
import math
import random
import sys

import pytest

from microgradnb import MLP, Neuron, Value, linear, topological_order, vsum

REL = 1e-12


def close(a, b, rel=REL):
    "True if the floats `a` and `b` agree to `rel`, or both are None (constants)"
    if a is None or b is None: return a is b
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-300)


def assert_close_lists(a, b):
    assert len(a) == len(b)
    for i, (u, v) in enumerate(zip(a, b)):
        assert close(u, v), f"element {i}: {u!r} != {v!r}"


# ---- reference implementations: the plain formulations ----

def chain_sum(values):
    "values[0] + values[1] + ... with the elementary `+` (numbers allowed)"
    total = 0.0
    for v in values: total = total + v
    return total


def chain_linear(ws, xs, b=None):
    "b + w1*x1 + ... + wn*xn with the elementary `*` and `+`, the order of micrograd's neuron"
    out = 0.0 if b is None else b
    for w, x in zip(ws, xs): out = out + w * x
    return out


def recursive_order(root):
    "micrograd's recursive topological sort, over the engine's tuple children"
    order, seen = [], set()
    def visit(v):
        if v not in seen:
            seen.add(v)
            for c in v._children: visit(c)
            order.append(v)
    visit(root)
    return order


def iterator_order(root):
    "The previous iterative sort: a stack of (node, iterator over its children)"
    order, seen = [], {root}
    stack = [(root, iter(root._children))]
    while stack:
        node, children = stack[-1]
        for child in children:
            if child not in seen:
                seen.add(child)
                stack.append((child, iter(child._children)))
                break
        else:
            stack.pop()
            order.append(node)
    return order


def backward_in_order(root, order):
    "backward's rules, run in the reverse of `order`, each constant lent a 0.0 meanwhile, as backward does"
    constants = [v for v in order if v.grad is None]
    for v in order:
        if v._backward is not None or v.grad is None: v.grad = 0.0
    root.grad += 1.0
    for v in reversed(order):
        if v._backward is not None: v._backward(v)
    for v in constants: v.grad = None


def grads(vs): return [v.grad for v in vs]


# ---- vsum ----

@pytest.mark.parametrize('seed', range(30))
def test_vsum_matches_a_chain_of_additions(seed):
    rng = random.Random(seed)
    n = rng.randrange(0, 12)
    vals = [rng.uniform(-3, 3) for _ in range(n)]
    kinds = [rng.random() for _ in range(n)]  # < 0.3: a plain number; else a Value (sometimes reused)
    def build():
        leaves = [Value(v) for v in vals]
        items = []
        for i, (v, k) in enumerate(zip(vals, kinds)):
            if k < 0.3: items.append(v)
            elif k < 0.45 and items and isinstance(items[-1], Value): items.append(items[-1])  # the same Value twice
            else: items.append(leaves[i])
        return leaves, items
    la, items_a = build()
    lb, items_b = build()
    out_a = vsum(items_a).tanh()
    out_b = chain_sum(items_b)
    out_b = (out_b if isinstance(out_b, Value) else Value(out_b)).tanh()
    assert close(out_a.val, out_b.val)
    out_a.backward(); out_b.backward()
    assert_close_lists(grads(la), grads(lb))


def test_vsum_of_generators_and_ints():
    xs = [Value(1.0), Value(2.0)]
    s = vsum(x * 2 for x in xs)
    s.backward()
    assert s.val == 6.0 and grads(xs) == [2.0, 2.0]
    assert vsum([1, 2, 3.5]).val == 6.5
    with pytest.raises(TypeError, match='got bool'): vsum([1, 2, True])  # a bool is not taken for a number


# ---- linear ----

def _linear_case(seed):
    rng = random.Random(seed)
    n = rng.randrange(0, 9)
    wv = [rng.uniform(-2, 2) for _ in range(n)]
    xv = [rng.uniform(-2, 2) for _ in range(n)]
    mode = rng.choice(['values', 'floats', 'ints', 'mixed', 'shared'])
    bias = rng.choice(['value', 'number', 'none'])
    bv = rng.uniform(-1, 1)
    def build():
        ws = [Value(v) for v in wv]
        if mode == 'values': xs = [Value(v) for v in xv]
        elif mode == 'floats': xs = list(xv)
        elif mode == 'ints': xs = [int(round(v * 3)) for v in xv]
        elif mode == 'mixed': xs = [Value(v) if i % 2 else v for i, v in enumerate(xv)]
        else: xs = [ws[-1 - i] for i in range(n)]  # the weights themselves, reversed: every leaf used twice
        b = Value(bv) if bias == 'value' else bv if bias == 'number' else None
        leaves = ws + [x for x in xs if isinstance(x, Value) and all(x is not w for w in ws)]
        if isinstance(b, Value): leaves.append(b)
        return leaves, ws, xs, b
    return build


@pytest.mark.parametrize('seed', range(60))
def test_linear_matches_the_chain_it_replaces(seed):
    build = _linear_case(seed)
    la, ws, xs, b = build()
    out_a = linear(ws, xs, b) * 1.5  # a parent above the node, so that out.grad is not 1
    lb, ws, xs, b = build()
    out_b = chain_linear(ws, xs, b)
    out_b = (out_b if isinstance(out_b, Value) else Value(out_b)) * 1.5
    assert close(out_a.val, out_b.val, rel=1e-12) or abs(out_a.val - out_b.val) < 1e-14
    out_a.backward(); out_b.backward()
    assert_close_lists(grads(la), grads(lb))


def test_linear_nodes_inside_a_larger_graph():
    "linear outputs feeding linear nodes, with shared inputs, against the chains"
    rng = random.Random(7)
    vals = [rng.uniform(-1, 1) for _ in range(12)]
    def run(lin):
        leaves = [Value(v) for v in vals]
        h = [lin(leaves[0:3], leaves[3:6], leaves[6]), lin(leaves[0:3], [0.5, -1.0, leaves[7]], leaves[8])]
        h = [v.tanh() for v in h]
        out = lin(leaves[9:11], h, leaves[11]) * lin(h, h)
        out.backward()
        return out.val, grads(leaves)
    va, ga = run(linear)
    vb, gb = run(chain_linear)
    assert close(va, vb)
    assert_close_lists(ga, gb)


# ---- the network, built on linear ----

def plain_neuron(n, x):
    "A Neuron's output computed as micrograd writes it: sum((wi*xi ...), b), then the activation"
    out = sum((wi * xi for wi, xi in zip(n.w, x)), n.b)
    return out if n.act == 'linear' else getattr(out, n.act)()


@pytest.mark.parametrize('act', ['tanh', 'relu', 'sigmoid', 'linear'])
def test_mlp_gradients_match_the_plain_formulation(act):
    X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [-1.0, -2.0, 0.5]]
    def loss(forward):
        net = MLP(3, [5, 4, 2], act=act, seed=3)
        total = Value(0.0)
        for x in X:
            for o in forward(net, x): total = total + o * o
        total.backward()
        return total.val, grads(net.parameters())
    def plain(net, x):
        for layer in net.layers: x = [plain_neuron(n, x) for n in layer.neurons]
        return x
    va, ga = loss(lambda net, x: net(x))
    vb, gb = loss(plain)
    assert close(va, vb)
    assert_close_lists(ga, gb)


def test_neuron_builds_one_node_for_its_weighted_sum():
    n = Neuron(4, act='relu', seed=0)
    y = n([1.0, 2.0, 3.0, 4.0])
    assert (y._op, y._children[0]._op) == ('relu', 'linear')
    assert len(topological_order(y)) == 2 + 5 + 4  # relu, linear, 4 weights, the bias, 4 constant leaves for the inputs


def test_a_layer_makes_its_input_leaves_once():
    "Plain-number inputs become constant leaves once per layer call, shared by every neuron"
    from microgradnb import Layer
    out = Layer(3, 5, seed=0)([1.0, 2, 3.5])
    leaves = {id(c) for o in out for c in o._children[0]._children[3:6]}
    assert len(leaves) == 3


def test_every_rule_is_a_module_function_and_graphs_pickle():
    "No closures or partials in a network's graph: each node's rule is a function of the module, so graphs pickle"
    import pickle
    y = MLP(2, [3, 1], seed=0)([1.0, 2.0])
    rules = {v._backward for v in topological_order(y)} - {None}
    assert all(getattr(r, '__qualname__', '').count('.') == 0 for r in rules), rules
    z = pickle.loads(pickle.dumps(y))
    z.backward()
    y.backward()
    grads = lambda out: sorted(v.grad for v in topological_order(out) if v.grad is not None)
    assert z.val == y.val and grads(z) == grads(y)
    assert [v.grad is None for v in topological_order(z)] == [v.grad is None for v in topological_order(y)]  # the constants


# ---- topological order and backward ----

def random_graph(seed, n_leaves=6, n_ops=60):
    "A random DAG mixing every kind of node, with shared subexpressions; returns (leaves, root)"
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(0.5, 1.5)) for _ in range(n_leaves)]
    pool = list(leaves)
    for _ in range(n_ops):
        kind = rng.randrange(6)
        a, b = rng.choice(pool), rng.choice(pool)
        if kind == 0: v = a + b
        elif kind == 1: v = a * b * 0.5
        elif kind == 2: v = a.tanh()
        elif kind == 3: v = vsum(rng.sample(pool, min(len(pool), 4)) + [0.25])
        elif kind == 4:
            k = min(len(pool), 3)
            v = linear(rng.sample(pool, k), rng.sample(pool, k) if rng.random() < 0.5 else [0.5] * k, rng.choice(pool))
            v = v.tanh()
        else: v = a.relu() + b
        pool.append(v)
    return leaves, vsum(rng.sample(pool, 8))


@pytest.mark.parametrize('seed', range(40))
def test_topological_order_is_micrograds_order(seed):
    leaves, root = random_graph(seed)
    order = topological_order(root)
    assert order == recursive_order(root) == iterator_order(root)
    position = {id(v): i for i, v in enumerate(order)}
    assert all(position[id(c)] < position[id(v)] for v in order for c in v._children)
    assert len(position) == len(order)


@pytest.mark.parametrize('seed', range(20))
def test_topological_order_is_deterministic(seed):
    shape = lambda order: [(v._op, round(v.val, 12)) for v in order]
    assert shape(topological_order(random_graph(seed)[1])) == shape(topological_order(random_graph(seed)[1]))


@pytest.mark.parametrize('seed', range(40))
def test_backward_matches_a_pass_in_recursive_order(seed):
    la, ra = random_graph(seed)
    lb, rb = random_graph(seed)
    ra.backward()
    backward_in_order(rb, recursive_order(rb))
    assert_close_lists(grads(la), grads(lb))
    assert_close_lists([v.grad for v in topological_order(ra)], [v.grad for v in recursive_order(rb)])


def test_deep_chains_at_the_default_recursion_limit():
    for n in (10**4, 10**5):
        x = out = Value(0.5)
        for _ in range(n - 1): out = out + x  # a chain of n nodes
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(1000)
        try: out.backward()
        finally: sys.setrecursionlimit(limit)
        assert x.grad == n
        y = Value(0.5)
        z = vsum([y] * n)  # one node with n children: wide, not deep
        z.backward()
        assert y.grad == n
