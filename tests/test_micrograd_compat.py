import math
"""Code written for micrograd 0.1.0 runs unchanged on microgradnb and computes the same numbers.

Each expression below is written once, in micrograd's style (`.data`, operators with plain numbers on
either side, augmented assignment, `.relu()`), and run by both libraries (and PyTorch where it helps)."""
import random

import pytest
import torch
from micrograd import nn as mgnn
from micrograd.engine import Value as MGValue

from engines import MICROGRAD, NB, TORCH, assert_results_close, assert_same, close
from microgradnb import MLP as NBMLP, Layer as NBLayer, Neuron as NBNeuron, Value


def readme_example(a, b):
    "The expression from micrograd's README"
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def test_readme_example_numbers():
    r = NB.run(readme_example, (-4.0, 2.0))
    assert abs(r.value - 24.7041) < 1e-4
    assert abs(r.leaf_grads[0] - 138.8338) < 1e-4
    assert abs(r.leaf_grads[1] - 645.5773) < 1e-4


@pytest.mark.parametrize('ref', [MICROGRAD, TORCH], ids=str)
def test_readme_example_matches(ref):
    assert_same(readme_example, (-4.0, 2.0), ref=ref)


def relu_mix(x, y):
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x - y / 4 + 3 / (y * y + 1)


def polynomial(x, y):
    return (x**3 - 2 * x * y + y**2) / (1 + x**2) - (x - y) ** -2


def dead_relus(x, y):
    "Several relus cut off (negative input) or exactly at the kink"
    return (x - x).relu() * y + (-(x * x) - 1).relu() + (y - 2).relu() ** 2


EXPRESSIONS = [(relu_mix, (-4.0, 1.5)), (relu_mix, (0.5, -2.0)), (polynomial, (1.5, -0.5)),
               (polynomial, (-2.0, 3.0)), (dead_relus, (0.7, 1.0)), (dead_relus, (-1.0, 3.5))]


@pytest.mark.parametrize('fn, xs', EXPRESSIONS, ids=lambda v: getattr(v, '__name__', None) or str(v))
def test_expressions_match_micrograd(fn, xs):
    assert_same(fn, xs, ref=MICROGRAD)
    assert_same(fn, xs, ref=TORCH)


def test_interior_gradients_match_micrograd():
    def fn(a, b):
        c = a * b
        d = c.relu() + c ** 2
        return d * a - b, c, d
    assert_results_close(NB.run(fn, (1.5, -2.0)), MICROGRAD.run(fn, (1.5, -2.0)))


# ---- a training loop in micrograd's style, run with either Value class ----

class Neuron:
    "A neuron written as a micrograd user would write it, for any `Value` class"
    def __init__(self, Value, nin, rng, nonlin=True):
        self.w = [Value(rng.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(0)
        self.nonlin = nonlin

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self): return self.w + [self.b]


class MLP:
    def __init__(self, Value, sizes, seed):
        rng = random.Random(seed)
        self.layers = [[Neuron(Value, nin, rng, nonlin=i < len(sizes) - 2) for _ in range(nout)]
                       for i, (nin, nout) in enumerate(zip(sizes, sizes[1:]))]

    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self): return [p for layer in self.layers for n in layer for p in n.parameters()]


def train(Value, steps=20, lr=0.02, seed=1):
    "Fit a small MLP to four points with plain SGD; return the losses and the final parameters"
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    model = MLP(Value, [3, 4, 4, 1], seed=seed)
    losses = []
    for _ in range(steps):
        preds = [model(x) for x in xs]
        loss = sum((p - y)**2 for p, y in zip(preds, ys))
        for p in model.parameters():
            p.grad = 0
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses, [p.data for p in model.parameters()]


def test_training_loop_matches_micrograd():
    nb_losses, nb_params = train(Value)
    mg_losses, mg_params = train(MGValue)
    assert all(isinstance(v, float) for v in nb_losses + nb_params)
    assert len(nb_params) == len(mg_params) == 41
    for a, b in zip(nb_losses + nb_params, mg_losses + mg_params):
        assert close(a, b), (a, b)
    assert nb_losses[-1] < 0.05 * nb_losses[0]  # it learns (no dead network predicting a constant)


def test_data_and_grad_are_plain_attributes():
    "What micrograd code reads and writes: .data and .grad, in both directions"
    p = Value(2.0)
    assert p.data == p.val == 2.0
    p.data = 3  # micrograd allows assigning a number
    assert p.data == 3.0 and type(p.data) is float
    p.data += 0.5
    assert p.val == 3.5
    p.grad = 0
    (p * p).backward()
    assert p.grad == 7.0


# ---- micrograd's own two tests (its test/test_engine.py), rewritten here: microgradnb against PyTorch and micrograd ----

def sanity_check(x):
    "micrograd's test_sanity_check: returns y, with x the only leaf"
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    return h + q + q * x


MICROGRAD_TESTS = [(sanity_check, (-4.0,)), (readme_example, (-4.0, 2.0))]  # readme_example is its test_more_ops


@pytest.mark.parametrize('fn, xs', MICROGRAD_TESTS, ids=['sanity_check', 'more_ops'])
@pytest.mark.parametrize('ref', [TORCH, MICROGRAD], ids=str)
def test_micrograd_published_tests(fn, xs, ref):
    "The output and the gradient of every input, to micrograd's own tolerance of 1e-6"
    got, want = NB.run(fn, xs), ref.run(fn, xs)
    tol = 1e-6
    assert abs(got.value - want.value) < tol
    for g, w in zip(got.leaf_grads, want.leaf_grads):
        assert abs(g - w) < tol
    if fn is sanity_check:
        assert (got.value, got.leaf_grads) == (-20.0, [46.0])  # the exact numbers: every step is exact in floats


# ---- micrograd's nn module against microgradnb's: the same weights, outputs, gradients and training ----

def twin_mlps(nin, nouts, seed):
    "micrograd's MLP(nin, nouts) and microgradnb's MLP(nin, nouts, act='relu'), drawn from the same global random state"
    random.seed(seed)
    mg = mgnn.MLP(nin, nouts)
    random.seed(seed)
    nb = NBMLP(nin, nouts, act='relu')  # seed=None draws from Python's global `random`, as micrograd does
    return mg, nb


@pytest.mark.parametrize('nin, nouts', [(3, [4, 4, 1]), (2, [8, 1]), (4, [3, 2]), (1, [1])])
def test_mlp_same_weights_outputs_and_gradients_as_micrograd(nin, nouts):
    mg, nb = twin_mlps(nin, nouts, seed=nin * 10 + len(nouts))
    assert [p.data for p in nb.parameters()] == [p.data for p in mg.parameters()]
    x = [0.5 * (i + 1) * (-1) ** i for i in range(nin)]
    out_mg, out_nb = mg(x), nb(x)
    if nouts[-1] == 1:
        assert isinstance(out_nb, Value) and isinstance(out_mg, MGValue)  # one output: a Value, in both
        out_mg, out_nb = [out_mg], [out_nb]
    # the same sums in the same order (the bias, then each product, left to right): the same bits
    assert [a.data.hex() for a in out_nb] == [b.data.hex() for b in out_mg]
    loss_mg = sum((o * o for o in out_mg), MGValue(0.0))
    loss_nb = sum((o * o for o in out_nb), Value(0.0))
    loss_mg.backward(), loss_nb.backward()
    for a, b in zip(nb.parameters(), mg.parameters()):
        assert close(a.grad, b.grad), (a.grad, b.grad)


def test_moons_network_forward_is_micrograds_bit_for_bit():
    "micrograd's demo network on 200 random points: every score is micrograd's, bit for bit (one linear node per neuron)"
    mg, nb = twin_mlps(2, [16, 16, 1], seed=1337)
    rng = random.Random(0)
    points = [[rng.uniform(-3, 3), rng.uniform(-3, 3)] for _ in range(200)]
    assert [nb(x).data.hex() for x in points] == [mg(x).data.hex() for x in points]


def test_neuron_and_layer_as_micrograd():
    "Neuron(nin) is micrograd's relu neuron with act='relu'; a Layer of one neuron returns a list (micrograd: a Value)"
    random.seed(5)
    mgn, mgl = mgnn.Neuron(3), mgnn.Layer(3, 1)
    random.seed(5)
    nbn, nbl = NBNeuron(3, act='relu'), NBLayer(3, 1, act='relu')
    x = [1.0, -2.0, 0.5]
    assert nbn(x).data == mgn(x).data
    assert [v.data for v in nbl(x)] == [mgl(x).data]  # the documented difference: always a list of nout Values


def micrograd_style_training(model, steps=15, lr=0.05):
    "The training loop from micrograd's demo, written against micrograd's API only"
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    losses = []
    for _ in range(steps):
        preds = [model(x) for x in xs]
        loss = sum((yout - ygt)**2 for ygt, yout in zip(ys, preds))
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        losses.append(loss.data)
    return losses


def torch_training(params, nouts, steps=15, lr=0.05):
    "The same network and loop in PyTorch float64, from the given initial parameters"
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    sizes = [3] + nouts

    def forward(x):
        it = iter(params)
        for li, (nin, nout) in enumerate(zip(sizes, sizes[1:])):
            outs = []
            for _ in range(nout):
                w = [next(it) for _ in range(nin)]
                act = next(it)  # the bias first, as micrograd's sum(..., self.b)
                for wi, xi in zip(w, x): act = act + wi * xi
                outs.append(act.relu() if li < len(nouts) - 1 else act)
            x = outs
        return x[0]

    losses = []
    for _ in range(steps):
        loss = sum((forward(x) - y)**2 for x, y in zip(xs, ys))
        for p in params: p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params: p -= lr * p.grad
        losses.append(loss.item())
    return losses, [p.item() for p in params]


def test_micrograd_training_code_runs_unchanged_on_microgradnb():
    "micrograd's MLP and demo loop, and microgradnb's MLP(act='relu') in the same loop: same losses, same weights"
    mg, nb = twin_mlps(3, [4, 4, 1], seed=1337)
    start = [p.data for p in nb.parameters()]
    mg_losses, nb_losses = micrograd_style_training(mg), micrograd_style_training(nb)
    for a, b in zip(nb_losses, mg_losses): assert close(a, b), (a, b)
    for a, b in zip(nb.parameters(), mg.parameters()): assert close(a.data, b.data)
    pt_losses, pt_params = torch_training(start, [4, 4, 1])
    for a, b in zip(nb_losses, pt_losses): assert close(a, b), (a, b)
    for a, b in zip(nb.parameters(), pt_params): assert close(a.data, b), (a.data, b)
    assert nb_losses[-1] < nb_losses[0]
