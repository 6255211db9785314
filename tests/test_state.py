"""Saving graphs and models: pickle and deepcopy give independent, correct copies (deep graphs included), and a model's
weights go to a plain list of floats and back, checked before anything changes."""
import copy
import json
import math
import pickle
import sys

import pytest

from microgradnb import MLP, SGD, Layer, Neuron, Value, linear, squared_error, topological_order, vsum, xor_data


@pytest.fixture
def recursion_limit_1000():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try: yield
    finally: sys.setrecursionlimit(old)


def graph_with_every_op(a, b):
    "Every operation once, the n-ary ones and number exponents and bases included"
    c = a * b + a / (b + 3.0) - b ** 2 + a ** (b * b + 1.0) + 2.0 ** a + (b * b + 0.5).log()
    d = c.tanh() + c.sigmoid() + c.relu() + (c * 0.1).exp() - c
    return vsum([c, d, a, 1.0]) + linear([a, b], [d, 2.0], c)


def pickled(x, protocol=pickle.HIGHEST_PROTOCOL): return pickle.loads(pickle.dumps(x, protocol))


COPIERS = {'pickle': pickled, 'deepcopy': copy.deepcopy}
for _p in range(pickle.HIGHEST_PROTOCOL + 1): COPIERS[f'pickle{_p}'] = lambda x, _p=_p: pickled(x, _p)


# ---- graphs ----

@pytest.mark.parametrize('copier', list(COPIERS.values()), ids=list(COPIERS))
def test_a_copy_of_a_graph_has_its_own_leaves(copier):
    "deepcopy of x**2 once sent its gradients to the original leaves"
    a, b = Value(0.4), Value(-0.7)
    out = graph_with_every_op(a, b)
    twin, ta, tb = copier((out, a, b))
    assert ta is not a and tb is not b
    twin.backward()
    assert (a.grad, b.grad) == (0.0, 0.0)
    out.backward()
    assert (twin.val, ta.grad, tb.grad) == (out.val, a.grad, b.grad)  # the same numbers, bit for bit
    assert [n._op for n in topological_order(twin)] == [n._op for n in topological_order(out)]


@pytest.mark.parametrize('copier', list(COPIERS.values()), ids=list(COPIERS))
def test_a_number_exponent_graph_copies(copier):
    x = Value(3.0)
    y = copier(x ** 2)
    y.backward()
    assert (y.val, y._children[0].grad, x.grad) == (9.0, 6.0, 0.0)
    z = copier(2 ** x)
    z.backward()
    assert z._children[1].grad == 8.0 * math.log(2.0)


@pytest.mark.parametrize('copier', [pickled, copy.deepcopy], ids=['pickle', 'deepcopy'])
def test_shared_nodes_stay_shared(copier):
    x = Value(1.5)
    h = x * x
    y = h * h + h
    ty, tx, th = copier([y, x, h])
    assert ty._children[0]._children == (th, th) and th._children == (tx, tx)
    ty.backward()
    y.backward()
    assert tx.grad == x.grad == 4 * 1.5 ** 3 + 2 * 1.5


@pytest.mark.parametrize('copier', [pickled, copy.deepcopy], ids=['pickle', 'deepcopy'])
@pytest.mark.parametrize('shape', ['chain', 'tanh_chain', 'ladder'])
def test_deep_graphs_copy_under_the_default_recursion_limit(copier, shape, recursion_limit_1000):
    "Chains of 10,000 nodes and more: saving each Value's children first would need a recursion as deep"
    x = Value(0.5)
    y = x
    for i in range(5_000):
        y = (y + 0.5 if shape == 'chain' else (y * 0.999).tanh() if shape == 'tanh_chain' else y * 0.999 + x)
    twin = copier(y)
    twin.backward()
    y.backward()
    leaf = topological_order(twin)[0]
    assert leaf is not x and (twin.val, leaf.grad) == (y.val, x.grad)


def test_copies_of_one_node_inside_a_big_graph(recursion_limit_1000):
    "Saving an inner node, then the whole graph, then an inner node again: each copy is whole"
    x = Value(1.0)
    nodes = [x]
    for _ in range(6_000): nodes.append(nodes[-1] + 1.0)
    mid, last = pickled([nodes[3_000], nodes[-1]])
    assert (mid.val, last.val) == (3_001.0, 6_001.0)
    assert len(topological_order(last)) == len(topological_order(nodes[-1]))
    again = pickled(nodes[4_500])
    again.backward()
    assert again.val == 4_501.0 and topological_order(again)[0].grad == 1.0


def test_a_copy_keeps_grad_and_can_be_saved_again():
    a = Value(2.0)
    y = a * a
    y.backward()
    twin = pickled(pickled(y))
    assert (twin.grad, twin._children[0].grad) == (1.0, 4.0)


def test_shallow_copy_shares_children():
    a = Value(2.0)
    y = a * 3
    s = copy.copy(y)
    assert s is not y and s._children[0] is a and (s.val, s._op, s._backward) == (y.val, y._op, y._backward)


# ---- copies and the check for out-of-date graphs ----

@pytest.mark.parametrize('copier', [pickled, copy.deepcopy], ids=['pickle', 'deepcopy'])
def test_a_copy_of_an_out_of_date_graph_stays_out_of_date(copier):
    x, w = Value(1.0), Value(1.0)
    y = x * w * w
    w.data = 3.0
    twin = copier(y)
    with pytest.raises(RuntimeError, match='out of date'): twin.backward()
    h = x * 2
    h.val = 5.0
    with pytest.raises(RuntimeError, match="the number of a '\\*' node was assigned"): copier(h + 1).backward()


@pytest.mark.parametrize('copier', [pickled, copy.deepcopy], ids=['pickle', 'deepcopy'])
def test_a_fresh_copy_is_fresh_and_watched(copier):
    x, w = Value(1.0), Value(2.0)
    for _ in range(5): w.val += 1.0  # the counter moves on in this process; a copy's stamps must not depend on it
    twin = copier(x * w * w)
    y = twin * 2.0  # a node made after the copy, from the copy
    y.backward()
    tx, tw = twin._children[0]._children
    assert (tx.grad, tw.grad) == (2 * 49.0, 2 * 2 * 7.0)
    tw.val = 1.0
    with pytest.raises(RuntimeError, match='out of date'): y.backward()
    with pytest.raises(RuntimeError, match='out of date'): twin.backward()


# ---- models ----

@pytest.mark.parametrize('copier', [pickled, copy.deepcopy], ids=['pickle', 'deepcopy'])
@pytest.mark.parametrize('make', [lambda: Neuron(3, act='relu', seed=1), lambda: Layer(3, 2, act='sigmoid', seed=2),
                                  lambda: MLP(3, [4, 4, 2], act='tanh', seed=3), lambda: MLP(3, [1], act=None, seed=4)],
                         ids=['neuron', 'layer', 'mlp', 'linear_mlp'])
def test_models_copy_and_train_on_their_own(make, copier):
    model = make()
    twin = copier(model)
    assert repr(twin) == repr(model) and twin.state() == model.state()
    x = [0.5, -1.0, 2.0]
    out, tout = model(x), twin(x)
    outs, touts = (out if isinstance(out, list) else [out]), (tout if isinstance(tout, list) else [tout])
    assert [o.val for o in touts] == [o.val for o in outs]
    vsum(touts).backward()
    assert all(p.grad == 0.0 for p in model.parameters())
    for p in twin.parameters(): p.val -= 0.1 * p.grad
    assert twin.state() != model.state() or all(p.grad == 0.0 for p in twin.parameters())


def test_a_pickled_model_trains_as_the_original():
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    twin = pickled(model)
    for m in (model, twin):
        opt = SGD(m.parameters(), 0.1)
        for _ in range(20):
            loss = squared_error(m, xs, ys)
            opt.zero_grad()
            loss.backward()
            opt.step()
    assert twin.state() == model.state()


# ---- state and load_state ----

def test_state_round_trips_through_json_bit_for_bit():
    model = MLP(2, [16, 16, 1], act='relu', seed=7)
    for p in model.parameters(): p.val = p.val / 3  # numbers with long decimal expansions
    saved = json.dumps(model.state())
    other = MLP(2, [16, 16, 1], act='relu', seed=8)
    other.load_state(json.loads(saved))
    assert other.state() == model.state()
    assert all(type(v) is float for v in other.state())
    x = [0.3, -0.2]
    assert other(x).val == model(x).val


@pytest.mark.parametrize('values, error, message', [
    ([0.5] * 12, ValueError, 'load_state needs 13 numbers, one per parameter, got 12'),
    ([0.5] * 14, ValueError, 'load_state needs 13 numbers, one per parameter, got 14'),
    ([], ValueError, 'load_state needs 13 numbers, one per parameter, got 0'),
    ([0.5] * 12 + [math.nan], ValueError, 'load_state: values[12] must be a finite number, got nan'),
    ([math.inf] + [0.5] * 12, ValueError, 'load_state: values[0] must be a finite number, got inf'),
    ([0.5] * 12 + [10**400], ValueError, 'load_state: values[12] must be a finite number, got an int of about 10**400'),
    ([0.5] * 12 + ['1'], TypeError, "load_state: values[12] must be a real number, got str: '1'"),
    ([0.5] * 12 + [True], TypeError, 'load_state: values[12] must be a real number, got bool'),
    ([0.5] * 12 + [Value(1.0)], TypeError, 'load_state: values[12] must be a real number, got a Value holding 1.0'),
    ('[0.5]', TypeError, "load_state needs a list of numbers, as state() gives, got str"),
    (None, TypeError, 'load_state needs a list of numbers, as state() gives, got NoneType'),
    ({'w': 0.5}, TypeError, 'load_state needs a list of numbers, as state() gives, got dict'),
], ids=['short', 'long', 'empty', 'nan', 'inf', 'huge', 'str', 'bool', 'value', 'json_text', 'none', 'dict'])
def test_load_state_refuses_what_does_not_fit_and_changes_nothing(values, error, message):
    model = MLP(2, [3, 1], seed=0)
    before = model.state()
    with pytest.raises(error) as info: model.load_state(values)
    assert str(info.value).startswith(message), str(info.value)
    assert model.state() == before


def test_load_state_takes_a_tuple_and_ints():
    model = MLP(2, [3, 1], seed=0)
    model.load_state(tuple(range(13)))
    assert model.state() == [float(i) for i in range(13)]


def test_a_graph_computed_before_load_state_is_out_of_date():
    model = MLP(2, [3, 1], seed=0)
    y = model([1.0, 2.0])
    model.load_state(model.state())  # the same numbers, but assigned after the forward pass
    with pytest.raises(RuntimeError, match='out of date'): y.backward()
    model([1.0, 2.0]).backward()


# ---- an optimiser's state and load_state ----

from microgradnb import Adam  # noqa: E402


def stepped(make, n=2):
    "An optimiser on two parameters after two steps, so that its state is not all zeros"
    ps = [Value(0.5), Value(-1.5)]
    opt = make(ps)
    for k in range(n):
        for i, p in enumerate(ps): p.grad = 0.3 * (i + 1) - 0.2 * k
        opt.step()
    return ps, opt


ADAM, SGD_MOMENTUM = (lambda ps: Adam(ps, lr=0.1)), (lambda ps: SGD(ps, lr=0.1, momentum=0.9))


@pytest.mark.parametrize('make, field, bad, error, message', [
    (ADAM, 't', -1, ValueError, "Adam.load_state: state['t'] must be at least 0, got -1"),
    (ADAM, 't', 2.5, TypeError, "Adam.load_state: state['t'] must be an int, got float: 2.5"),
    (ADAM, 't', True, TypeError, "Adam.load_state: state['t'] must be an int, got bool: True"),
    (ADAM, 't', '3', TypeError, "Adam.load_state: state['t'] must be an int, got str: '3'"),
    (ADAM, 't', 10**400, ValueError, "Adam.load_state: state['t'] must be at most 9007199254740992, got an int of about 10**400"),
    (ADAM, 'v', [-4, 0], ValueError, "Adam.load_state: state['v'][0] must be finite and >= 0, got -4"),
    (ADAM, 'v', [0.5, math.inf], ValueError, "Adam.load_state: state['v'][1] must be finite and >= 0, got inf"),
    (ADAM, 'm', [math.nan, 0.0], ValueError, "Adam.load_state: state['m'][0] must be a finite number, got nan"),
    (ADAM, 'm', [0.0, 10**400], ValueError, "Adam.load_state: state['m'][1] must be a finite number, got an int of about 10**400, too large for a float"),
    (ADAM, 'm', [0.0, '1'], TypeError, "Adam.load_state: state['m'][1] must be a real number, got str: '1'"),
    (ADAM, 'm', [0.0, Value(1.0)], TypeError, "Adam.load_state: state['m'][1] must be a real number, got a Value holding 1.0"),
    (ADAM, 'm', [0.0], ValueError, "Adam.load_state: state['m'] must be a list with one number per parameter, 2 in all, got 1"),
    (ADAM, 'v', None, TypeError, "Adam.load_state: state['v'] must be a list with one number per parameter, got NoneType: None"),
    (ADAM, 'lr', 0, ValueError, "Adam.load_state: state['lr'] must be positive and finite, got 0"),
    (SGD_MOMENTUM, 'velocity', [math.nan, 0.0], ValueError, "SGD.load_state: state['velocity'][0] must be a finite number, got nan"),
    (SGD_MOMENTUM, 'velocity', [1.0, True], TypeError, "SGD.load_state: state['velocity'][1] must be a real number, got bool: True (write 1.0 if you mean a number)"),
    (SGD_MOMENTUM, 'velocity', '[1.0, 2.0]', TypeError, "SGD.load_state: state['velocity'] must be a list with one number per parameter, got str: '[1.0, 2.0]'"),
    (SGD_MOMENTUM, 'lr', math.inf, ValueError, "SGD.load_state: state['lr'] must be positive and finite, got inf"),
], ids=['t_-1', 't_2.5', 't_bool', 't_str', 't_huge', 'v_negative', 'v_inf', 'm_nan', 'm_huge', 'm_str', 'm_value',
        'm_short', 'v_none', 'lr_0', 'velocity_nan', 'velocity_bool', 'velocity_str', 'lr_inf'])
def test_optimiser_load_state_refuses_a_state_that_would_break_a_step(make, field, bad, error, message):
    "Every field is checked, the error names the field and the value, and nothing changes; the next step then works"
    ps, opt = stepped(make)
    before, vals = opt.state(), [p.val for p in ps]
    with pytest.raises(error) as info: opt.load_state(dict(before, **{field: bad}))
    assert str(info.value) == message
    assert opt.state() == before and [p.val for p in ps] == vals
    for p in ps: p.grad = 0.1
    opt.step()
    assert all(math.isfinite(p.val) for p in ps)


def test_optimiser_load_state_refuses_a_dict_of_other_keys_and_a_non_dict():
    _, opt = stepped(ADAM)
    before = opt.state()
    with pytest.raises(ValueError, match=r"^Adam.load_state needs the dict that Adam.state\(\) gives, with keys lr, t, m, v; got keys \['lr'\]$"):
        opt.load_state(dict(lr=0.1))
    with pytest.raises(TypeError, match=r"with keys lr, t, m, v; got str"): opt.load_state('{}')
    assert opt.state() == before


def test_optimiser_state_round_trips_through_json_and_takes_any_real_numbers():
    from fractions import Fraction
    _, opt = stepped(ADAM, n=3)
    saved = opt.state()
    _, other = stepped(ADAM, n=5)
    other.load_state(json.loads(json.dumps(saved)))
    assert other.state() == saved
    other.load_state(dict(lr=Fraction(1, 10), t=4, m=(1, Fraction(1, 2)), v=[0, 2]))  # a tuple and non-floats: stored as floats in lists
    assert other.state() == dict(lr=0.1, t=4, m=[1.0, 0.5], v=[0.0, 2.0]) and isinstance(other.m, list)
    assert all(type(x) is float for x in other.m + other.v) and type(other.t) is int
