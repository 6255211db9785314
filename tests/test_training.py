"""Training from the user's side: an optimiser step that fails changes nothing; `fit` says when training diverges and
leaves the last good parameters; every number a user passes to the training functions is checked as `Value()` checks
its input, with a message naming the argument; the progress bar ends on the loss that is printed afterwards."""
import math
import pickle
import re
import random

import pytest

import microgradnb.train as train_module
from microgradnb import (MLP, Adam, SGD, TrainingDiverged, Value, accuracy, bce_with_logits, evaluate_model, fit,
                         hinge_loss, make_moons, moons_data, mse_loss, plot_decision_boundary, plot_history,
                         train_moons, xor_data)


# ---- a failed optimiser step changes nothing ------------------------------------------------------------------------

def state(opt):
    "Everything an optimiser step may change: the parameters' values and the optimiser's own state"
    s = dict(vals=[p.val for p in opt.params], lr=opt.lr)
    for k in ('velocity', 'm', 'v', 't'):
        if hasattr(opt, k):
            x = getattr(opt, k)
            s[k] = list(x) if isinstance(x, list) else x
    return s


def warmed_up(make_opt):
    "Five parameters and an optimiser that has taken two ordinary steps, so that its state is not all zeros"
    rng = random.Random(0)
    ps = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    opt = make_opt(ps)
    for _ in range(2):
        for p in ps: p.grad = rng.uniform(-1, 1)
        opt.step()
    for p in ps: p.grad = rng.uniform(-1, 1)
    return ps, opt


OPTIMISERS = {
    'sgd': lambda ps: SGD(ps, lr=0.1),
    'sgd_momentum': lambda ps: SGD(ps, lr=0.1, momentum=0.9),
    'adam': lambda ps: Adam(ps, lr=0.1),
}


def break_last(kind, ps, opt):
    "Make the step fail at the last parameter, after the others have been computed"
    p = ps[-1]
    if kind == 'value':        # the new value leaves the float range
        p.val, p.grad = 1.7e308, -1e308
        opt.lr = 1e300
    elif kind == 'state':      # the optimiser's own state overflows: velocity, or Adam's average of grad**2
        p.grad = 1.7e308 if isinstance(opt, SGD) else 1e200
        if isinstance(opt, SGD):
            if opt.momentum == 0: pytest.skip('plain SGD keeps no state')
            opt.velocity[-1] = 1.7e308
    elif kind == 'grad':       # a gradient that is not a number
        p.grad = math.nan


@pytest.mark.parametrize('kind', ['value', 'state', 'grad'])
@pytest.mark.parametrize('name', OPTIMISERS)
def test_failed_step_changes_nothing(name, kind):
    ps, opt = warmed_up(OPTIMISERS[name])
    break_last(kind, ps, opt)
    before = state(opt)
    with pytest.raises(OverflowError, match=r'params\[4\]'):
        opt.step()
    assert state(opt) == before


@pytest.mark.parametrize('name', OPTIMISERS)
def test_step_after_a_failed_step_is_the_step_that_would_have_been(name):
    "A failed step leaves no trace: once the bad gradient is fixed, the next step is the one an untouched optimiser takes"
    ps, opt = warmed_up(OPTIMISERS[name])
    qs, ref = warmed_up(OPTIMISERS[name])
    good = ps[-1].grad
    ps[-1].grad = math.inf
    with pytest.raises(OverflowError): opt.step()
    ps[-1].grad = good
    opt.step()
    ref.step()
    assert state(opt) == state(ref)


# ---- diverging training ------------------------------------------------------------------------------------------------

PROBLEMS = {  # a fresh model, the inputs and the targets
    'line': (lambda: MLP(1, [1], act='linear', seed=0), [[1.0], [2.0], [3.0]], [2.0, 4.0, 6.0]),
    'xor': (lambda: MLP(2, [4, 1], seed=0), *xor_data()),
}


def run(problem, lr, epochs, progress=False):
    "Train a fresh model on `problem` with SGD; return the model and what fit returned, or the TrainingDiverged it raised"
    make, xs, ys = PROBLEMS[problem]
    model = make()
    try: return model, fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=lr), epochs, progress=progress)
    except TrainingDiverged as e: return model, e


DIVERGING = [  # problem, learning rate, words of the cause
    ('line', 2.0, 'the loss rose from'),        # every step overshoots further: the 10,000-fold rise is caught
    ('xor', 1e200, 'overflows'),                # the first step throws the weights out of range: the loss overflows
    ('line', 1e308, 'SGD.step: '),              # the step itself overflows
    ('xor', 50.0, ''),
]


@pytest.mark.parametrize('problem,lr,words', DIVERGING)
def test_fit_raises_training_diverged(problem, lr, words):
    _, e = run(problem, lr, 1000)
    assert isinstance(e, TrainingDiverged) and isinstance(e, ArithmeticError)
    msg = str(e)
    assert '\n' not in msg and 'Value(val=' not in msg
    assert msg.startswith(f'training diverged at epoch {e.epoch}: ')
    assert msg.endswith(f'; lower the learning rate (lr was {lr!r})')
    assert words in e.cause and e.cause in msg
    assert 1 <= e.epoch < 1000


@pytest.mark.parametrize('problem,lr,words', DIVERGING)
def test_fit_keeps_the_last_good_parameters(problem, lr, words):
    "After TrainingDiverged at epoch k the model is the model after k-1 steps, and `loss` is its loss"
    model, e = run(problem, lr, 1000)
    good = run(problem, lr, e.epoch - 1)[0] if e.epoch > 1 else PROBLEMS[problem][0]()
    assert [p.val for p in model.parameters()] == [p.val for p in good.parameters()]
    assert e.loss == evaluate_model(good, *PROBLEMS[problem][1:], mse_loss)['loss']


@pytest.mark.parametrize('name', OPTIMISERS)
def test_fit_restores_the_optimisers_state(name):
    "After TrainingDiverged the optimiser's velocity or averages are those after the last good step, as the parameters are"
    make = {'sgd': lambda ps: SGD(ps, lr=50, momentum=0.9), 'sgd_momentum': lambda ps: SGD(ps, lr=50, momentum=0.5),
            'adam': lambda ps: Adam(ps, lr=1e6)}[name]
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    opt = make(model.parameters())
    with pytest.raises(TrainingDiverged) as e: fit(model, xs, ys, mse_loss, opt, 200, progress=False)
    good = MLP(2, [4, 1], seed=0)
    ref = make(good.parameters())
    if e.value.epoch > 1: fit(good, xs, ys, mse_loss, ref, e.value.epoch - 1, progress=False)
    assert opt.state() == ref.state()
    assert [p.val for p in model.parameters()] == [p.val for p in good.parameters()]


@pytest.mark.parametrize('bad, error, words', [
    (1j, TypeError, 'complex'), (None, TypeError, 'None'), (True, TypeError, 'bool: True'), ('1', TypeError, "str: '1'"),
    (Value(1.0), TypeError, 'Value'), (10**400, (OverflowError, ValueError), '10**400, too large for a float')],
    ids=['complex', 'none', 'bool', 'str', 'value', '1e400'])
@pytest.mark.parametrize('name', OPTIMISERS)
def test_a_gradient_that_is_not_a_finite_real_changes_nothing(name, bad, error, words):
    "The step is refused, naming the parameter and what its grad holds, and nothing changes"
    ps, opt = warmed_up(OPTIMISERS[name])
    ps[1].grad = bad
    before = state(opt)
    with pytest.raises(error) as info: opt.step()
    msg = str(info.value)
    assert msg.startswith(f'{type(opt).__name__}.step: params[1].grad ') and words in msg and '\n' not in msg, msg
    assert state(opt) == before


def test_optimiser_state_round_trips():
    ps, opt = warmed_up(OPTIMISERS['adam'])
    saved = opt.state()
    opt.step()
    assert opt.state() != saved
    opt.load_state(saved)
    assert opt.state() == saved


def test_training_diverged_pickles():
    _, e = run('line', 2.0, 1000)
    f = pickle.loads(pickle.dumps(e))
    assert (type(f), str(f), f.epoch, f.loss, f.cause) == (TrainingDiverged, str(e), e.epoch, e.loss, e.cause)


def test_moons_with_a_large_learning_rate_diverges():
    "micrograd's demo with lr 10 used to end with a loss of 2.6e9 and 50% accuracy, and no word of warning"
    with pytest.raises(TrainingDiverged, match='lower the learning rate'):
        train_moons(lr=10.0, epochs=100)


@pytest.mark.parametrize('lr, epochs', [(5e-324, 3), (1e-323, 100), (2e-323, 100)])
def test_train_moons_refuses_a_learning_rate_that_decays_to_zero_before_any_work(lr, epochs, monkeypatch):
    "lr * (1 - 0.9 k / epochs) rounds to 0.0 by the last epoch: refused up front, naming lr, not at that epoch as a bad lr"
    import microgradnb.moons as moons
    monkeypatch.setattr(moons, 'fit', lambda *a, **k: pytest.fail('train_moons started training'))
    with pytest.raises(ValueError) as info: train_moons(lr=lr, epochs=epochs)
    assert str(info.value) == (f'lr must be large enough to stay positive as it decays: {lr!r} * (1 - 0.9 * {epochs - 1}/{epochs}), '
                               'the learning rate of the last epoch, rounds to 0.0'), str(info.value)


def test_train_moons_takes_the_smallest_learning_rate_that_stays_positive():
    assert train_moons(lr=5e-323, epochs=3).history['lr'][-1] > 0


def test_a_jump_is_not_divergence():
    "The moons run's loss jumps at epoch 2, from 0.95 to 2.3: far from 10,000-fold, so training goes on"
    run = train_moons(epochs=10)
    assert max(run.history['loss']) > 2 * run.history['loss'][0]


def test_errors_of_the_problem_itself_are_not_divergence():
    "Bad data or a bad model fail at the first forward pass, before any step: that is not the learning rate's fault"
    model = MLP(2, [4, 1], seed=0)
    with pytest.raises(OverflowError) as info:
        fit(model, [[1.0, 1.0]], [1e300], mse_loss, SGD(model.parameters(), lr=0.1), 5, progress=False)
    assert not isinstance(info.value, TrainingDiverged)


# ---- numbers are checked like Value() checks its input -----------------------------------------------------------------

BAD_REALS = dict(nan=math.nan, inf=math.inf, minus_inf=-math.inf, int_1e400=10**400, int_minus_1e400=-10**400,
                 int_minus_1e5000=-10**5000, true=True, false=False, str='0.1', none=None, list=[0.1], complex=1j,
                 value=Value(0.1))
BAD_SIZES = dict(zero=0, minus_one=-1, int_minus_1e5000=-10**5000, float=2.0, nan=math.nan, inf=math.inf, true=True,
                 str='3', none=None)


def p(): return [Value(1.0)]


NUMBER_ARGS = {  # name in the message: function of the bad value
    'lr': [lambda x: SGD(p(), lr=x), lambda x: Adam(p(), lr=x), lambda x: setattr(SGD(p(), 0.1), 'lr', x),
           lambda x: train_moons(lr=x)],
    'momentum': [lambda x: SGD(p(), 0.1, momentum=x)],
    'betas[0]': [lambda x: Adam(p(), betas=(x, 0.9))],
    'betas[1]': [lambda x: Adam(p(), betas=(0.9, x))],
    'eps': [lambda x: Adam(p(), eps=x)],
    'alpha': [lambda x: train_moons(alpha=x)],
    'noise': [lambda x: make_moons(10, noise=x), lambda x: moons_data(10, noise=x)],
    'threshold': [lambda x: accuracy([0.5], [1], threshold=x)],
    'preds[1]': [lambda x: accuracy([0.5, x], [1, 1])],
    'targets[0]': [lambda x: accuracy([0.5], [x]), lambda x: mse_loss(p(), [x]), lambda x: hinge_loss(p(), [x]),
                   lambda x: bce_with_logits(p(), [x])],
    'y[0]': [lambda x: plot_decision_boundary(MLP(2, [1]), [[0.0, 0.0]], [x])],
    "history['loss'][0]": [lambda x: plot_history({'loss': [x]})],
}
SIZE_ARGS = {
    'n_samples': [lambda n: make_moons(n), lambda n: moons_data(n)],
    'epochs': [lambda n: fit(MLP(1, [1]), [[1.0]], [1.0], mse_loss, SGD(p(), 0.1), n, progress=False),
               lambda n: train_moons(epochs=n)],
    'steps': [lambda n: plot_decision_boundary(MLP(2, [1]), [[0.0, 0.0]], [1], steps=n)],
}


def _cases(table, bads):
    return [pytest.param(name, f, x, id=f'{name}-{i}-{label}')
            for name, fs in table.items() for i, f in enumerate(fs) for label, x in bads.items()
            if not (name == 'preds[1]' and label == 'value')]  # a prediction may be a Value


def _check_message(name, f, x):
    with pytest.raises((TypeError, ValueError)) as info: f(x)
    msg = str(info.value)
    assert msg.startswith(name + ' '), f'{name}: {msg!r}'
    assert 'too large to convert' not in msg and 'Value(val=' not in msg and '\n' not in msg
    assert len(msg) < 200, msg


@pytest.mark.parametrize('name,f,x', _cases(NUMBER_ARGS, BAD_REALS))
def test_bad_numbers_are_named(name, f, x): _check_message(name, f, x)


@pytest.mark.parametrize('name,f,x', _cases(SIZE_ARGS, BAD_SIZES))
def test_bad_sizes_are_named(name, f, x): _check_message(name, f, x)


@pytest.mark.parametrize('batch_size', [None, 2])
@pytest.mark.parametrize('bad, error, words', [
    (10**400, ValueError, 'lr must be positive and finite, got an int of about 10**400'), (math.nan, ValueError, 'got nan'),
    ('fast', TypeError, "lr must be a real number"), (0, ValueError, 'got 0'), (-0.1, ValueError, 'got -0.1')],
    ids=['1e400', 'nan', 'str', 'zero', 'negative'])
def test_bad_learning_rate_from_a_schedule(bad, error, words, batch_size):
    "What a schedule returns is checked when fit calls it: the error names the schedule, its epoch and what it returned"
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    schedule = lambda k: 0.1 if k < 2 else bad  # noqa: E731
    with pytest.raises(error) as info:
        fit(model, xs, ys, mse_loss, SGD(model.parameters(), 0.1), 5, schedule=schedule, progress=False, batch_size=batch_size)
    assert str(info.value).startswith('schedule(2) returned a bad learning rate for epoch 3: '), str(info.value)
    assert words in str(info.value) and ('fast' in str(info.value) or error is ValueError)


class Reached(Exception): "Raised by a model when fit first calls it: fit has started work"


class LoudModel(MLP):
    "An MLP that raises Reached when it is called: fit has started work"
    def __call__(self, x): raise Reached


def test_fit_refuses_an_optimiser_of_other_parameters_before_any_work():
    "SGD([Value(1.0)]) holds none of the model's parameters: nothing would train, and the loss would stay as it is"
    xs, ys = xor_data()
    model = LoudModel(2, [4, 1], seed=0)
    for opt in (SGD([Value(1.0)], lr=0.1), Adam(MLP(2, [4, 1], seed=0).parameters())):
        for batch_size in (None, 2):
            with pytest.raises(ValueError, match=r'^opt holds none of the model.s parameters: .*pass model\.parameters\(\)'):
                fit(model, xs, ys, mse_loss, opt, 3, progress=False, batch_size=batch_size)
    with pytest.raises(Reached): fit(model, xs, ys, mse_loss, SGD(model.parameters(), 0.1), 3, progress=False)


def test_fit_trains_a_model_with_some_parameters_frozen():
    "An optimiser that holds some of the model's parameters trains those, and leaves the others as they are"
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    last = model.layers[-1].parameters()
    frozen = [p.val for p in model.parameters() if p not in last]
    hist = fit(model, xs, ys, mse_loss, SGD(last, 0.4), 20, progress=False)
    assert hist['loss'][-1] < hist['loss'][0]
    assert [p.val for p in model.parameters() if p not in last] == frozen


@pytest.mark.parametrize('bad, error, words', [('a', TypeError, "got str: 'a'"), (None, TypeError, 'got NoneType'),
                                                ([Value(1.0)], TypeError, 'got list'), (True, TypeError, 'got bool: True')])
def test_a_penalty_that_returns_no_number_is_named(bad, error, words):
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    for call in (lambda: fit(model, xs, ys, mse_loss, SGD(model.parameters(), 0.1), 3, penalty=lambda m: bad, progress=False),
                 lambda: evaluate_model(model, xs, ys, mse_loss, penalty=lambda m: bad)):
        with pytest.raises(error) as info: call()
        assert str(info.value).startswith('penalty must return a Value or a number, ') and words in str(info.value), str(info.value)


def test_a_penalty_that_returns_a_number_is_added():
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    assert evaluate_model(model, xs, ys, mse_loss, penalty=lambda m: 0.5)['loss'] == evaluate_model(model, xs, ys, mse_loss)['loss'] + 0.5


@pytest.mark.parametrize('batch_size', [None, 2])
@pytest.mark.parametrize('bad, error, words', [('x', TypeError, "str"), (math.nan, ValueError, 'nan'), (None, TypeError, 'NoneType'),
                                                (Value(0.5), TypeError, 'Value')],
                         ids=['str', 'nan', 'none', 'value'])
def test_metrics_are_checked_when_they_are_computed(bad, error, words, batch_size):
    "A metric that gives no finite number is refused at the epoch it gives it, naming the metric: not later by plot_history"
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    calls = []
    def metric(preds, ys):
        calls.append(1)
        return 0.5 if len(calls) < 3 else bad
    with pytest.raises(error) as info:
        fit(model, xs, ys, mse_loss, SGD(model.parameters(), 0.1), 5, metrics=dict(good=accuracy, odd=metric), progress=False,
            batch_size=batch_size)
    msg = str(info.value)
    assert msg.startswith("metrics['odd'](preds, ys) at epoch 3 must be a ") and words in msg.split(', got ')[1], msg
    with pytest.raises(error) as info: evaluate_model(model, xs, ys, mse_loss, metrics=dict(odd=lambda p, y: bad))
    msg = str(info.value)
    assert msg.startswith("metrics['odd'](preds, ys) must be a ") and words in msg.split(', got ')[1], msg


def test_too_many_points_and_grid_steps_are_refused_at_once():
    with pytest.raises(ValueError, match='n_samples must be at most'): make_moons(10**400)
    with pytest.raises(ValueError, match='steps must be at most'): plot_decision_boundary(MLP(2, [1]), [[0.0, 0.0]], [1], steps=10**6)


def test_good_numbers_still_work():
    "Numbers of every real type are accepted, as Value() accepts them; ints and floats give the same results"
    from fractions import Fraction
    ps = p()
    assert SGD(ps, lr=Fraction(1, 10)).lr == 0.1
    assert Adam(ps, betas=(0, Fraction(1, 2)), eps=1).betas == (0.0, 0.5)
    assert accuracy([Value(0.3), -2, 0.1], [1, -1, -1]) == 2 / 3
    assert make_moons(4, noise=0, seed=0) == make_moons(4, noise=0.0, seed=0)


# ---- the progress bar ----------------------------------------------------------------------------------------------------

class RecordingBar:
    "Stands in for fastprogress: iterates like it, and records the comment shown at each position"
    def __init__(self, steps): self.steps, self.comment, self.shown = steps, '', []

    def __iter__(self):
        self.shown.append((0, self.comment))
        for i in range(self.steps):
            yield i
            self.shown.append((i + 1, self.comment))


def record_bars(monkeypatch):
    "The progress bars `fit` makes from now on, each a RecordingBar, in a list that fills as they are made"
    bars = []
    monkeypatch.setattr(train_module, '_progress', lambda steps, *a, **k: bars.append(RecordingBar(steps)) or bars[-1])
    return bars


def test_the_bar_ends_on_the_final_loss(monkeypatch):
    "At position k the bar shows the loss after k steps: it starts at the first loss and ends at the final one"
    bars = record_bars(monkeypatch)
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    hist = fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=0.4), 20, progress=True)
    final = evaluate_model(model, xs, ys, mse_loss)['loss']
    shown = bars[0].shown
    assert [k for k, _ in shown] == list(range(21))
    assert [c for _, c in shown] == [f'loss {x:.4g}' for x in hist['loss'] + [final]]


def test_the_console_bar_prints_no_stray_glyph(capsys):
    "fastprogress's console bar prints a test glyph when it is made; nothing but the bar reaches the output"
    pytest.importorskip('fastprogress')
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=0.4), 10, progress=True)
    out = capsys.readouterr().out
    final = evaluate_model(model, xs, ys, mse_loss)['loss']
    assert out.startswith('\r |'), repr(out[:20])
    assert out.rstrip().endswith(f'loss {final:.4g}]'), repr(out[-60:])


def test_a_diverging_bar_ends_its_line(capsys):
    "When training stops on divergence, the bar's line is ended, so the error that follows starts on a line of its own"
    pytest.importorskip('fastprogress')
    _, e = run('line', 2.0, 1000, progress=True)
    assert isinstance(e, TrainingDiverged)
    assert capsys.readouterr().out.endswith('\n')


@pytest.mark.parametrize('lr', [10.0, 100.0, 1e300])
def test_train_xor_stops_when_it_diverges(lr):
    "train_xor stops as fit does: TrainingDiverged, never a bare OverflowError or a run that returns an exploded loss"
    from microgradnb import train_xor
    with pytest.raises(TrainingDiverged) as e: train_xor(lr=lr, epochs=50)
    assert 'lower the learning rate' in str(e.value) and e.value.loss < 1e4 * 2.71


# ---- an upper limit on epochs ----------------------------------------------------------------------------------------

def untouchable(x): raise Reached


@pytest.mark.parametrize('batch_size', [None, 2])
@pytest.mark.parametrize('progress', [True, False])
def test_fit_refuses_more_epochs_than_anyone_trains_before_any_work(progress, batch_size):
    "10**400 epochs: 'Python int too large to convert to C ssize_t' with the bar, training forever without it"
    xs, ys = xor_data()
    with pytest.raises(ValueError) as info:
        fit(untouchable, xs, ys, mse_loss, SGD(p(), 0.1), 10**400, progress=progress, batch_size=batch_size)
    assert str(info.value) == 'epochs must be at most 100000000, got an int of about 10**400'
    with pytest.raises(ValueError, match='^epochs must be at most 100000000, got 100000001$'):
        fit(untouchable, xs, ys, mse_loss, SGD(p(), 0.1), 10**8 + 1, progress=progress, batch_size=batch_size)
    with pytest.raises(Reached): fit(untouchable, xs, ys, mse_loss, SGD(p(), 0.1), 10**8, progress=progress, batch_size=batch_size)


# ---- pictures that say what they show ----------------------------------------------------------------------------------

def test_a_one_epoch_history_is_drawn():
    "A history of one epoch is one point per panel: a line through it draws nothing, so it needs a marker"
    import numpy as np
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgb
    fig = plot_history({'loss': [0.5], 'accuracy': [0.75], 'lr': [0.1]})
    try:
        fig.canvas.draw()
        img = np.asarray(fig.canvas.buffer_rgba())[:, :, :3] / 255
        height = img.shape[0]
        for ax in fig.axes:
            box = ax.get_window_extent()
            inside = img[int(height - box.y1) + 2:int(height - box.y0) - 2, int(box.x0) + 2:int(box.x1) - 2]
            drawn = (np.linalg.norm(inside - np.array(to_rgb('C0')), axis=-1) < 0.1).sum()
            assert drawn > 10, f'{ax.get_ylabel()}: {drawn} pixels of the line colour'
            assert [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]] == [0]  # epoch 0, not -0.04 ... 0.04
    finally: plt.close(fig)


def test_the_batch_bar_says_its_loss_is_measured_during_the_epoch(monkeypatch):
    "With batches the bar's loss is the mean of the epoch's batch losses, each before its step: not the trained model's"
    bars = record_bars(monkeypatch)
    xs, ys = xor_data()
    model = MLP(2, [4, 1], seed=0)
    hist = fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=0.4), 3, progress=True, batch_size=3, seed=0)
    comments = [c for _, c in bars[0].shown[1:]]
    assert len(comments) == 6 and all(re.fullmatch(r'epoch [123]/3  loss during epoch \S+', c) for c in comments), comments
    assert comments[-1] == f"epoch 3/3  loss during epoch {hist['loss'][-1]:.4g}"
    assert f"{evaluate_model(model, xs, ys, mse_loss)['loss']:.4g}" not in comments[-1]


def test_a_history_with_lists_of_other_lengths_is_refused():
    "An empty metric list used to draw an empty panel, with matplotlib's warning about identical xlims"
    import warnings
    for bad, words in [({'loss': [0.5, 0.4], 'accuracy': []}, "history['accuracy'] has 0 entries and history['loss'] has 2"),
                       ({'loss': [0.5], 'accuracy': [1.0, 1.0]}, "history['accuracy'] has 2 entries and history['loss'] has 1"),
                       ({'loss': [0.5], 'lr': []}, "history['lr'] has 0 entries")]:
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            with pytest.raises(ValueError) as info: plot_history(bad)
        assert str(info.value).startswith(words) and 'one entry per epoch' in str(info.value), str(info.value)


def test_the_xor_graph_says_which_input_it_shows_and_what_its_gradients_are():
    from microgradnb import train_xor, xor_graph
    drawing = xor_graph(train_xor(epochs=3).model)
    assert 'label="the network on input (x1, x2) = (1, 0): each grad is the gradient of its output"' in drawing.source
    svg = drawing.pipe(format='svg').decode()
    assert '>the network on input (x1, x2) = (1, 0): each grad is the gradient of its output</text>' in svg


def test_minibatch_divergence_is_measured_against_all_the_rows():
    "A batch's loss is held to the loss of all the rows at the start, not to another batch's: a tiny step never 'diverges'"
    from microgradnb import TrainingDiverged
    xs, ys = [[0.0], [1.0], [2.0], [3.0]], [0.001, 5.0, 10.0, 15.0]
    for seed in range(30):  # the first batch's loss can be tiny next to the others': that is no divergence
        model = MLP(1, [1], act='linear', seed=0)
        fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=1e-9), 3, progress=False, batch_size=1, seed=seed)
    model = MLP(1, [1], act='linear', seed=0)
    with pytest.raises(TrainingDiverged, match='the loss of the next batch rose to .*, more than 10000 times the first loss on all the rows'):
        fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=10.0), 50, progress=False, batch_size=1, seed=0)


def test_a_console_bar_ends_its_line_when_training_ends(monkeypatch, capsys):
    "In a terminal, what is printed after fit starts on a line of its own"
    from fastprogress.fastprogress import ConsoleProgressBar
    import sys
    monkeypatch.setattr(sys.modules['microgradnb.train'], '_progress', lambda steps: ConsoleProgressBar(range(steps)))
    xs, ys = xor_data()
    model = MLP(2, [2, 1], seed=0)
    fit(model, xs, ys, mse_loss, SGD(model.parameters(), lr=0.1), 5)
    print('AFTER')
    assert capsys.readouterr().out.endswith(']\nAFTER\n')
