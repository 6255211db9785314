"""softmax, log_softmax and cross_entropy against PyTorch in float64, values and gradients, for logits small and
huge; the multiclass accuracy against torch.argmax; fit with minibatches against the loop it stands for.

Tolerances. Values and gradients must agree to a relative 1e-9. Where that asks for more than float64 arithmetic can
give, an absolute floor says how much: PyTorch takes `log` of a sum that is at least 1, so its log-softmax carries an
absolute error of a few 1e-16 (microgradnb's takes log1p of the rest of the sum, and is exact there), hence 1e-14 for
log-softmax and cross-entropy values; a gradient `g_j - softmax_j * sum(g)` subtracts numbers of the size of the
gradients sent in, hence 1e-13 times that size; and probabilities below 1e-300 (subnormal floats, a few bits each)
are compared absolutely.
"""
import math
import random

import pytest
import torch
from hypothesis import given, settings, strategies as st

from microgradnb import MLP, SGD, Adam, TrainingDiverged, Value, accuracy, cross_entropy, fit, grad, log_softmax, softmax

F = torch.nn.functional
REL = 1e-9


def close(a, b, abs_tol=0.0): return math.isclose(a, b, rel_tol=REL, abs_tol=abs_tol)


def tensor(xs): return torch.tensor(xs, dtype=torch.float64, requires_grad=True)


# Logits: anything from -1e15 to 1e15, or a cluster around a large offset (where a rounded log-sum-exp loses digits).
plain = st.floats(-1e15, 1e15, allow_nan=False)
offset = st.sampled_from([0.0, 1000.0, -1000.0, 1e6, -1e9, 1e15])
def rows(min_size=1, max_size=12):
    "A row of logits, plain or clustered"
    clustered = st.tuples(offset, st.lists(st.floats(-60, 60), min_size=min_size, max_size=max_size)).map(
        lambda t: [t[0] + d for d in t[1]])
    return st.one_of(st.lists(plain, min_size=min_size, max_size=max_size), clustered)


def weights(n): return st.lists(st.floats(-3, 3), min_size=n, max_size=n)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.data())
def test_log_softmax_matches_torch(data):
    xs = data.draw(rows())
    g = data.draw(weights(len(xs)))  # the gradients a loss would send to the outputs
    leaves = [Value(x) for x in xs]
    ys = log_softmax(leaves)
    sum((gi * y for gi, y in zip(g, ys)), Value(0.0)).backward()
    t = tensor(xs)
    ty = F.log_softmax(t, dim=0)
    (ty * torch.tensor(g, dtype=torch.float64)).sum().backward()
    scale = sum(abs(gi) for gi in g)
    for i, (y, w) in enumerate(zip(ys, ty.tolist())): assert close(y.val, w, 1e-14), (i, y.val, w)
    for i, (x, w) in enumerate(zip(leaves, t.grad.tolist())): assert close(x.grad, w, 1e-13 * scale), (i, x.grad, w)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.data())
def test_softmax_matches_torch(data):
    xs = data.draw(rows())
    g = data.draw(weights(len(xs)))
    leaves = [Value(x) for x in xs]
    ps = softmax(leaves)
    sum((gi * p for gi, p in zip(g, ps)), Value(0.0)).backward()
    t = tensor(xs)
    tp = F.softmax(t, dim=0)
    (tp * torch.tensor(g, dtype=torch.float64)).sum().backward()
    scale = sum(abs(gi) for gi in g)
    for i, (p, w) in enumerate(zip(ps, tp.tolist())): assert close(p.val, w, 1e-300), (i, p.val, w)
    for i, (x, w, p) in enumerate(zip(leaves, t.grad.tolist(), tp.tolist())):
        assert close(x.grad, w, 1e-13 * p * scale + 1e-300), (i, x.grad, w)


@st.composite
def batches(draw):
    "Rows of logits (n rows of k classes, possibly huge) and their targets"
    n, k = draw(st.integers(1, 6)), draw(st.integers(1, 8))
    logits = [draw(rows(k, k)) for _ in range(n)]
    return logits, [draw(st.integers(0, k - 1)) for _ in range(n)]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(batches())
def test_cross_entropy_matches_torch(case):
    logits, targets = case
    leaves = [[Value(x) for x in row] for row in logits]
    loss = cross_entropy(leaves, targets)
    loss.backward()
    t = tensor(logits)
    tl = F.cross_entropy(t, torch.tensor(targets))
    tl.backward()
    assert close(loss.val, tl.item(), 1e-14), (loss.val, tl.item())
    for row, want in zip(leaves, t.grad.tolist()):
        for x, w in zip(row, want): assert close(x.grad, w, 1e-13 / len(logits)), (x.grad, w)


@pytest.mark.parametrize('logits', [
    [[1000.0, 0.0, -1000.0]], [[-1000.0, -1000.0]], [[1e300, -1e300, 0.0]], [[1000.0, 970.0], [-5.0, 1e15]],
    [[7.0]], [[0.0] * 10], [[1e15, 1e15 + 1, 1e15 - 1]]])
def test_cross_entropy_extremes(logits):
    "Large magnitudes, a single class, ties: every target of every row"
    for targets in ([t] * len(logits) for t in range(len(logits[0]))):
        leaves = [[Value(x) for x in row] for row in logits]
        loss = cross_entropy(leaves, targets)
        loss.backward()
        t = tensor(logits)
        F.cross_entropy(t, torch.tensor(targets)).backward()
        want = F.cross_entropy(t.detach(), torch.tensor(targets)).item()
        assert close(loss.val, want, 1e-14)
        for row, wrow in zip(leaves, t.grad.tolist()):
            for x, w in zip(row, wrow): assert close(x.grad, w, 1e-13)


def test_log_softmax_is_exact_where_a_rounded_sum_is_not():
    "log1p of the rest of the sum: right to the last digit where log(1 + tiny) keeps three digits"
    assert log_softmax([Value(1000.0), Value(970.0)])[0].val == -math.log1p(math.exp(-30))


def test_cross_entropy_hessian_matches_torch():
    "Differentiated twice through grad(create_graph=True): the Hessian of the mean cross-entropy of two rows"
    point, targets = [0.3, -1.2, 2.0, 1.0, 0.5, -0.7], [2, 0]
    xs = [Value(x) for x in point]
    loss = cross_entropy([xs[:3], xs[3:]], targets)
    first = grad(loss, xs, create_graph=True)
    ours = [[g.val for g in grad(gi, xs)] for gi in first]
    want = torch.autograd.functional.hessian(
        lambda t: F.cross_entropy(t.view(2, 3), torch.tensor(targets)), torch.tensor(point, dtype=torch.float64)).tolist()
    for r, w in zip(ours, want):
        for a, b in zip(r, w): assert close(a, b, 1e-15)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.integers(1, 5).flatmap(lambda k: st.tuples(
    st.lists(st.lists(st.integers(-3, 3), min_size=k, max_size=k), min_size=1, max_size=8), st.just(k))), st.data())
def test_accuracy_matches_torch_argmax(case, data):
    "Small integer scores, so that ties are common: the first largest score wins, as with torch.argmax"
    scores, k = case
    targets = data.draw(st.lists(st.integers(0, k - 1), min_size=len(scores), max_size=len(scores)))
    want = (torch.tensor(scores).argmax(dim=1) == torch.tensor(targets)).double().mean().item()
    assert accuracy([[float(s) for s in row] for row in scores], targets) == want
    assert accuracy([[Value(s) for s in row] for row in scores], targets) == want


# ---- fit with minibatches ----

rng = random.Random(0)
X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(23)]
Y = [int(x0 > 0) + int(x1 > 0) for x0, x1 in X]  # three classes


def by_hand(batch_size, seed, epochs, lr, make_opt=SGD):
    "The loop `fit(batch_size=..., seed=...)` stands for, written out; returns the model and its history"
    model = MLP(2, [5, 3], seed=1)
    opt, order_rng, hist = make_opt(model.parameters(), lr=lr), random.Random(seed), dict(loss=[], lr=[], accuracy=[])
    for _ in range(epochs):
        order = list(range(len(X)))
        order_rng.shuffle(order)
        losses, preds, ys = [], [], []
        for k in range(0, len(X), batch_size):
            rows = order[k:k + batch_size]
            p = [model(X[i]) for i in rows]
            loss = cross_entropy(p, [Y[i] for i in rows])
            losses.append(loss.val * len(rows))
            preds += p
            ys += [Y[i] for i in rows]
            opt.zero_grad()
            loss.backward()
            opt.step()
        hist['loss'].append(math.fsum(losses) / len(X))
        hist['lr'].append(lr)
        hist['accuracy'].append(accuracy(preds, ys))
    return model, hist


@pytest.mark.parametrize('batch_size', [1, 4, 5, 22, 23, 100])
@pytest.mark.parametrize('make_opt', [SGD, Adam])
def test_fit_with_batches_is_the_loop_written_out(batch_size, make_opt):
    want_model, want = by_hand(batch_size, 7, 3, 0.05, make_opt)
    model = MLP(2, [5, 3], seed=1)
    got = fit(model, X, Y, cross_entropy, make_opt(model.parameters(), lr=0.05), 3, metrics=dict(accuracy=accuracy),
              progress=False, batch_size=batch_size, seed=7)
    assert got == want
    assert model.state() == want_model.state()


def test_fit_with_batches_takes_a_random_Random():
    "An int seed and random.Random(that int) give the same run; another seed another one"
    def run(seed):
        model = MLP(2, [5, 3], seed=1)
        return fit(model, X, Y, cross_entropy, SGD(model.parameters(), lr=0.1), 2, progress=False, batch_size=4, seed=seed)
    assert run(3) == run(random.Random(3))
    assert run(3) != run(4)


def test_fit_without_batches_ignores_the_seed():
    "batch_size=None is full-batch training in the rows' order: the seed changes nothing"
    def run(**kw):
        model = MLP(2, [5, 3], seed=1)
        return fit(model, X, Y, cross_entropy, SGD(model.parameters(), lr=0.1), 5, progress=False, **kw)
    assert run() == run(seed=3) == run(batch_size=None, seed=None)


def test_fit_with_batches_restores_the_last_good_step():
    "A step that makes the loss soar is undone: the model is the one before that step, bit for bit"
    model = MLP(2, [5, 3], seed=1)
    snapshots = []
    class Spy(SGD):
        def step(self):
            snapshots.append([p.val for p in self.params])
            super().step()
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X, Y, cross_entropy, Spy(model.parameters(), lr=1e5), 5, progress=False, batch_size=4, seed=0)
    assert 'in the step on batch' in str(info.value)
    assert model.state() == snapshots[-1]


def test_fit_with_batches_checks_the_last_step():
    "The last step of the last epoch is checked too, on the last batch"
    model = MLP(2, [5, 3], seed=1)
    class LastStepExplodes(SGD):
        calls = 0
        def step(self):
            LastStepExplodes.calls += 1
            super().step()
            if LastStepExplodes.calls == 6:  # 2 epochs of 3 batches of 8, 8, 7 rows
                for p in self.params: p.val = p.val * 1e6
    with pytest.raises(TrainingDiverged, match='in the step on batch 3 of 3'):
        fit(model, X, Y, cross_entropy, LastStepExplodes(model.parameters(), lr=0.1), 2, progress=False, batch_size=8, seed=0)


def test_accuracy_of_numpy_targets_is_a_float():
    "numpy ints as targets give a Python float, as ints do (a numpy float would show in a history as np.float64(...))"
    np = pytest.importorskip('numpy')
    for preds, targets in (([[0.1, 0.3], [0.5, 0.2]], [np.int64(1), np.int64(1)]), ([0.3, -0.2], [np.int64(1), np.int64(-1)])):
        got = accuracy(preds, targets)
        assert type(got) is float and got == accuracy(preds, [int(t) for t in targets])


def test_fit_with_batches_blames_a_bad_row_not_the_step():
    """A row the model cannot take raises the model's own error before any step: with minibatches, fit measures the loss
    of all the rows first (the measure of every batch's loss), so a bad row anywhere is met at once, the model untouched"""
    X_bad = [list(r) for r in X]
    X_bad[-1] = [0.5]
    model, steps = MLP(2, [5, 3], seed=1), []
    start = model.state()
    class Spy(SGD):
        def step(self):
            super().step()
            steps.append([p.val for p in self.params])
    with pytest.raises(ValueError, match='input must have length 2, got length 1'):
        fit(model, X_bad, Y, cross_entropy, Spy(model.parameters(), lr=0.1), 3, progress=False, batch_size=4, seed=0)
    assert steps == [] and model.state() == start


@pytest.mark.parametrize('batch_size, entries', [(8, 1), (None, 5)])
def test_training_diverged_carries_the_history_so_far(batch_size, entries):
    """The 5th step soars: the error holds the history fit kept, epoch 1 of batches of 8, or the 5 epochs of whole data
    (each recorded before its step, so the 5th describes the model as it is left)"""
    model = MLP(2, [5, 3], seed=1)
    class Soars(SGD):
        calls = 0
        def step(self):
            Soars.calls += 1
            super().step()
            if Soars.calls == 5:
                for p in self.params: p.val = p.val * 1e6
    with pytest.raises(TrainingDiverged) as info:
        fit(model, X, Y, cross_entropy, Soars(model.parameters(), lr=0.1), 9, progress=False, batch_size=batch_size, seed=0,
            metrics=dict(accuracy=accuracy))
    h = info.value.history
    assert set(h) == {'loss', 'lr', 'accuracy'} and len(h['loss']) == len(h['lr']) == len(h['accuracy']) == entries
    assert all(math.isfinite(v) for v in h['loss'])


# ---- decision regions of a model with a score per class ------------------------------------------------------------

def three_regions(p):
    "Class 0 left of x0 = 0, class 2 right of it below x1 = 0, class 1 right of it above: classes 0 and 2 share a border"
    c = 0 if p[0] < 0 else 2 if p[1] < 0 else 1
    return [Value(float(c == k)) for k in range(3)]


def painted_classes(ax, k):
    "The class each pixel of the axes is painted with, or -1 where its colour is none of the classes' (a point, an edge)"
    import numpy as np
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgb
    for artist in ax.collections:
        if isinstance(artist, PathCollection): artist.set_visible(False)  # the points, drawn by scatter
    if ax.get_legend() is not None: ax.get_legend().set_visible(False)
    fig = ax.figure
    fig.canvas.draw()
    img = np.asarray(fig.canvas.buffer_rgba())[:, :, :3] / 255
    light = np.array([[(1 + v) / 2 for v in to_rgb(f'C{c}')] for c in range(k)])  # each class's colour halfway to white
    dist = np.linalg.norm(img[:, :, None, :] - light[None, None], axis=-1)
    cls = np.where(dist.min(-1) < 0.04, dist.argmin(-1), -1)
    return cls, img.shape[0]


def test_decision_regions_show_no_class_that_no_neighbouring_grid_point_has():
    "A filled contour of class numbers passes through 1 between 0 and 2: a false strip of class 1 along their border"
    import numpy as np
    import matplotlib.pyplot as plt
    from microgradnb import plot_decision_boundary
    steps = 50
    ax = plot_decision_boundary(three_regions, [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0]], [0, 2, 1], steps=steps)
    try:
        (x_lo, x_hi), (y_lo, y_hi) = ax.get_xlim(), ax.get_ylim()
        g0, g1 = np.linspace(x_lo, x_hi, steps), np.linspace(y_lo, y_hi, steps)
        grid_class = np.array([[int(np.argmax([s.val for s in three_regions([a, b])])) for a in g0] for b in g1])
        cls, height = painted_classes(ax, 3)
        box = ax.get_window_extent()
        rows, cols = np.mgrid[int(height - box.y1) + 2:int(height - box.y0) - 2, int(box.x0) + 2:int(box.x1) - 2]
        data = ax.transData.inverted().transform(np.c_[cols.ravel() + 0.5, height - rows.ravel() - 0.5])
        fi = (data[:, 0] - x_lo) / (x_hi - x_lo) * (steps - 1)
        fj = (data[:, 1] - y_lo) / (y_hi - y_lo) * (steps - 1)
        near = [grid_class[np.clip(j, 0, steps - 1), np.clip(i, 0, steps - 1)]  # the classes of the four grid points around
                for i in (np.floor(fi).astype(int), np.ceil(fi).astype(int)) for j in (np.floor(fj).astype(int), np.ceil(fj).astype(int))]
        painted = cls[rows.ravel(), cols.ravel()]
        assert (painted >= 0).mean() > 0.95 and set(painted.tolist()) >= {0, 1, 2}
        false = (painted >= 0) & ~np.any([painted == n for n in near], axis=0)
        assert not false.any(), f'{false.sum()} pixels painted with a class no grid point around them has, e.g. at {data[false][:3].tolist()}'
        assert [t.get_text() for t in ax.get_legend().get_texts()] == ['class 0', 'class 1', 'class 2']
    finally: plt.close(ax.figure)


def test_decision_regions_draw_the_test_points_as_stars():
    import matplotlib.pyplot as plt
    from matplotlib.collections import PathCollection
    from microgradnb import plot_decision_boundary
    X, y = [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0]], [0, 2, 1]
    ax = plot_decision_boundary(three_regions, X, y, steps=5, X_test=[[0.5, 3.5]], y_test=[1])
    points = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [len(c.get_offsets()) for c in points] == [3, 1]
    assert ax.get_ylim()[1] > 3.5  # the grid covers the test points too
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ['class 0', 'class 1', 'class 2', 'training points', 'test points']
    plt.close(ax.figure)
    with pytest.raises(ValueError, match='^X_test and y_test must be non-empty lists of the same length$'):
        plot_decision_boundary(three_regions, X, y, X_test=[[0.5, 0.5]])
    with pytest.raises(ValueError, match=r'^y_test\[0\] must be a class index from 0 to 2, got 3$'):
        plot_decision_boundary(three_regions, X, y, steps=2, X_test=[[0.5, 0.5]], y_test=[3])
    with pytest.raises(TypeError, match=r"^X_test\[0\]\[1\] must be a real number, got str: 'a'$"):
        plot_decision_boundary(three_regions, X, y, steps=2, X_test=[[0.5, 'a']], y_test=[1])
