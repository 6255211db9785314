"""Every optimisation of the engine gives the numbers of the plain formulation it replaces.

- `vsum` and `linear` (one n-ary node) against chains of `+` and `*` on the same leaves;
- `Neuron`/`MLP`, which build on `linear`, against a neuron written as micrograd writes it;
- `topological_order` (explicit stack, `issuperset` shortcut) against micrograd's recursive sort and the
  previous iterative version, on random graphs: the same list, children before parents;
- `backward` against a backward pass run in micrograd's recursive order;
- the benchmark's training loop against micrograd itself, step by step.
Values and gradients must agree to a relative 1e-12.
"""
import math
import random
import sys

import pytest

from microgradnb import MLP, Neuron, Value, linear, topological_order, vsum
from microgradnb.bench import MicrogradTrainer, NBTrainer, benchmark, chain, moons_problem

REL = 1e-12


def close(a, b, rel=REL):
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
    "backward's rules, run in the reverse of `order`"
    for v in order:
        if v._backward is not None: v.grad = 0.0
    root.grad += 1.0
    for v in reversed(order):
        if v._backward is not None: v._backward(v)


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
    assert z.val == y.val and sorted(v.grad for v in topological_order(z)) == sorted(v.grad for v in topological_order(y))


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
        x, out = chain(Value, n)
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(1000)
        try: out.backward()
        finally: sys.setrecursionlimit(limit)
        assert x.grad == n
        y = Value(0.5)
        z = vsum([y] * n)  # one node with n children: wide, not deep
        z.backward()
        assert y.grad == n


# ---- the benchmark's training loop against micrograd ----

def test_training_matches_micrograd_step_by_step():
    pytest.importorskip('micrograd')
    X, y, weights = moons_problem(30)
    mg, nb = MicrogradTrainer(X, y, weights), NBTrainer(X, y, weights)
    for k in range(3):
        assert close(mg.step(k), nb.step(k))
        assert_close_lists(mg.grads(), nb.grads())
    assert mg.accuracy() == nb.accuracy()


def test_benchmark_quick_runs():
    pytest.importorskip('micrograd'); pytest.importorskip('torch')
    rows = benchmark(quick=True)
    assert {what.split(':')[0] for what, *_ in rows} >= {'moons step', 'build per node', 'memory per node', 'backward per node'}
    assert all(met for what, value, goal, met in rows if what.startswith('same'))


# ---- the faster forms of the performance chapter against the simple forms they replace ----
# The package installs faster forms of `Layer._forward`, `MLP.__call__` and `Value.backward` (steps 6 to 9 of the
# performance chapter, at the end of microgradnb/nn.py); each keeps the simple form it replaces as its `__wrapped__`.
# Values and gradients must agree bit for bit (`float.hex`, which shows the sign of zero too); the one difference is
# that leaves the network makes for a row of plain floats get no gradient.

from contextlib import contextmanager

from microgradnb import Layer, mse_loss
from microgradnb.nn import _order

REPLACED = [(Layer, '_forward'), (MLP, '__call__'), (Value, 'backward')]


@contextmanager
def simple_forms():
    "The simple forms of the earlier chapters, installed while the block runs"
    fast = {k: k[0].__dict__[k[1]] for k in REPLACED}
    for (cls, name), f in fast.items(): setattr(cls, name, f.__wrapped__)
    try: yield
    finally:
        for (cls, name), f in fast.items(): setattr(cls, name, f)


def bits(xs): return [x.hex() for x in xs]


class SubValue(Value):
    "A subclass of Value, as a user might write one"
    __slots__ = ()


def test_the_faster_forms_are_installed_and_keep_the_simple_ones():
    for cls, name in REPLACED:
        fast = cls.__dict__[name]
        assert fast.__wrapped__ is not fast and fast.__module__ == 'microgradnb.nn', (cls, name)
    assert Value.backward.__wrapped__.__module__ == 'microgradnb.backward'


def _network_case(seed):
    "A random MLP and input rows of one kind; build() makes a fresh copy of both"
    rng = random.Random(seed)
    nin = rng.choice([1, 2, 3, 5, 8])
    nouts = [rng.randrange(1, 6) for _ in range(rng.randrange(1, 4))]
    act = rng.choice(['tanh', 'relu', 'relu', 'sigmoid', 'linear'])
    kind = rng.choice(['floats', 'zeros', 'ints', 'values', 'mixed', 'subclass', 'tuple'])
    rows = [[rng.uniform(-2, 2) for _ in range(nin)] for _ in range(2)]
    if kind == 'zeros': rows = [[0.0 if rng.random() < 0.5 else v for v in row] for row in rows]
    def build():
        net = MLP(nin, nouts, act=act, seed=seed)
        xs = []
        for row in rows:
            if kind in ('floats', 'zeros'): xs.append(list(row))
            elif kind == 'tuple': xs.append(tuple(row))
            elif kind == 'ints': xs.append([int(round(v * 3)) for v in row])
            elif kind == 'values': xs.append([Value(v) for v in row])
            elif kind == 'mixed': xs.append([Value(v) if i % 2 else v for i, v in enumerate(row)])
            else: xs.append([SubValue(v) for v in row])
        return net, xs
    return build


def _run(build):
    "Build the case, run a loss over both rows backward; return what to compare"
    net, xs = build()
    outs = []
    for x in xs:
        out = net(x)
        outs += out if isinstance(out, list) else [out]
    loss = vsum([o * o for o in outs]) * 0.5
    loss.backward()
    order = topological_order(loss)
    nin, first_w = len(net.layers[0].neurons[0].w), {id(w) for n in net.layers[0].neurons for w in n.w}
    mine = {id(v) for x in xs for v in x if isinstance(v, Value)}
    made = {id(c) for v in order if v._op == 'linear' and id(v._children[0]) in first_w
            for c in v._children[nin:2 * nin] if id(c) not in mine}
    nodes = [(v._op, v.val.hex(), 'made' if id(v) in made else v.grad.hex()) for v in order]
    return dict(loss=loss.val.hex(), params=bits(p.grad for p in net.parameters()), mine=bits(v.grad for x in xs for v in x if isinstance(v, Value)),
                nodes=nodes, made=[v.grad for v in order if id(v) in made], floats=all(type(v) is float for x in xs for v in x))


@pytest.mark.parametrize('seed', range(80))
def test_networks_match_the_simple_forms_bit_for_bit(seed):
    build = _network_case(seed)
    fast = _run(build)
    with simple_forms(): simple = _run(build)
    for key in ('loss', 'params', 'mine', 'nodes'): assert fast[key] == simple[key], key
    if fast['floats']: assert fast['made'] and all(g == 0.0 for g in fast['made'])  # rows of floats: no gradient for the network's own leaves
    else: assert fast['made'] == simple['made']


@pytest.mark.parametrize('seed', range(40))
def test_backward_matches_the_simple_form_bit_for_bit(seed):
    la, ra = random_graph(seed)
    lb, rb = random_graph(seed)
    ra.backward()
    Value.backward.__wrapped__(rb)
    assert _order(ra) == topological_order(ra)
    assert bits(v.grad for v in topological_order(ra)) == bits(v.grad for v in topological_order(rb))
    assert bits(grads(la)) == bits(grads(lb))


def test_the_walk_falls_back_to_the_explicit_stack_on_deep_graphs():
    x, out = chain(Value, 5000)
    assert _order(out) == topological_order(out)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try: out.backward()
    finally: sys.setrecursionlimit(limit)
    assert x.grad == 5000


def test_a_rule_that_can_raise_still_runs_on_a_zero_gradient():
    "A power's rule raises where its derivative is infinite, whatever the gradient; the skip of zero gradients keeps that"
    y = (Value(0.0) ** 0.5) * 0.0
    with pytest.raises(ZeroDivisionError, match='infinite at x = 0'): y.backward()
    with simple_forms(), pytest.raises(ZeroDivisionError, match='infinite at x = 0'): ((Value(0.0) ** 0.5) * 0.0).backward()


def test_weights_changed_between_calls_are_checked_again():
    net = MLP(3, [4, 1], act='relu', seed=1)
    row = [0.5, 0.0, -1.5]
    net(row)  # the weights are checked and remembered
    n = net.layers[0].neurons[2]
    n.w[1] = SubValue(0.25)  # a subclass: accepted, as linear accepts it
    fast = net(row)
    with simple_forms(): simple = net(row)
    assert fast.val.hex() == simple.val.hex()
    n.w[1] = 0.25
    with pytest.raises(TypeError, match=r'ws\[1\] must be a Value'): net(row)
    n.w[1] = Value(0.25)
    n.w.append(Value(1.0))
    with pytest.raises(ValueError, match='as many weights as inputs, got 4 weights and 3 inputs'): net(row)


def test_a_pickled_network_still_gives_the_same_numbers():
    import pickle
    net = MLP(2, [3, 1], act='relu', seed=0)
    y = net([1.0, -2.0])
    twin = pickle.loads(pickle.dumps(net))
    assert twin([1.0, -2.0]).val.hex() == y.val.hex()
    twin.layers[0].neurons[0].w[0].val = 5.0  # the twin's own weights, not the original's
    assert twin([1.0, -2.0]).val != net([1.0, -2.0]).val


def test_moons_training_matches_the_simple_forms_bit_for_bit():
    X, y, weights = moons_problem(100)
    fast, simple = NBTrainer(X, y, weights), NBTrainer(X, y, weights)
    for k in range(30):
        a = fast.step(k)
        with simple_forms(): b = simple.step(k)
        assert a.hex() == b.hex()
        assert bits(fast.grads()) == bits(simple.grads())
    assert bits(p.val for p in fast.model.parameters()) == bits(p.val for p in simple.model.parameters())


def test_digits_step_matches_the_simple_forms_and_skips_the_input_leaves():
    from microgradnb.bench import NBDigits, digits_problem
    X, T, W = digits_problem(8, seed=3)
    fast = NBDigits(X, T, W)
    fast.step()
    with simple_forms():
        simple = NBDigits(X, T, W)
        simple.step()
    assert bits(fast.grads()) == bits(simple.grads())
    net = MLP(64, [32, 10], act='relu', seed=3)
    out = net(X[0])
    mse_loss(out, T[0]).backward()
    leaves = out[0]._children[32]._children[0]._children[64:128]  # output linear -> first hidden ReLU -> its linear -> inputs
    assert all(v.grad == 0.0 for v in leaves) and [v.val for v in leaves] == X[0]
    xs = [Value(v) for v in X[0]]
    mse_loss(net(xs), T[0]).backward()
    assert any(v.grad != 0.0 for v in xs)  # inputs given as Values get their gradients
