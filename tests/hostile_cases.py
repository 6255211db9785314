"""Hostile inputs to every public function, as one table of rows: wrong types, nan, inf, huge and tiny numbers, empty
lists, inputs of the wrong length, non-positive sizes, things that are not Values. Each must fail at once with an
exception of a fitting type whose message names what was wrong.

Each row names the public name it exercises (as in `microgradnb/_modidx.py`), what the caller did, the call, the
exception type and words its message must contain. A row with a `fix` is also shown, in the section `topic`, by the
docs page *Errors you may meet* (`nbs/14_errors.ipynb`); its `did` is the code itself, which is what runs, so the page
shows exactly what the tests run. `tests/test_hostile.py` runs every row.
"""
import contextlib
import io
import math
from dataclasses import dataclass
from typing import Callable

import microgradnb
from microgradnb import (MLP, Layer, Module, Neuron, Value, draw, gradcheck, numerical_grad, squared_error,
                         topological_order, trace, train_xor, xor_data, xor_graph)
from microgradnb import linear, vsum

NAN, INF = math.nan, math.inf


class CLIError(Exception):
    "A command line's failure: it printed this to stderr and exited with an error status"


def cli(fn, *args, **kwargs):
    "Call a command-line function; raise CLIError with what it printed to stderr if it failed"
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try: status = fn(*args, **kwargs)
        except SystemExit as e: status = e.code
    if status: raise CLIError(err.getvalue())
    return status


def scope():
    "A fresh namespace to run a row's code in: microgradnb's public names and `math`"
    return {'math': math, **{k: v for k, v in vars(microgradnb).items() if not k.startswith('_')}}


@dataclass
class Row:
    name: str               # the public name, as in _modidx without 'microgradnb.': 'nn.Neuron', 'engine.Value.log'
    did: str                # what the caller did; when `call` is None, the code itself
    call: Callable | None   # a function of no arguments that does it; None: run `did` as code
    error: type             # the exception it must raise
    contains: str           # words the message must contain
    fix: str = ''           # how to fix it, one line: the errors page shows the rows that have one
    topic: str = ''         # the section of the errors page that shows the row
    xfail: str = ''         # why it does not yet fail clearly (the test then must fail: strict xfail)

    def __post_init__(self):
        if self.fix and (self.call is not None or not self.topic):
            raise ValueError(f'{self.name}: {self.did}: a row with a fix is shown as code: give it a topic and no call')

    def run(self):
        "Do what the row says: its call, or its code"
        if self.call is not None: return self.call()
        exec(compile(self.did, '<row>', 'exec'), scope())

    def check(self):
        "Run the row and return the exception it raised, after checking its type and message"
        try: self.run()
        except self.error as e:
            assert self.contains in str(e), f'{self.name}: {self.did}: message {str(e)!r} lacks {self.contains!r}'
            return e
        raise AssertionError(f'{self.name}: {self.did}: raised no {self.error.__name__}')


def shown(topic, name, code, error, contains, fix):
    "A row the errors page shows in section `topic`: `code` is what the caller did and what runs"
    return Row(name, code, None, error, contains, fix, topic)


def net(nin=2, nouts=(3, 1)): return MLP(nin, list(nouts), seed=0)


def ones_neuron(nin):
    "A linear Neuron whose weights are all 1.0"
    n = Neuron(nin, act='linear')
    for w in n.w: w.val = 1.0
    return n


class NotValues(Module):
    "A module whose parameters are plain floats: zero_grad has nothing to zero"
    def parameters(self): return [1.0, 2.0]


ROWS = [
    # ---- engine: Value and its operations ----
    shown('numbers', 'engine.Value', 'Value("1.5")', TypeError, 'got str',
          'Pass a number: convert text with `float(...)` first.'),
    shown('numbers', 'engine.Value', 'Value(None)', TypeError, 'got NoneType',
          'Find the function that returned `None` where you expected a number.'),
    shown('numbers', 'engine.Value', 'Value([1.0])', TypeError, 'got list',
          'Make one Value per number: `[Value(x) for x in xs]`.'),
    Row('engine.Value', 'Value(1+2j): a complex number', lambda: Value(1 + 2j), TypeError, 'got complex'),
    Row('engine.Value', 'Value(Value(1.0)): a Value in a Value', lambda: Value(Value(1.0)), TypeError, 'got Value'),
    shown('numbers', 'engine.Value', 'Value(math.nan)', ValueError, 'finite number, got nan',
          'Find where the `nan` came from (often a division or a log in your data preparation) and remove it there.'),
    Row('engine.Value', 'Value(inf)', lambda: Value(INF), ValueError, 'finite number, got inf'),
    Row('engine.Value', 'Value(-inf)', lambda: Value(-INF), ValueError, 'finite number, got -inf'),
    Row('engine.Value', 'Value(10**400): an int too large for a float', lambda: Value(10**400), OverflowError, 'Value'),
    shown('numbers', 'engine.Value', 'v = Value(1.0); v.data = "abc"', TypeError, 'got str',
          'Assign a number: `data` is checked as `Value(...)` checks its argument.'),
    shown('numbers', 'engine.Value', 'v = Value(1.0); v.data = math.nan', ValueError, 'finite',
          'Assign a finite number; the Value keeps its old one.'),
    shown('numbers', 'engine.Value', 'Value(2.0) + "a"', TypeError, "'Value' and 'str'",
          'Only Values and real numbers mix with Values: convert text with `float(...)`.'),
    shown('numbers', 'engine.Value', 'None * Value(2.0)', TypeError, "'NoneType' and 'Value'",
          'A name you meant to hold a number holds `None`: find where it was set.'),
    shown('domain', 'engine.Value', 'Value(1e308) * 10', OverflowError, '* of (1e+308, 10.0) overflows',
          'Rescale your inputs: no float is larger than about 1.8e308.'),
    Row('engine.Value', 'Value(1e308) + 1e308: overflow', lambda: Value(1e308) + 1e308, OverflowError, '+ of'),
    shown('domain', 'engine.Value', 'Value(1.0) / 0', ZeroDivisionError, 'division by zero: Value(val=1.0',
          'Keep the denominator away from 0.'),
    Row('engine.Value', '1 / Value(0.0)', lambda: 1 / Value(0.0), ZeroDivisionError, 'division by zero'),
    Row('engine.Value', 'Value(1e300) / 1e-300: overflow', lambda: Value(1e300) / 1e-300, OverflowError, '/ of'),
    shown('domain', 'engine.Value', 'Value(-8.0) ** (1/3)', ValueError, 'negative base needs an integer exponent',
          'Use an integer exponent, or a positive base.'),
    shown('domain', 'engine.Value', 'Value(0.0) ** -1', ZeroDivisionError, 'zero cannot be raised to a negative power',
          'Keep the base away from 0.'),
    Row('engine.Value', 'Value(10.0) ** 400', lambda: Value(10.0) ** 400, OverflowError, '10.0 ** 400.0 overflows'),
    Row('engine.Value', '(-2) ** Value(0.5)', lambda: (-2) ** Value(0.5), ValueError, 'not a real number'),
    Row('engine.Value', 'Value(2.0) ** "a"', lambda: Value(2.0) ** 'a', TypeError, "'Value' and 'str'"),
    shown('domain', 'engine.Value.exp', 'Value(710.0).exp()', OverflowError, 'exp(710.0) overflows',
          'Keep exponents moderate, or use `sigmoid`, which never overflows.'),
    Row('engine.Value.exp', 'Value(1.0).exp(2): an argument', lambda: Value(1.0).exp(2), TypeError, 'exp() takes 1 positional argument'),
    shown('domain', 'engine.Value.log', 'Value(0.0).log()', ValueError, 'log is defined only for positive numbers, got log(0.0)',
          'Make the argument positive, for example `(p + 1e-9).log()` for a probability that can reach 0.'),
    Row('engine.Value.log', 'Value(-1e-300).log()', lambda: Value(-1e-300).log(), ValueError, 'got log(-1e-300)'),
    Row('engine.Value.relu', 'Value(1.0).relu(0): an argument', lambda: Value(1.0).relu(0), TypeError, 'relu() takes 1 positional argument'),
    Row('engine.Value.tanh', 'Value(1.0).tanh("x"): an argument', lambda: Value(1.0).tanh('x'), TypeError, 'tanh() takes 1 positional argument'),
    Row('engine.Value.sigmoid', 'Value(1.0).sigmoid(1)', lambda: Value(1.0).sigmoid(1), TypeError, 'sigmoid() takes 1 positional argument'),
    *([Row('losses.Value.softplus', 'Value(1.0).softplus(1): an argument', lambda: Value(1.0).softplus(1), TypeError,
            'softplus() takes 1 positional argument')] if hasattr(Value, 'softplus') else []),
    Row('nn.vsum', 'vsum(3): not a list', lambda: vsum(3), TypeError, 'values must be a list or other iterable'),
    Row('nn.vsum', 'vsum("abc"): a string', lambda: vsum('abc'), TypeError, 'got str'),
    Row('nn.vsum', 'vsum([Value(1), "a"])', lambda: vsum([Value(1.0), 'a']), TypeError, 'values[1] must be a Value or a number, got str'),
    Row('nn.vsum', 'vsum([Value(1), nan])', lambda: vsum([Value(1.0), NAN]), ValueError, 'vsum needs finite numbers, got nan'),
    Row('nn.vsum', 'vsum of two 1e308: overflow', lambda: vsum([Value(1e308), Value(1e308)]), OverflowError, 'vsum overflows'),
    Row('nn.linear', 'linear with 1 weight and 2 inputs', lambda: linear([Value(1.0)], [1.0, 2.0]), ValueError,
        'as many weights as inputs, got 1 weights and 2 inputs'),
    Row('nn.linear', 'linear with a float weight', lambda: linear([1.0], [1.0]), TypeError, 'ws[0] must be a Value'),
    Row('nn.linear', 'linear with an input "a"', lambda: linear([Value(1.0)], ['a']), TypeError, 'xs[0] must be a Value or a number'),
    Row('nn.linear', 'linear with an input inf', lambda: linear([Value(1.0)], [INF]), ValueError, 'finite numbers, got inf'),
    Row('nn.linear', 'linear with bias "x"', lambda: linear([Value(1.0)], [1.0], b='x'), TypeError, 'b must be a Value, a number or None'),
    Row('nn.linear', 'linear(Value, Value): not lists', lambda: linear(Value(1.0), Value(1.0)), TypeError, 'ws must be a list'),
    Row('nn.linear', 'linear overflowing', lambda: linear([Value(1e308)], [10.0]), OverflowError, 'linear overflows'),

    # ---- backward ----
    Row('backward.topological_order', 'topological_order(2.0): not a Value', lambda: topological_order(2.0), TypeError,
        'topological_order needs a Value, got float'),
    Row('backward.topological_order', 'topological_order(None)', lambda: topological_order(None), TypeError, 'got NoneType'),
    Row('backward.topological_order', 'topological_order([v]): a list of Values', lambda: topological_order([Value(1.0)]),
        TypeError, 'got list'),
    shown('domain', 'backward.Value.backward', '(Value(0.0) ** 0.5).backward()', ZeroDivisionError,
          'the gradient of x ** 0.5 is infinite at x = 0',
          'The value exists but its slope does not: shift the base, as in `(x + 1e-12) ** 0.5`.'),
    shown('domain', 'backward.Value.backward', '(Value(-2.0) ** Value(3.0)).backward()', ValueError,
          'needs ln(a), undefined for a = -2.0', 'Use a plain number as the exponent, or a positive base.'),
    shown('domain', 'backward.Value.backward', '(Value(1e-300) * 1e300 * 1e300).backward()', OverflowError,
          'gradient at a leaf node overflowed', 'Rescale the expression: a gradient beyond about 1.8e308 has no float either.'),
    Row('backward.Value.backward', 'backward(1.0): an argument (no seed gradient)', lambda: Value(1.0).backward(1.0), TypeError,
        'backward() takes 1 positional argument'),

    # ---- gradcheck ----
    Row('gradcheck.numerical_grad', 'numerical_grad(42, [1.0]): not a function', lambda: numerical_grad(42, [1.0]), TypeError, 'f must be a function'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, []): no inputs', lambda: numerical_grad(lambda x: x, []), ValueError, 'inputs is empty'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, 1.0): not a list', lambda: numerical_grad(lambda x: x, 1.0), TypeError, 'list or tuple'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [nan])', lambda: numerical_grad(lambda x: x, [NAN]), ValueError, 'input 0 must be finite'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [inf])', lambda: numerical_grad(lambda x: x, [INF]), ValueError, 'input 0 must be finite'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [Value(1)])', lambda: numerical_grad(lambda x: x, [Value(1.0)]), TypeError,
        'input 0 must be a plain number, not a Value'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [1.0, "2"])', lambda: numerical_grad(lambda x, y: x, [1.0, '2']), TypeError,
        'input 1 must be a real number, got str'),
    shown('gradcheck', 'gradcheck.numerical_grad', 'numerical_grad(lambda x: x * x, [1.0], h=0)', ValueError, 'h must be positive',
          'Use a small positive step, such as the default.'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [1.0], h=1e-400 (0.0))', lambda: numerical_grad(lambda x: x, [1.0], h=1e-400), ValueError, 'h must be positive'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [1.0], h="a")', lambda: numerical_grad(lambda x: x, [1.0], h='a'), TypeError, 'h must be a real number'),
    Row('gradcheck.numerical_grad', 'numerical_grad of f returning a float', lambda: numerical_grad(lambda x: x.val, [1.0]), TypeError,
        'f must return a Value, got float'),
    Row('gradcheck.numerical_grad', 'numerical_grad at 1e308: the step overflows', lambda: numerical_grad(lambda x: x * x, [1e308]),
        OverflowError, 'overflows'),
    Row('gradcheck.gradcheck', 'gradcheck(f, [0.0]) for log: outside the domain', lambda: gradcheck(lambda x: x.log(), [0.0]), ValueError,
        'log is defined only for positive numbers'),
    Row('gradcheck.gradcheck', 'gradcheck(f, [1e-320]) for log: a gradient beyond a float', lambda: gradcheck(lambda x: x.log(), [1e-320]),
        OverflowError, 'overflowed'),
    Row('gradcheck.gradcheck', 'gradcheck(f, [1.0], rtol=-1)', lambda: gradcheck(lambda x: x, [1.0], rtol=-1), ValueError, 'rtol and atol must be >= 0'),
    Row('gradcheck.gradcheck', 'gradcheck(f, [1.0], rtol=nan)', lambda: gradcheck(lambda x: x, [1.0], rtol=NAN), ValueError, 'rtol must be finite'),
    shown('gradcheck', 'gradcheck.gradcheck', 'gradcheck(lambda x: x * x, [Value(1.0)])', TypeError,
          'input 0 must be a plain number, not a Value', '`gradcheck` makes its own leaves: give it numbers.'),
    shown('gradcheck', 'gradcheck.gradcheck', 'gradcheck(lambda x: x * x, [])', ValueError, 'inputs is empty',
          'Give one number per argument of `f`.'),
    Row('gradcheck.gradcheck', 'gradcheck(Value(1.0), [1.0]): a Value, not a function', lambda: gradcheck(Value(1.0), [1.0]), TypeError,
        'f must be a function'),
    Row('gradcheck.gradcheck', 'gradcheck(f, [None])', lambda: gradcheck(lambda x: x, [None]), TypeError, 'input 0 must be a real number, got NoneType'),
    shown('gradcheck', 'gradcheck.gradcheck', 'gradcheck(lambda x: x.relu(), [0.0])', AssertionError,
          'gradient of input 0 (x = 0.0) is wrong',
          '`relu` has a kink at 0, where its two slopes differ: check at a point away from it.'),

    # ---- viz ----
    shown('graphs', 'viz.trace', 'trace(2.0)', TypeError, 'trace needs a Value, got float',
          'Pass the Value itself, not its number `.val`.'),
    Row('viz.trace', 'trace(None)', lambda: trace(None), TypeError, 'got NoneType'),
    shown('graphs', 'viz.trace', 'trace([Value(1.0)])', TypeError, 'got list',
          'Pass the output Value itself, not a list: its graph holds every Value it was computed from.'),
    Row('viz.draw', 'draw(2.0)', lambda: draw(2.0), TypeError, 'needs a Value, got float'),
    Row('viz.draw', 'draw("y")', lambda: draw('y'), TypeError, 'got str'),
    Row('viz.draw', 'draw(v, format="jpgg")', lambda: draw(Value(1.0), format='jpgg'), ValueError, "format must be one of graphviz's output formats"),
    Row('viz.draw', 'draw(v, format=3)', lambda: draw(Value(1.0), format=3), ValueError, 'got 3'),
    shown('graphs', 'viz.draw', 'draw(Value(1.0), rankdir="lr")', ValueError, "rankdir must be 'LR', 'RL', 'TB' or 'BT', got 'lr'",
          'Use one of the four directions, in capitals.'),
    Row('viz.draw', 'draw(v, labels=[v])', lambda: draw(Value(1.0), labels=[Value(1.0)]), TypeError, 'labels must be a dict'),
    Row('viz.draw', 'draw(v, labels={1: v})', lambda: (lambda v: draw(v, labels={1: v}))(Value(1.0)), TypeError, 'labels keys must be strings, got int'),
    shown('graphs', 'viz.draw', 'draw(Value(1.0), labels={"x": 3.0})', TypeError, "labels['x'] must be a Value, got float",
          'Labels name Values of the graph being drawn.'),
    Row('viz.draw', 'draw(v, labels={"x": a Value not in the graph})', lambda: draw(Value(1.0), labels={'x': Value(2.0)}), ValueError,
        "labels['x'] is not a node of the graph"),

    # ---- nn ----
    shown('networks', 'nn.Neuron', 'Neuron(0)', ValueError, 'nin must be positive, got 0',
          'A neuron needs at least one input.'),
    Row('nn.Neuron', 'Neuron(-3)', lambda: Neuron(-3), ValueError, 'nin must be positive, got -3'),
    Row('nn.Neuron', 'Neuron(2.0)', lambda: Neuron(2.0), TypeError, 'nin must be an int, got float'),
    Row('nn.Neuron', 'Neuron(True)', lambda: Neuron(True), TypeError, 'nin must be an int, got bool'),
    shown('networks', 'nn.Neuron', 'Neuron(2, act="gelu")', ValueError, "act must be one of 'tanh', 'relu'",
          'Pick one of the four activations.'),
    Row('nn.Neuron', 'Neuron(2, act=Value.tanh): a function', lambda: Neuron(2, act=Value.tanh), ValueError, 'act must be one of'),
    Row('nn.Neuron', 'Neuron(2, seed=1.5)', lambda: Neuron(2, seed=1.5), TypeError, 'seed must be an int, a random.Random or None, got float'),
    Row('nn.Neuron', 'Neuron(2)([1.0]): too short', lambda: Neuron(2, seed=0)([1.0]), ValueError, 'input must have length 2, got length 1'),
    Row('nn.Neuron', 'Neuron(2)([]): empty', lambda: Neuron(2, seed=0)([]), ValueError, 'got length 0'),
    Row('nn.Neuron', 'Neuron(2)(1.0): not a list', lambda: Neuron(2, seed=0)(1.0), TypeError, 'input must be a list or tuple of 2 numbers'),
    Row('nn.Neuron', 'Neuron(2)([1.0, "a"])', lambda: Neuron(2, seed=0)([1.0, 'a']), TypeError, 'input element 1 must be a number or a Value, got str'),
    Row('nn.Neuron', 'Neuron(2)([1.0, nan])', lambda: Neuron(2, seed=0)([1.0, NAN]), ValueError, 'finite numbers, got nan'),
    Row('nn.Neuron', 'Neuron(2)([inf, 1.0])', lambda: Neuron(2, seed=0)([INF, 1.0]), ValueError, 'got inf'),
    Row('nn.Neuron', 'Neuron(2)([1e308, 1e308]): a sum past the float range',
        lambda: ones_neuron(2)([1e308, 1e308]), OverflowError, 'overflows'),
    Row('nn.Neuron.parameters', 'Neuron(2).parameters(1): an argument', lambda: Neuron(2).parameters(1), TypeError, 'takes 1 positional argument'),
    Row('nn.Layer', 'Layer(2, 0)', lambda: Layer(2, 0), ValueError, 'nout must be positive, got 0'),
    Row('nn.Layer', 'Layer(0, 2)', lambda: Layer(0, 2), ValueError, 'nin must be positive, got 0'),
    Row('nn.Layer', 'Layer(2, "3")', lambda: Layer(2, '3'), TypeError, 'nout must be an int, got str'),
    Row('nn.Layer', 'Layer(2, 3)([1.0, 2.0, 3.0]): too long', lambda: Layer(2, 3, seed=0)([1.0, 2.0, 3.0]), ValueError, 'input must have length 2, got length 3'),
    Row('nn.Layer', 'Layer(2, 3)(None)', lambda: Layer(2, 3, seed=0)(None), TypeError, 'got NoneType'),
    Row('nn.MLP', 'MLP(2, [])', lambda: MLP(2, []), TypeError, 'nouts must be a non-empty list of layer sizes'),
    shown('networks', 'nn.MLP', 'MLP(2, 3)', TypeError, 'got int',
          'The sizes come as a list, even for one layer: `MLP(2, [3])`.'),
    shown('networks', 'nn.MLP', 'MLP(2, [4, 0])', ValueError, 'nouts[1] must be positive, got 0',
          'Every layer needs at least one neuron.'),
    Row('nn.MLP', 'MLP(2, [4, -1])', lambda: MLP(2, [4, -1]), ValueError, 'nouts[1] must be positive, got -1'),
    Row('nn.MLP', 'MLP(0, [4])', lambda: MLP(0, [4]), ValueError, 'nin must be positive, got 0'),
    shown('networks', 'nn.MLP', 'MLP(2, [4.0, 1])', TypeError, 'nouts[0] must be an int, got float',
          'Sizes are whole numbers.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, 2.0, 3.0])', ValueError, 'input must have length 2, got length 3',
          'Give one number per input of the first layer.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])(1.0)', TypeError, 'input must be a list or tuple of 2 numbers',
          'Pass the inputs as a list, one number per input: `model([x1, x2])`.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, "a"])', TypeError, 'input element 1 must be a number or a Value, got str',
          'Convert your data to numbers first.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, math.nan])', ValueError, 'finite numbers, got nan',
          'Clean the data: a `nan` input would make every output `nan`.'),
    Row('nn.MLP', 'MLP(2, [3, 1])({"a": 1})', lambda: net()({'a': 1}), TypeError, 'got dict'),
    Row('nn.MLP', 'MLP(2, [3, 1])([[1.0], [2.0]]): nested lists', lambda: net()([[1.0], [2.0]]), TypeError, 'input element 0 must be a number or a Value, got list'),
    Row('nn.MLP', 'MLP(2, [3, 1], act="softmax")', lambda: MLP(2, [3, 1], act='softmax'), ValueError, "got 'softmax'"),
    Row('nn.Module', 'Module(3): the base class takes no arguments', lambda: Module(3), TypeError, 'Module() takes no arguments'),
    Row('nn.Module.zero_grad', 'zero_grad on a module whose parameters are floats', lambda: NotValues().zero_grad(), AttributeError,
        "'float' object has no attribute 'grad'"),
    Row('nn.Module.zero_grad', 'model.zero_grad(0.0): an argument', lambda: net().zero_grad(0.0), TypeError, 'zero_grad() takes 1 positional argument'),
    Row('nn.Module.parameters', 'Module().parameters(1)', lambda: Module().parameters(1), TypeError, 'takes 1 positional argument'),
    Row('nn.Layer.parameters', 'Layer(1, 1).parameters(1)', lambda: Layer(1, 1).parameters(1), TypeError, 'takes 1 positional argument'),
    Row('nn.MLP.parameters', 'MLP(1, [1]).parameters(1)', lambda: MLP(1, [1]).parameters(1), TypeError, 'takes 1 positional argument'),

    # ---- xor ----
    Row('xor.xor_data', 'xor_data(4): an argument', lambda: xor_data(4), TypeError, 'takes 0 positional arguments'),
    Row('xor.squared_error', 'squared_error(None, xs, ys)', lambda: squared_error(None, *xor_data()), TypeError, 'model'),
    Row('xor.squared_error', 'squared_error with 4 inputs and 2 targets', lambda: squared_error(net(), xor_data()[0], [0.0, 1.0]),
        ValueError, 'length'),
    Row('xor.squared_error', 'squared_error with string targets', lambda: squared_error(net(), xor_data()[0], ['a'] * 4), TypeError, "'Value' and 'str'"),
    Row('xor.squared_error', 'squared_error with a model of 2 outputs', lambda: squared_error(net(2, (3, 2)), *xor_data()), TypeError, 'model'),
    Row('xor.xor_graph', 'xor_graph(3)', lambda: xor_graph(3), TypeError, 'xor_graph needs an MLP, got int'),
    Row('xor.xor_graph', 'xor_graph(MLP(3, [1]))', lambda: xor_graph(MLP(3, [1])), ValueError, 'with 2 inputs and 1 output'),
    Row('xor.train_xor', 'train_xor(act="gelu")', lambda: train_xor(act='gelu'), ValueError, "got 'gelu'"),
    Row('xor.train_xor', 'train_xor(epochs=0)', lambda: train_xor(epochs=0), ValueError, 'epochs must be positive, got 0'),
    shown('training', 'xor.train_xor', 'train_xor(epochs=1.5)', TypeError, 'epochs must be an int, got float',
          'Give a whole number of epochs.'),
    Row('xor.train_xor', 'train_xor(lr=nan)', lambda: train_xor(lr=NAN), ValueError, 'lr must be positive and finite, got nan'),
    shown('training', 'xor.train_xor', 'train_xor(lr=-0.1)', ValueError, 'lr must be positive and finite',
          'Give a positive learning rate, such as the default.'),
    Row('xor.train_xor', 'train_xor(lr="0.1")', lambda: train_xor(lr='0.1'), TypeError, 'lr must be a real number, got str'),
    Row('xor.train_xor', 'train_xor(target=inf)', lambda: train_xor(target=INF), ValueError, 'target must be positive and finite, got inf'),
    Row('xor.train_xor', 'train_xor(seed="a")', lambda: train_xor(seed='a'), TypeError, 'seed must be an int'),
    Row('xor.XorRun', 'XorRun("tanh", 0, 0.01, None): fields missing', lambda: microgradnb.XorRun('tanh', 0, 0.01, None), TypeError,
        "missing 2 required positional arguments: 'model' and 'losses'"),
]


# ---- modules of later chapters: rows added when the module exists ----

def _optional_rows():
    rows = []
    m = microgradnb
    if hasattr(m, 'make_moons'):
        rows += [
            Row('datasets.make_moons', 'make_moons(0)', lambda: m.make_moons(0), ValueError, 'n_samples must be at least 2'),
            Row('datasets.make_moons', 'make_moons("a")', lambda: m.make_moons('a'), TypeError, 'n_samples must be an int, got str'),
            Row('datasets.make_moons', 'make_moons(10, noise=nan)', lambda: m.make_moons(10, noise=NAN), ValueError, 'noise must be finite'),
            Row('datasets.make_moons', 'make_moons(10, noise=-1)', lambda: m.make_moons(10, noise=-1), ValueError, 'noise must be finite and >= 0'),
            Row('datasets.make_moons', 'make_moons(10, seed="x")', lambda: m.make_moons(10, seed='x'), TypeError, 'seed must be an int'),
        ]
    if hasattr(m, 'evaluate'):
        rows += [
            Row('calc.evaluate', 'evaluate(3): not a string', lambda: m.evaluate(3), TypeError, 'the expression must be a str, got int'),
            Row('calc.evaluate', 'evaluate("x+")', lambda: m.evaluate('x+'), m.ExpressionError, 'not a valid expression'),
            Row('calc.evaluate', 'evaluate("")', lambda: m.evaluate(''), m.ExpressionError, 'not a valid expression'),
            Row('calc.evaluate', 'evaluate("x", x=nan)', lambda: m.evaluate('x', x=NAN), m.ExpressionError, 'the value of x must be a finite number, got nan'),
            Row('calc.evaluate', 'evaluate("x", x="a")', lambda: m.evaluate('x', x='a'), TypeError, 'the value of x must be a real number, got str'),
            Row('calc.evaluate', 'evaluate("x*y", x=1): y missing', lambda: m.evaluate('x*y', x=1), m.ExpressionError, 'no value given for y'),
            Row('calc.evaluate', 'evaluate("x", x=1, z=2): z unused', lambda: m.evaluate('x', x=1, z=2), m.ExpressionError, 'z given but not used'),
            Row('calc.evaluate', 'evaluate("1e400")', lambda: m.evaluate('1e400'), m.ExpressionError, 'too large for a float'),
            Row('calc.evaluate', "evaluate(\"__import__('os')\")", lambda: m.evaluate("__import__('os')"), m.ExpressionError, "calling '__import__'"),
            Row('calc.evaluate', 'evaluate("log(x)", x=0)', lambda: m.evaluate('log(x)', x=0), ValueError, 'log is defined only for positive numbers'),
            Row('calc.ExpressionError', 'evaluate("x +* y")', lambda: m.evaluate('x +* y', x=1, y=2), m.ExpressionError, 'not a valid expression'),
            Row('calc.grad_cli', 'microgradnb-grad "x+" x=1', lambda: cli(m.grad_cli, 'x+', 'x=1'), CLIError, 'not a valid expression'),
            Row('calc.grad_cli', 'microgradnb-grad x x=a', lambda: cli(m.grad_cli, 'x', 'x=a'), CLIError, 'the value of x is not a number'),
            Row('calc.grad_cli', 'microgradnb-grad x x: no value', lambda: cli(m.grad_cli, 'x', 'x'), CLIError, "expected name=value, got 'x'"),
        ]
    if hasattr(m, 'mse_loss'):
        v = lambda: [Value(1.0)]  # noqa: E731
        rows += [
            Row('losses.mse_loss', 'mse_loss([], [])', lambda: m.mse_loss([], []), ValueError, 'preds is empty'),
            Row('losses.mse_loss', 'mse_loss of 1 prediction and 2 targets', lambda: m.mse_loss(v(), [1, 2]), ValueError, 'same length, got 1 and 2'),
            Row('losses.mse_loss', 'mse_loss(Value, 1): not lists', lambda: m.mse_loss(Value(1.0), 1), TypeError, 'preds must be a list or tuple'),
            Row('losses.mse_loss', 'mse_loss with target "a"', lambda: m.mse_loss(v(), ['a']), TypeError, 'targets[0] must be a real number, got str'),
            Row('losses.mse_loss', 'mse_loss with target nan', lambda: m.mse_loss(v(), [NAN]), ValueError, 'targets[0] must be finite'),
            Row('losses.hinge_loss', 'hinge_loss with target 0', lambda: m.hinge_loss(v(), [0]), ValueError, 'needs targets -1 or 1'),
            Row('losses.hinge_loss', 'hinge_loss([], [])', lambda: m.hinge_loss([], []), ValueError, 'preds is empty'),
            Row('losses.bce_with_logits', 'bce_with_logits with target 2', lambda: m.bce_with_logits(v(), [2]), ValueError, 'targets between 0 and 1'),
            Row('losses.bce_with_logits', 'bce_with_logits of 1 logit and 2 targets', lambda: m.bce_with_logits(v(), [0.5, 1]), ValueError, 'same length'),
            Row('losses.l2_penalty', 'l2_penalty([])', lambda: m.l2_penalty([]), ValueError, 'params is empty'),
            Row('losses.l2_penalty', 'l2_penalty([1.0])', lambda: m.l2_penalty([1.0]), TypeError, 'params[0] must be a Value, got float'),
            Row('optim.Optimizer', 'Optimizer([], 0.1)', lambda: m.Optimizer([], 0.1), ValueError, 'params is empty'),
            Row('optim.Optimizer.step', 'Optimizer(...).step(): the base class', lambda: m.Optimizer(v(), 0.1).step(), NotImplementedError, 'does not define step'),
            Row('optim.Optimizer.lr', 'opt.lr = -1', lambda: setattr(m.SGD(v(), 0.1), 'lr', -1), ValueError, 'lr must be positive and finite, got -1'),
            Row('optim.Optimizer.zero_grad', 'opt.zero_grad(1): an argument', lambda: m.SGD(v(), 0.1).zero_grad(1), TypeError, 'takes 1 positional argument'),
            Row('optim.SGD', 'SGD([], 0.1)', lambda: m.SGD([], 0.1), ValueError, 'params is empty'),
            Row('optim.SGD', 'SGD([1.0], 0.1)', lambda: m.SGD([1.0], 0.1), TypeError, 'params[0] must be a Value, got float'),
            Row('optim.SGD', 'SGD(params, nan)', lambda: m.SGD(v(), NAN), ValueError, 'lr must be positive and finite, got nan'),
            Row('optim.SGD', 'SGD(params, 0.1, momentum=2)', lambda: m.SGD(v(), 0.1, momentum=2), ValueError, 'momentum must be in [0, 1), got 2'),
            Row('optim.SGD.step', 'an SGD step past the float range', lambda: _huge_step(m.SGD), OverflowError, 'overflowed a float'),
            Row('optim.Adam', 'Adam(params, betas=(1.0, 0.9))', lambda: m.Adam(v(), betas=(1.0, 0.9)), ValueError, 'betas[0] must be in [0, 1)'),
            Row('optim.Adam', 'Adam(params, eps=0)', lambda: m.Adam(v(), eps=0), ValueError, 'eps must be positive and finite'),
            Row('optim.Adam', 'Adam(params, lr="a")', lambda: m.Adam(v(), lr='a'), TypeError, 'lr must be a real number, got str'),
            Row('optim.Adam.step', 'Adam(...).step(1): an argument', lambda: m.Adam(v()).step(1), TypeError, 'takes 1 positional argument'),
            Row('train.accuracy', 'accuracy([], [])', lambda: m.accuracy([], []), ValueError, 'non-empty lists of the same length'),
            Row('train.accuracy', 'accuracy of 1 prediction and 2 targets', lambda: m.accuracy(v(), [1, 2]), ValueError, 'same length'),
            Row('train.accuracy', 'accuracy(..., threshold=nan)', lambda: m.accuracy(v(), [1], threshold=NAN), ValueError, 'threshold'),
            Row('train.evaluate_model', 'evaluate_model(model, xs, ys, "mse")', lambda: m.evaluate_model(net(), [[1.0, 2.0]], [1.0], 'mse'),
                TypeError, 'loss_fn must be a function, got str'),
            Row('train.evaluate_model', 'evaluate_model(None, ...)', lambda: m.evaluate_model(None, [[1.0]], [1.0], m.mse_loss), TypeError,
                'model'),
            Row('train.fit', 'fit(..., epochs=0)', lambda: m.fit(net(), [[1.0, 2.0]], [1.0], m.mse_loss, m.SGD(net().parameters(), 0.1), 0),
                ValueError, 'epochs must be positive, got 0'),
            Row('train.fit', 'fit(..., opt=None)', lambda: m.fit(net(), [[1.0, 2.0]], [1.0], m.mse_loss, None, 1), TypeError,
                'opt must be an Optimizer such as SGD or Adam'),
            Row('train.fit', 'fit with inputs of the wrong length', lambda: m.fit(net(), [[1.0]], [1.0], m.mse_loss,
                m.SGD(net().parameters(), 0.1), 1, progress=False), ValueError, 'input must have length 2, got length 1'),
            Row('train.plot_history', 'plot_history({})', lambda: m.plot_history({}), ValueError, "with a non-empty 'loss' list"),
            Row('train.plot_history', 'plot_history(None)', lambda: m.plot_history(None), ValueError, 'history must be the dict returned by fit'),
        ]
    if hasattr(m, 'grad_by_layer'):
        rows += [
            Row('depth.summarize_runs', 'summarize_runs([]): no runs', lambda: m.summarize_runs([]), ValueError, 'runs'),
            Row('depth.summarize_runs', 'summarize_runs([1, 2]): not XorRuns', lambda: m.summarize_runs([1, 2]), TypeError, 'XorRun'),
            Row('depth.grad_by_layer', 'grad_by_layer(None, xs)', lambda: m.grad_by_layer(None, [[1.0]]), TypeError, 'model must be an MLP'),
            Row('depth.grad_by_layer', 'grad_by_layer(model, [])', lambda: m.grad_by_layer(net(), []), ValueError, 'xs must be a non-empty list'),
            Row('depth.grad_by_layer', 'grad_by_layer with inputs of the wrong length', lambda: m.grad_by_layer(net(), [[1.0]]), ValueError,
                'input must have length 2'),
        ]
    if hasattr(m, 'train_moons'):
        rows += [
            Row('moons.moons_data', 'moons_data(0)', lambda: m.moons_data(0), ValueError, 'n_samples must be at least 2'),
            Row('moons.moons_data', 'moons_data(10, noise=inf)', lambda: m.moons_data(10, noise=INF), ValueError, 'noise must be finite'),
            Row('moons.train_moons', 'train_moons(act="x")', lambda: m.train_moons(act='x'), ValueError, "got 'x'"),
            Row('moons.train_moons', 'train_moons(epochs=0)', lambda: m.train_moons(epochs=0), ValueError, 'epochs must be positive'),
            Row('moons.train_moons', 'train_moons(lr=-1)', lambda: m.train_moons(lr=-1), ValueError, 'lr must be positive and finite'),
            Row('moons.MoonsRun', 'MoonsRun([], []): fields missing', lambda: m.MoonsRun([], []), TypeError, 'missing 3 required positional arguments'),
            Row('moons.plot_decision_boundary', 'plot_decision_boundary(model, [], [])', lambda: m.plot_decision_boundary(net(), [], []),
                ValueError, 'X and y must be non-empty lists of the same length'),
            Row('moons.plot_decision_boundary', 'plot_decision_boundary(..., steps=0)', lambda: m.plot_decision_boundary(net(), [[1.0, 2.0]], [1], steps=0),
                ValueError, 'steps must be positive, got 0'),
        ]
    if hasattr(m, 'train_cli'):
        rows += [
            Row('cli.train_cli', 'microgradnb-train cats', lambda: cli(m.train_cli, 'cats'), CLIError, "task must be 'xor' or 'moons', got 'cats'"),
            Row('cli.train_cli', 'microgradnb-train xor --epochs 0', lambda: cli(m.train_cli, 'xor', epochs=0), CLIError, 'epochs must be positive, got 0'),
            Row('cli.train_cli', 'microgradnb-train xor --act gelu', lambda: cli(m.train_cli, 'xor', act='gelu'), CLIError, "got 'gelu'"),
        ]
    try: import microgradnb.bench as b
    except ImportError: b = None
    if b is not None:
        X, y, w = b.moons_problem(10)
        rows += [
            Row('bench.moons_problem', 'moons_problem(0)', lambda: b.moons_problem(0), ValueError, 'n_samples must be at least 2'),
            Row('bench.moons_problem', 'moons_problem("a")', lambda: b.moons_problem('a'), TypeError, 'n_samples must be an int'),
            Row('bench.MoonsTrainer', 'MoonsTrainer(X, y, w): the base class', lambda: b.MoonsTrainer(X, y, w), NotImplementedError,
                'setup'),
            Row('bench.MoonsTrainer.setup', 'MoonsTrainer.setup on the base class', lambda: b.MoonsTrainer.setup(None, w),
                NotImplementedError, 'setup'),
            Row('bench.MoonsTrainer.step', 'MoonsTrainer.step on the base class', lambda: b.MoonsTrainer.step(None, 0),
                NotImplementedError, 'step'),
            *[r for T in (b.NBTrainer, b.MicrogradTrainer, b.TorchScalarTrainer) for r in [
                Row(f'bench.{T.__name__}', f'{T.__name__}(X, y, []): no weights', lambda T=T: T(X, y, []), ValueError, 'weights'),
                Row(f'bench.{T.__name__}.setup', f'{T.__name__}(...).setup(None)', lambda T=T: T(X, y, w).setup(None), TypeError,
                    'weights'),
                Row(f'bench.{T.__name__}.step', f'{T.__name__}(...).step("a")', lambda T=T: T(X, y, w).step('a'), TypeError, 'k'),
            ]],
            Row('bench.TorchScalarTrainer.score', 'TorchScalarTrainer(...).score([1.0]): one number for two inputs',
                lambda: b.TorchScalarTrainer(X, y, w).score([1.0]), ValueError, 'length'),
            Row('bench.time_moons', 'time_moons(engines=[])', lambda: b.time_moons(engines=[]), ValueError, 'engines'),
            Row('bench.product_sum_graph', 'product_sum_graph(Value, 0)', lambda: b.product_sum_graph(Value, 0), ValueError,
                'n_products'),
            Row('bench.graph_costs', 'graph_costs(Value, 0)', lambda: b.graph_costs(Value, 0), ValueError, 'n_products'),
            Row('bench.chain', 'chain(Value, "a")', lambda: b.chain(Value, 'a'), TypeError, 'n must be'),
            Row('bench.backward_at_default_limit', 'backward_at_default_limit(2.0)', lambda: b.backward_at_default_limit(2.0),
                TypeError, 'Value'),
            Row('bench.depth_costs', 'depth_costs(sizes=[0])', lambda: b.depth_costs(sizes=[0]), ValueError, 'sizes'),
            Row('bench.benchmark', 'benchmark(quick=True, rounds="a")', lambda: b.benchmark(quick=True, rounds='a'), TypeError,
                'rounds'),
            Row('bench.format_table', 'format_table(None)', lambda: b.format_table(None), TypeError, 'rows'),
            Row('bench.main', 'python -m microgradnb.bench --bogus', lambda: cli(b.main, ['--bogus']), CLIError,
                'unrecognized arguments: --bogus'),
        ]
    return rows


def _huge_step(Opt):
    "One optimiser step whose update leaves the float range"
    p = Value(1e308)
    p.grad = 1e308
    Opt([p], 10.0).step()


ALL_ROWS = ROWS + _optional_rows()
