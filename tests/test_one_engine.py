"""One engine: the code a reader studies is the code that runs.

- every method of the package is defined once, no function carries a `__wrapped__` into the package, and no notebook
  cell replaces, hides or uninstalls package code;
- the numbers a network is given are constants (grad None), and every other node of its graph carries its true
  derivative, checked against central differences taken at that very node;
- the two speed-ups of the nn chapter give bit for bit what their plain forms give: a layer reading its inputs once
  (`_weighted_sum` against `linear`) and `linear`'s rule returning at a zero gradient (against the rule without the test).
"""
import ast
import importlib
import inspect
import json
import math
import pkgutil
import random
import re
from pathlib import Path

import pytest

import microgradnb
from microgradnb import MLP, Layer, Neuron, Value, constant, linear, topological_order, vsum
from microgradnb.nn import _linear_backward, _weighted_sum

from central import check_every_node

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ('Value', 'Module', 'Neuron', 'Layer', 'MLP')


def package_modules():
    return [importlib.import_module(f'microgradnb.{m.name}') for m in pkgutil.iter_modules(microgradnb.__path__)]


# ---- one definition per method ----

def definitions():
    "(class, method) -> the places in the package's source that define it: class bodies, @patch functions, assignments"
    found = {}
    for path in sorted((ROOT / 'microgradnb').glob('*.py')):
        tree = ast.parse(path.read_text())
        def add(cls, name, node): found.setdefault((cls, name), []).append(f'{path.name}:{node.lineno}')
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                cls = node.name if node.name in CLASSES else f'{path.name}:{node.name}'  # other classes: one per module
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        if not any(isinstance(d, ast.Attribute) and d.attr in ('setter', 'deleter') for d in item.decorator_list): add(cls, item.name, item)
                    elif isinstance(item, ast.Assign):
                        for t in item.targets:
                            if isinstance(t, ast.Name): add(cls, t.id, item)
            elif isinstance(node, ast.FunctionDef):
                if any(getattr(d, 'id', None) == 'patch' for d in node.decorator_list):
                    ann = node.args.args[0].annotation if node.args.args else None
                    for cls in ([ann] if not isinstance(ann, ast.Tuple) else ann.elts):
                        if isinstance(cls, ast.Name): add(cls.id, node.name, node)
                for d in node.decorator_list:  # a decorator that installs the function as a method: install(Layer, '_forward')
                    if isinstance(d, ast.Call) and len(d.args) > 1 and getattr(d.args[0], 'id', None) in CLASSES and isinstance(d.args[1], ast.Constant):
                        add(d.args[0].id, d.args[1].value, node)
            elif isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id in CLASSES: add(t.value.id, t.attr, node)
            elif isinstance(node, ast.Call) and getattr(node.func, 'id', None) == 'setattr' and node.args:
                if isinstance(node.args[0], ast.Name) and node.args[0].id in CLASSES: add(node.args[0].id, '<setattr>', node)
    return found


def test_every_method_is_defined_once():
    found = definitions()
    assert ('Value', 'backward') in found and ('Layer', '_forward') in found and ('MLP', '__call__') in found
    twice = {k: v for k, v in found.items() if len(v) > 1}
    assert not twice, twice


def test_the_methods_that_run_are_those_of_the_chapters_that_define_them():
    "Value.backward is chapter 01's, the network's methods are chapter 04's, each function where its module says"
    from microgradnb import backward, nn
    assert Value.backward.__module__ == 'microgradnb.backward' and Value.backward.__code__.co_filename == backward.__file__
    for cls in (Neuron, Layer, MLP):
        for name, f in vars(cls).items():
            if inspect.isfunction(f): assert f.__module__ == 'microgradnb.nn' and f.__code__.co_filename == nn.__file__, (cls, name)


def in_package(f):
    "True if the code of the function `f` is written in microgradnb"
    code = getattr(f, '__code__', None)
    return code is not None and Path(code.co_filename).resolve().parent == ROOT / 'microgradnb'


def test_no_function_carries_a_wrapped_into_the_package():
    """No package function keeps another package function as its __wrapped__ (a replacement keeping the form it replaced);
    the standard library's own decorators (contextmanager, dataclass's __repr__) wrap with code of their own, outside it"""
    seen, bad = set(), []
    def check(obj, where):
        if id(obj) in seen: return
        seen.add(id(obj))
        w = getattr(obj, '__wrapped__', None) if callable(obj) else None
        if w is not None and in_package(obj) and in_package(w): bad.append(where)
    for mod in package_modules():
        for name, obj in vars(mod).items():
            check(obj, f'{mod.__name__}.{name}')
            if inspect.isclass(obj) and obj.__module__.startswith('microgradnb'):
                for attr, member in vars(obj).items(): check(member, f'{mod.__name__}.{name}.{attr}')
    assert not bad, bad


def test_no_notebook_cell_replaces_or_uninstalls_package_code():
    "Outside the cell that defines it, no cell assigns to a package class, calls setattr on one, or reaches for __wrapped__"
    pat = re.compile(rf'setattr\(\s*({"|".join(CLASSES)})\b|__wrapped__|^\s*({"|".join(CLASSES)})\.\w+\s*=[^=]', re.M)
    hits = []
    for path in sorted((ROOT / 'nbs').glob('*.ipynb')):
        for cell in json.loads(path.read_text())['cells']:
            if cell['cell_type'] != 'code': continue
            src = ''.join(cell['source'])
            exported = src.lstrip().startswith(('#| export', '#| exporti'))
            for m in pat.finditer(src):
                if exported and m.group(0).lstrip().startswith('Value.') and '__wrapped__' not in m.group(0): continue  # e.g. Value.val = property(...), where it is defined
                hits.append((path.name, cell.get('id'), m.group(0).strip()))
            if re.search(r'^#\| export \w', src, re.M): hits.append((path.name, cell.get('id'), 'exports into another chapter\'s module'))
    assert not hits, hits


# ---- constants and true gradients for every other node ----

def made_constants(out):
    return [v for v in topological_order(out) if not v._children and v.grad is None]


@pytest.mark.parametrize('act', ['relu', 'tanh', 'sigmoid', 'linear'])
@pytest.mark.parametrize('shape', [(2, [3, 1]), (3, [4, 4, 2]), (5, [1])])
def test_mlp_float_inputs_are_constants_and_every_other_node_is_true(act, shape):
    nin, nouts = shape
    m = MLP(nin, nouts, act=act, seed=7)
    row = [0.5 * (i + 1) * (-1) ** i for i in range(nin)]
    out = m(row)
    out = vsum([o * o for o in out]) if isinstance(out, list) else out
    consts = made_constants(out)
    assert sorted(c.val for c in consts if c.val in row) == sorted(row)  # the inputs are among them
    check_every_node(out, consts, rel_tol=1e-5, abs_tol=1e-8)
    assert all(p.grad is not None for p in m.parameters())


def test_the_issues_example():
    "MLP(2, [3, 1], seed=1) called with [1.0, 2.0]: the input leaves show grad None (they once showed a wrong 0)"
    m = MLP(2, [3, 1], seed=1)
    out = m([1.0, 2.0])
    out.backward()
    inputs = out._children[3]._children[0]._children[2:4]  # output linear (w1..w3, then tanh outputs) -> tanh -> linear -> x1, x2
    assert [(x.val, x.grad) for x in inputs] == [(1.0, None), (2.0, None)]
    xs = [Value(1.0), Value(2.0)]
    m(xs).backward()
    assert math.isclose(xs[0].grad, 0.1092322231704807, rel_tol=1e-12) and math.isclose(xs[1].grad, -0.013137681024953163, rel_tol=1e-12)


@pytest.mark.parametrize('kind', ['neuron', 'layer'])
def test_neurons_and_layers_called_with_numbers_make_constants(kind):
    net = Neuron(3, act='tanh', seed=2) if kind == 'neuron' else Layer(3, 2, act='relu', seed=2)
    out = net([0.3, -1, 2.5])  # an int among them
    out = out if kind == 'neuron' else vsum([o * o for o in out])
    consts = made_constants(out)
    assert sorted(c.val for c in consts) == [-1.0, 0.3, 2.5]
    check_every_node(out, consts, rel_tol=1e-5, abs_tol=1e-8)


def test_linear_makes_constants_of_its_numbers():
    w, x = [Value(0.5), Value(-1.5)], Value(2.0)
    y = linear(w, [x, 3], 0.25)
    consts = [y._children[3], y._children[4]]
    assert [(c.val, c.grad) for c in consts] == [(3.0, None), (0.25, None)]
    check_every_node(y * y, consts)
    assert x.grad is not None and all(c.grad is None for c in consts)


# ---- the nn chapter's speed-ups against their plain forms, bit for bit ----

def bits(xs): return [None if x is None else x.hex() for x in xs]


def plain_rule(out):
    "linear's rule without its test for a zero gradient"
    g, children = out.grad, out._children
    n = len(children) // 2
    for w, x in zip(children[:n], children[n:2 * n]):
        w.grad += x._val * g
        x.grad += w._val * g
    if len(children) % 2: children[-1].grad += g


def network_loss(seed, rule=None):
    "A hinge loss on a random ReLU or tanh network over rows of floats and of Values; its linear nodes given `rule` if one is named"
    rng = random.Random(seed)
    nin = rng.choice([1, 2, 3, 8])
    m = MLP(nin, [rng.randrange(1, 6) for _ in range(rng.randrange(1, 4))] + [1], act=rng.choice(['relu', 'relu', 'tanh']), seed=seed)
    rows = [[rng.uniform(-2, 2) if rng.random() < 0.7 else 0.0 for _ in range(nin)] for _ in range(6)]
    losses = []
    for i, row in enumerate(rows):
        x = row if i % 2 else [Value(v) for v in row]
        losses.append((1 - rng.choice([-1.0, 1.0]) * m(x)).relu())
    loss = vsum(losses) * 0.5
    if rule is not None:
        for v in topological_order(loss):
            if v._op == 'linear': v._backward = rule
    return m, loss


@pytest.mark.parametrize('seed', range(40))
def test_the_rule_that_returns_at_zero_gives_the_plain_rules_bits(seed):
    ma, la = network_loss(seed)
    mb, lb = network_loss(seed, plain_rule)
    assert {v._backward for v in topological_order(la) if v._op == 'linear'} == {_linear_backward}
    la.backward(); lb.backward()
    la.backward(); lb.backward()  # twice: leaves accumulate
    assert bits(v.grad for v in topological_order(la)) == bits(v.grad for v in topological_order(lb))
    assert bits(p.grad for p in ma.parameters()) == bits(p.grad for p in mb.parameters())


def test_some_linear_nodes_do_receive_zero():
    "The property above is exercised: in these graphs many weighted sums get a gradient of exactly 0.0"
    zeros = total = 0
    for seed in range(40):
        _, loss = network_loss(seed)
        loss.backward()
        sums = [v for v in topological_order(loss) if v._op == 'linear']
        zeros += sum(v.grad == 0.0 for v in sums); total += len(sums)
    assert 0.2 < zeros / total < 0.95


@pytest.mark.parametrize('seed', range(40))
def test_weighted_sum_builds_linears_node_bit_for_bit(seed):
    rng = random.Random(seed)
    n = rng.randrange(0, 12)
    ws = [Value(rng.uniform(-2, 2)) for _ in range(n)]
    xs = tuple(Value(rng.uniform(-2, 2)) if rng.random() < 0.5 else constant(rng.choice([0.0, rng.uniform(-2, 2)])) for _ in range(n))
    b = Value(rng.uniform(-1, 1))
    a, c = _weighted_sum(ws, xs, [x.val for x in xs], b), linear(ws, xs, b)
    assert (a.val.hex(), a._children, a._op, a._backward) == (c.val.hex(), c._children, c._op, c._backward)


def test_weighted_sum_hands_anything_unusual_to_linear():
    x = (Value(1.0), Value(2.0))
    class SubValue(Value): __slots__ = ()
    w = [Value(0.5), SubValue(0.25)]
    assert _weighted_sum(w, x, [1.0, 2.0], Value(0.0)).val == linear(w, x, Value(0.0)).val
    assert _weighted_sum(w, x, [1.0, 2.0], 3)._children[-1].grad is None  # a number as bias: a constant
    with pytest.raises(TypeError, match=r'ws\[1\] must be a Value'): _weighted_sum([Value(0.5), 0.25], x, [1.0, 2.0], Value(0.0))
    with pytest.raises(TypeError, match='linear: ws must be a list or other iterable'): _weighted_sum(None, x, [1.0, 2.0], Value(0.0))
    assert _weighted_sum(tuple(w), x, [1.0, 2.0], Value(0.0)).val == 1.0  # a tuple of weights: linear takes it
    with pytest.raises(ValueError, match='got 3 weights and 2 inputs'): _weighted_sum(w + [Value(1.0)], x, [1.0, 2.0], Value(0.0))
    with pytest.raises(OverflowError, match='linear overflows'): _weighted_sum([Value(1e300)] * 2, (Value(1e300),) * 2, [1e300] * 2, Value(0.0))


@pytest.mark.parametrize('seed', range(30))
def test_a_network_gives_the_bits_of_linear_called_neuron_by_neuron(seed):
    "MLP (inputs read once per layer) against the same network written with `linear` per neuron"
    rng = random.Random(seed)
    nin = rng.choice([1, 2, 5])
    m = MLP(nin, [rng.randrange(1, 5) for _ in range(rng.randrange(1, 3))] + [2], act=rng.choice(['relu', 'tanh', 'sigmoid']), seed=seed)
    row = [rng.uniform(-2, 2) for _ in range(nin)]
    def by_hand(x):
        x = [constant(v) for v in x]
        for layer in m.layers:
            x = [linear(n.w, x, n.b) for n in layer.neurons]
            x = x if layer.act == 'linear' else [getattr(v, layer.act)() for v in x]
        return x
    outs_a, outs_b = m(row), by_hand(row)
    assert bits(o.val for o in outs_a) == bits(o.val for o in outs_b)
    vsum([o * o for o in outs_a]).backward(); ga = [p.grad for p in m.parameters()]
    m.zero_grad()
    vsum([o * o for o in outs_b]).backward(); gb = [p.grad for p in m.parameters()]
    assert bits(ga) == bits(gb)


def test_a_changed_weight_is_checked_at_the_next_call():
    net = MLP(3, [4, 1], act='relu', seed=1)
    row = [0.5, 0.0, -1.5]
    net(row)
    net.layers[0].neurons[2].w[1] = 0.25
    with pytest.raises(TypeError, match=r'ws\[1\] must be a Value'): net(row)
    net.layers[0].neurons[2].w[1] = Value(0.25)
    net.layers[0].neurons[2].w.append(Value(1.0))
    with pytest.raises(ValueError, match='as many weights as inputs, got 4 weights and 3 inputs'): net(row)
