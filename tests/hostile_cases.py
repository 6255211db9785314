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
from microgradnb import grad, hessian
from microgradnb import constant
from microgradnb.engine import real_number
from fractions import Fraction
from microgradnb.compile import TraceError

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


def _assigned_node():
    "A computed Value whose own number was assigned afterwards"
    y = Value(2.0) * 2.0
    y.val = 5.0
    return y


def _stale_order():
    "check_fresh of a graph one of whose leaves changed after the forward pass"
    w = Value(1.0)
    y = w * w
    w.val = 2.0
    microgradnb.check_fresh(topological_order(y))


class NotValues(Module):
    "A module whose parameters are plain floats: zero_grad has nothing to zero"
    def parameters(self): return [1.0, 2.0]


ROWS = [
    # higher: gradients of gradients
    Row('higher.grad', 'grad(x, x): one Value, not a list', lambda: grad(Value(1.0), Value(1.0)), TypeError, 'for one Value x, write [x]'),
    Row('higher.grad', 'grad(1.0, [x])', lambda: grad(1.0, [Value(1.0)]), TypeError, 'output must be a Value'),
    Row('higher.grad', 'grad(x, [x, 2.0])', lambda: grad(Value(1.0), [Value(1.0), 2.0]), TypeError, 'inputs[1] must be a Value'),
    Row('higher.grad', 'grad(..., create_graph=1)', lambda: grad(Value(1.0), [Value(1.0)], create_graph=1), TypeError, 'create_graph must be True or False'),
    Row('higher.hessian', 'hessian(42, [1.0])', lambda: hessian(42, [1.0]), TypeError, 'f must be a function'),
    Row('higher.hessian', 'hessian(f, [Value(1.0)])', lambda: hessian(lambda x: x, [Value(1.0)]), TypeError, 'plain numbers, not Values'),
    Row('higher.hessian', 'f returns a float', lambda: hessian(lambda x: 1.0, [1.0]), TypeError, 'f must return a Value'),
    Row('higher.grad', 'grad(x ** x, [x]) at x = 0: 0 ** x drops from 1 to 0', lambda: (lambda x: grad(x ** x, [x]))(Value(0.0)), ZeroDivisionError,
        'the gradient of a ** b is infinite at a = 0, b = 0'),
    Row('higher.grad', 'grad(x ** 0.5, [x], create_graph=True) at x = 0', lambda: (lambda x: grad(x ** 0.5, [x], create_graph=True))(Value(0.0)),
        ZeroDivisionError, 'the gradient of x ** 0.5 is infinite at x = 0'),
    Row('higher.hessian', 'hessian(a ** b) at (0, 0)', lambda: hessian(lambda a, b: a ** b, [0.0, 0.0]), ZeroDivisionError,
        'the gradient of a ** b is infinite at a = 0, b = 0'),
    # ---- engine: Value and its operations ----
    shown('numbers', 'engine.Value', 'Value("1.5")', TypeError, 'got str',
          'Pass a number: convert text with `float(...)` first.'),
    shown('numbers', 'engine.Value', 'Value(None)', TypeError, 'got NoneType',
          'Find the function that returned `None` where you expected a number.'),
    shown('numbers', 'engine.Value', 'Value([1.0])', TypeError, 'got list',
          'Make one Value per number: `[Value(x) for x in xs]`.'),
    Row('engine.Value', 'Value(1+2j): a complex number', lambda: Value(1 + 2j), TypeError, 'got complex'),
    Row('engine.Value', 'Value(Value(1.0)): a Value in a Value', lambda: Value(Value(1.0)), TypeError, 'got a Value holding 1.0'),
    Row('engine.Value', 'Value(True): a bool', lambda: Value(True), TypeError, 'got bool: True (write 1.0 if you mean a number)'),
    Row('engine.Value', 'Value(2.0) * False: a bool operand', lambda: Value(2.0) * False, TypeError, 'the right operand of * must be a real number, got bool: False'),
    shown('numbers', 'engine.Value', 'Value(math.nan)', ValueError, 'finite number, got nan',
          'Find where the `nan` came from (often a division or a log in your data preparation) and remove it there.'),
    Row('engine.Value', 'Value(inf)', lambda: Value(INF), ValueError, 'finite number, got inf'),
    Row('engine.Value', 'Value(-inf)', lambda: Value(-INF), ValueError, 'finite number, got -inf'),
    Row('engine.Value', 'Value(10**400): an int too large for a float', lambda: Value(10**400), ValueError,
        'the argument of Value() must be a finite number, got an int of about 10**400, too large for a float'),
    Row('engine.Value', 'v.val = nan', lambda: setattr(Value(1.0), 'val', NAN), ValueError, 'the number assigned to val must be a finite number, got nan'),
    Row('engine.Value', 'v.val = "abc"', lambda: setattr(Value(1.0), 'val', 'abc'), TypeError, "the number assigned to val must be a real number, got str: 'abc'"),
    Row('engine.Value', 'v.val = Value(2.0)', lambda: setattr(Value(1.0), 'val', Value(2.0)), TypeError, 'got a Value holding 2.0'),
    Row('compile.compile', 'compile(42, params)', lambda: microgradnb.compile(42, MLP(2, [1], seed=0).parameters()), TypeError, 'compile: fn must be a function, got int: 42'),
    Row('compile.compile', 'compile(fn, model): the model, not its parameters', lambda: (lambda m: microgradnb.compile(lambda x: m(x), m))(MLP(2, [1], seed=0)), TypeError,
        'params must be a list of Values, such as model.parameters(), got MLP'),
    Row('compile.CompiledStep', 'step("ab"): text for numbers', lambda: (lambda m: microgradnb.compile(lambda x: m(x), m.parameters())('ab'))(MLP(2, [1], seed=0)), TypeError,
        "the arguments must be numbers, or lists or tuples of them, got str: 'ab'"),
    Row('compile.CompiledStep.eager', 'step.eager(["a", 1.0])', lambda: (lambda m: microgradnb.compile(lambda x: m(x), m.parameters()).eager(['a', 1.0]))(MLP(2, [1], seed=0)),
        TypeError, "must be a real number, got str: 'a'"),
    Row('compile.TraceError', 'fn branches on x.val while traced', lambda: (lambda m: microgradnb.compile(lambda x: m(x) if x[0].val > 0 else -m(x), m.parameters())([1.0, 2.0]))(MLP(2, [1], seed=0)),
        TraceError, 'fn reads the number of a Value (.val or .data)'),
    Row('train.linear_decay', 'linear_decay(5e-324, 3): the last rate rounds to 0', lambda: microgradnb.linear_decay(5e-324, 3), ValueError, 'lr must be large enough to stay positive as it decays'),
    Row('train.linear_decay', 'linear_decay(0.1, 0)', lambda: microgradnb.linear_decay(0.1, 0), ValueError, 'epochs must be positive'),
    Row('engine.constant', 'constant("2")', lambda: constant('2'), TypeError, "the argument of constant() must be a real number, got str: '2'"),
    Row('engine.constant', 'constant(nan)', lambda: constant(math.nan), ValueError, 'the argument of constant() must be a finite number, got nan'),
    Row('engine.real_number', 'real_number(True, "lr")', lambda: real_number(True, 'lr'), TypeError, 'lr must be a real number, got bool: True'),
    Row('engine.real_number', 'real_number(10**400, "lr")', lambda: real_number(10**400, 'lr'), ValueError, 'lr must be a finite number, got an int of about 10**400, too large for a float'),
    Row('engine.real_number', 'real_number(Fraction(1, 10**400), "lr")', lambda: real_number(Fraction(1, 10**400), 'lr'), ValueError, 'lr is too small for a float'),
    Row('engine.Value', 'v.data = 10**400', lambda: setattr(Value(1.0), 'data', 10**400), ValueError, 'the number assigned to data must be a finite number, got an int of about 10**400'),
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
    shown('domain', 'engine.Value', 'Value(1.0) / 0', ZeroDivisionError, 'division by zero: 1.0 / 0.0',
          'Keep the denominator away from 0.'),
    Row('engine.Value', '1 / Value(0.0)', lambda: 1 / Value(0.0), ZeroDivisionError, 'division by zero: 1.0 / 0.0'),
    Row('engine.Value', 'Value(1e300) / 1e-300: overflow', lambda: Value(1e300) / 1e-300, OverflowError, '/ of'),
    shown('domain', 'engine.Value', 'Value(-8.0) ** (1/3)', ValueError, 'negative base needs an integer exponent',
          'Use an integer exponent, or a positive base.'),
    shown('domain', 'engine.Value', 'Value(0.0) ** -1', ZeroDivisionError, 'zero cannot be raised to a negative power',
          'Keep the base away from 0.'),
    Row('engine.Value', 'Value(10.0) ** 400', lambda: Value(10.0) ** 400, OverflowError, '10.0 ** 400.0 overflows'),
    Row('engine.Value', '(-2) ** Value(0.5)', lambda: (-2) ** Value(0.5), ValueError, 'not a real number'),
    Row('engine.Value', 'Value(2.0) ** "a"', lambda: Value(2.0) ** 'a', TypeError, "'Value' and 'str'"),
    shown('numbers', 'engine.Value', 'Value(1.0) ** math.nan', ValueError, 'the exponent of ** must be a finite number, got nan',
          'Find where the `nan` exponent came from; a power needs a finite exponent.'),
    Row('engine.Value', 'Value(0.5) ** inf', lambda: Value(0.5) ** INF, ValueError, 'the exponent of ** must be a finite number, got inf'),
    Row('engine.Value', 'Value(2.0) ** 10**400', lambda: Value(2.0) ** 10**400, ValueError, 'the exponent of ** must be a finite number, got an int of about 10**400'),
    Row('engine.Value', 'nan ** Value(1.0)', lambda: NAN ** Value(1.0), ValueError, 'the base of ** must be a finite number, got nan'),
    Row('engine.Value', 'Value(1.0) + nan', lambda: Value(1.0) + NAN, ValueError, 'the right operand of + must be a finite number, got nan'),
    Row('engine.Value', '10**400 * Value(1.0)', lambda: 10**400 * Value(1.0), ValueError, 'the left operand of * must be a finite number, got an int of about 10**400'),
    Row('engine.Value', 'Value(1.0) / -inf', lambda: Value(1.0) / -INF, ValueError, 'the right operand of / must be a finite number, got -inf'),
    Row('engine.Value', 'inf - Value(1.0)', lambda: INF - Value(1.0), ValueError, 'the left operand of - must be a finite number, got inf'),
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
    Row('nn.vsum', 'vsum([Value(1), nan])', lambda: vsum([Value(1.0), NAN]), ValueError, 'vsum: values[1] must be a finite number, got nan'),
    Row('nn.vsum', 'vsum([True]): a bool', lambda: vsum([True]), TypeError, 'vsum: values[0] must be a real number, got bool: True (write 1.0'),
    Row('nn.vsum', 'vsum([10**400])', lambda: vsum([10**400]), ValueError, 'vsum: values[0] must be a finite number, got an int of about 10**400'),
    Row('nn.vsum', 'vsum of two 1e308: overflow', lambda: vsum([Value(1e308), Value(1e308)]), OverflowError, 'vsum overflows'),
    Row('nn.linear', 'linear with 1 weight and 2 inputs', lambda: linear([Value(1.0)], [1.0, 2.0]), ValueError,
        'as many weights as inputs, got 1 weights and 2 inputs'),
    Row('nn.linear', 'linear with a float weight', lambda: linear([1.0], [1.0]), TypeError, 'ws[0] must be a Value'),
    Row('nn.linear', 'linear with an input "a"', lambda: linear([Value(1.0)], ['a']), TypeError, 'xs[0] must be a Value or a number'),
    Row('nn.linear', 'linear with an input inf', lambda: linear([Value(1.0)], [INF]), ValueError, 'linear: xs[0] must be a finite number, got inf'),
    Row('nn.linear', 'linear with an input 10**400', lambda: linear([Value(1.0)], [10**400]), ValueError, 'linear: xs[0] must be a finite number, got an int of about 10**400'),
    Row('nn.linear', 'linear with bias nan', lambda: linear([Value(1.0)], [Value(1.0)], NAN), ValueError, 'linear: b must be a finite number, got nan'),
    Row('nn.linear', 'linear with bias -10**400', lambda: linear([Value(1.0)], [1.0], -10**400), ValueError, 'linear: b must be a finite number, got an int of about -10**400'),
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
          'needs ln(a), undefined for a = -2.0; for the gradient with respect to a alone, use grad(out, [a])',
          'Use a plain number as the exponent or a positive base; for the base\'s gradient alone, `grad(out, [a])`.'),
    shown('domain', 'backward.Value.backward', 'x = Value(0.0); (x ** x).backward()', ZeroDivisionError,
          'the gradient of a ** b is infinite at a = 0, b = 0: 0 ** b drops from 1 to 0 as b grows from 0',
          'The value exists but its slope does not: keep the base or the exponent away from 0.'),
    Row('backward.Value.backward', '(0 ** Value(0.0)).backward()', lambda: (0 ** Value(0.0)).backward(), ZeroDivisionError,
        'the gradient of c ** x is infinite at c = 0, x = 0: 0 ** x drops from 1 to 0 as x grows from 0'),
    shown('domain', 'backward.Value.backward', '(Value(1e-300) * 1e300 * 1e300).backward()', OverflowError,
          'gradient at a leaf node overflowed', 'Rescale the expression: a gradient beyond about 1.8e308 has no float either.'),
    shown('training', 'backward.Value.backward', 'x, w = Value(1.0), Value(1.0); y = x * w * w; w.data = 3.0; y.backward()', RuntimeError,
          "the graph is out of date: a leaf of a '*' node was assigned a new number, 3.0, after the forward pass",
          'Compute the output again after changing a number (after `opt.step()`, say), then call `backward`.'),
    Row('backward.Value.backward', 'backward on a node whose own number was assigned', lambda: _assigned_node().backward(), RuntimeError,
        "the number of a '*' node was assigned (5.0) after the node was computed"),
    Row('backward.check_fresh', 'check_fresh(Value(1.0)): a Value, not a list', lambda: microgradnb.check_fresh(Value(1.0)), TypeError,
        'check_fresh needs the list of Values topological_order gives, got Value'),
    Row('backward.check_fresh', 'check_fresh([1.0])', lambda: microgradnb.check_fresh([1.0]), TypeError, 'it holds something else'),
    Row('backward.check_fresh', 'check_fresh of an out-of-date graph', lambda: _stale_order(), RuntimeError, 'the graph is out of date'),
    Row('backward.Value.backward', 'backward(1.0): an argument (no seed gradient)', lambda: Value(1.0).backward(1.0), TypeError,
        'backward() takes 1 positional argument'),

    # ---- gradcheck ----
    Row('gradcheck.numerical_grad', 'numerical_grad(42, [1.0]): not a function', lambda: numerical_grad(42, [1.0]), TypeError, 'f must be a function'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, []): no inputs', lambda: numerical_grad(lambda x: x, []), ValueError, 'inputs is empty'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, 1.0): not a list', lambda: numerical_grad(lambda x: x, 1.0), TypeError, 'list or tuple'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [nan])', lambda: numerical_grad(lambda x: x, [NAN]), ValueError, 'input 0 must be a finite number'),
    Row('gradcheck.numerical_grad', 'numerical_grad(f, [inf])', lambda: numerical_grad(lambda x: x, [INF]), ValueError, 'input 0 must be a finite number'),
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
    Row('gradcheck.gradcheck', 'gradcheck(f, [1.0], rtol=nan)', lambda: gradcheck(lambda x: x, [1.0], rtol=NAN), ValueError, 'rtol must be a finite number'),
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
    Row('viz.draw', 'draw(v, labels={"a\\x00": v}): a control character in a name', lambda: (lambda v: draw(v * 2, labels={'a\x00': v}))(Value(1.0)),
        ValueError, "labels keys must be printable text (no control characters such as newlines or tabs), got 'a\\x00'"),
    Row('viz.draw', 'draw(v, labels={"x": a Value not in the graph})', lambda: draw(Value(1.0), labels={'x': Value(2.0)}), ValueError,
        "labels['x'] is not a node of the graph"),
    Row('viz.draw', 'draw(v, max_size=0)', lambda: draw(Value(1.0), max_size=0), ValueError, 'max_size must be positive, got 0'),
    Row('viz.draw', 'draw(v, max_size=2.5)', lambda: draw(Value(1.0), max_size=2.5), TypeError, 'max_size must be an int, got float'),
    shown('graphs', 'viz.draw', 'draw(math.prod([Value(2.0)] * 100))', ValueError,
          'the graph is too large to draw in seconds: 102 values and 100 operations make a layout of size 10,402, above max_size=3000',
          'Draw a smaller part of the graph, or pass a larger `max_size` and wait longer (see *Large graphs* in the chapter on saving, copying and drawing large graphs).'),
    Row('viz.Drawing', 'Drawing(format="jpgg")', lambda: microgradnb.viz.Drawing(format='jpgg'), ValueError, "unknown format: 'jpgg'"),
    shown('graphs', 'viz.Drawing.save', 'draw(Value(1.0)).save("graph.jpg")', ValueError,
          "save writes .svg, .png, .pdf or .dot files, by the end of the file's name; got 'graph.jpg'",
          "End the file's name with the format you want: `.svg`, `.png`, `.pdf`, or `.dot` for the DOT source."),
    Row('viz.Drawing.save', 'draw(v).save(None)', lambda: draw(Value(1.0)).save(None), TypeError, 'path must be a str or Path, got NoneType'),
    Row('viz.Drawing.save', 'draw(v).save("graph")', lambda: draw(Value(1.0)).save('graph'), ValueError, "got 'graph'"),
    Row('viz.Drawing.save', 'draw(v).save("no-such-folder/graph.svg")', lambda: draw(Value(1.0)).save('no-such-folder/graph.svg'),
        FileNotFoundError, 'No such file or directory'),

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
    Row('nn.Neuron', 'Neuron(2)([1.0, nan])', lambda: Neuron(2, seed=0)([1.0, NAN]), ValueError, 'input element 1 must be a finite number, got nan'),
    Row('nn.Neuron', 'Neuron(2)([10**400, 1.0])', lambda: Neuron(2, seed=0)([10**400, 1.0]), ValueError, 'input element 0 must be a finite number, got an int of about 10**400'),
    Row('nn.Neuron', 'Neuron(10**400)', lambda: Neuron(10**400), ValueError, 'nin must be at most 10000000, got an int of about 10**400'),
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
    Row('nn.MLP', 'MLP(2, [1])([True, False]): bool inputs', lambda: MLP(2, [1], seed=0)([True, False]), TypeError, 'input element 0 must be a real number, got bool: True'),
    Row('nn.MLP', 'MLP(2, [10**400])', lambda: MLP(2, [10**400]), ValueError, 'nouts[0] must be at most 10000000, got an int of about 10**400'),
    Row('nn.MLP', 'MLP(2, [4, nan])', lambda: MLP(2, [4, NAN]), TypeError, 'nouts[1] must be an int, got float: nan'),
    shown('networks', 'nn.MLP', 'MLP(2, [3000, 3000, 3000])', ValueError, 'MLP would have 18,015,000 parameters, more than the 10,000,000',
          'A network of scalar Values is for learning: keep it to thousands of parameters.'),
    Row('nn.Layer', 'Layer(10**6, 10**6)', lambda: Layer(10**6, 10**6), ValueError, 'Layer would have 1,000,001,000,000 parameters'),
    shown('networks', 'nn.MLP', 'MLP(2, [4.0, 1])', TypeError, 'nouts[0] must be an int, got float',
          'Sizes are whole numbers.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, 2.0, 3.0])', ValueError, 'input must have length 2, got length 3',
          'Give one number per input of the first layer.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])(1.0)', TypeError, 'input must be a list or tuple of 2 numbers',
          'Pass the inputs as a list, one number per input: `model([x1, x2])`.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, "a"])', TypeError, 'input element 1 must be a number or a Value, got str',
          'Convert your data to numbers first.'),
    shown('networks', 'nn.MLP', 'MLP(2, [3, 1])([1.0, math.nan])', ValueError, 'input element 1 must be a finite number, got nan',
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
    shown('networks', 'nn.Module.load_state', 'MLP(2, [3, 1]).load_state([0.5] * 12)', ValueError, 'load_state needs 13 numbers, one per parameter, got 12',
          'Load a list saved from a network of the same shape: `state()` gives one number per parameter.'),
    Row('nn.Module.load_state', 'load_state with a nan', lambda: net().load_state([0.5] * 12 + [NAN]), ValueError, 'load_state: values[12] must be a finite number, got nan'),
    Row('nn.Module.load_state', 'load_state with a string', lambda: net().load_state([0.5] * 12 + ['1']), TypeError, "load_state: values[12] must be a real number, got str: '1'"),
    Row('nn.Module.load_state', 'load_state(json text)', lambda: net().load_state('[0.5]'), TypeError, 'load_state needs a list of numbers, as state() gives, got str'),
    Row('nn.Module.load_state', 'load_state(None)', lambda: net().load_state(None), TypeError, 'got NoneType'),

    # ---- xor ----
    Row('xor.xor_data', 'xor_data(4): an argument', lambda: xor_data(4), TypeError, 'takes 0 positional arguments'),
    Row('xor.squared_error', 'squared_error(None, xs, ys)', lambda: squared_error(None, *xor_data()), TypeError, 'model'),
    Row('xor.squared_error', 'squared_error with 4 inputs and 2 targets', lambda: squared_error(net(), xor_data()[0], [0.0, 1.0]),
        ValueError, 'length'),
    Row('xor.squared_error', 'squared_error with string targets', lambda: squared_error(net(), xor_data()[0], ['a'] * 4), TypeError, "ys[0] must be a number, got str: 'a'"),
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
            Row('datasets.make_moons', 'make_moons(10**400)', lambda: m.make_moons(10**400), ValueError, 'n_samples must be at most 1000000, got an int of about 10**400'),
            Row('datasets.make_moons', 'make_moons(10, noise=10**400)', lambda: m.make_moons(10, noise=10**400), ValueError,
                'noise must be finite and >= 0, got an int of about 10**400, too large for a float'),
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
            Row('calc.evaluate', 'evaluate("1e400")', lambda: m.evaluate('1e400'), m.ExpressionError, 'the number 1e400 is too large for a float'),
            Row('calc.evaluate', "evaluate(\"__import__('os')\")", lambda: m.evaluate("__import__('os')"), m.ExpressionError, "calling '__import__'"),
            Row('calc.evaluate', 'evaluate("log(x)", x=0)', lambda: m.evaluate('log(x)', x=0), ValueError, 'log is defined only for positive numbers'),
            Row('calc.ExpressionError', 'evaluate("x +* y")', lambda: m.evaluate('x +* y', x=1, y=2), m.ExpressionError, 'not a valid expression'),
            Row('calc.grad_cli', 'microgradnb-grad "x+" x=1', lambda: cli(m.grad_cli, 'x+', 'x=1'), CLIError, 'not a valid expression'),
            Row('calc.grad_cli', 'microgradnb-grad x x=a', lambda: cli(m.grad_cli, 'x', 'x=a'), CLIError, 'the value of x is not a number'),
            Row('calc.grad_cli', 'microgradnb-grad x x: no value', lambda: cli(m.grad_cli, 'x', 'x'), CLIError, "expected name=value, got 'x'"),
            Row('calc.evaluate', 'evaluate("x", x=10**400)', lambda: m.evaluate('x', x=10**400), m.ExpressionError,
                'the value of x must be a finite number, got an int of about 10**400, too large for a float'),
            Row('calc.evaluate', 'evaluate("x", x=Value(2.0))', lambda: m.evaluate('x', x=Value(2.0)), TypeError,
                'the value of x must be a real number, got a Value holding 2.0'),
            Row('calc.evaluate', 'evaluate(100,001 characters)', lambda: m.evaluate('x' + '+x' * 50_000, x=1), m.ExpressionError,
                'the expression is 100,001 characters long; the calculator reads at most 100,000'),
            Row('calc.evaluate', 'evaluate("\N{MICRO SIGN}", \N{MICRO SIGN}=1, \N{GREEK SMALL LETTER MU}=2)',
                lambda: m.evaluate('\N{MICRO SIGN}', **{'\N{MICRO SIGN}': 1, '\N{GREEK SMALL LETTER MU}': 2}), m.ExpressionError,
                'are the same name to Python'),
            Row('calc.evaluate', 'evaluate("x", **{"1x": 2})', lambda: m.evaluate('x', **{'1x': 2}), m.ExpressionError, "'1x' is not a valid variable name"),
            Row('calc.evaluate', 'evaluate(long sum with x.real)', lambda: m.evaluate('x.real + ' + ' + '.join(['x'] * 20_000), x=1),
                m.ExpressionError, "'.' at column 2 is not"),
            Row('calc.grad_cli', 'microgradnb-grad x x=1 --svg g.png', lambda: cli(m.grad_cli, 'x', 'x=1', svg='g.png'), CLIError,
                "--svg needs a file name that ends in .svg, got 'g.png'"),
            Row('calc.grad_cli', 'microgradnb-grad "x*x*...*x" (100 factors) x=1 --svg g.svg',
                lambda: cli(m.grad_cli, ' * '.join(['x'] * 100), 'x=1', svg='g.svg'), CLIError, '--svg: the graph is too large to draw in seconds'),
            Row('calc.grad_cli', "grad_cli('x', 5): a value that is not a str", lambda: m.grad_cli('x', 5), TypeError,
                "assignments[0] must be a str such as 'x=2', got int: 5"),
            Row('calc.grad_cli', "grad_cli('x', 'x=1', svg=5)", lambda: m.grad_cli('x', 'x=1', svg=5), TypeError,
                'svg must be a str naming an .svg file, got int: 5'),
        ]
    if hasattr(m, 'mse_loss'):
        v = lambda: [Value(1.0)]  # noqa: E731
        rows += [
            Row('losses.mse_loss', 'mse_loss([], [])', lambda: m.mse_loss([], []), ValueError, 'preds is empty'),
            Row('losses.mse_loss', 'mse_loss of 1 prediction and 2 targets', lambda: m.mse_loss(v(), [1, 2]), ValueError, 'same length, got 1 and 2'),
            Row('losses.mse_loss', 'mse_loss(Value, 1): not lists', lambda: m.mse_loss(Value(1.0), 1), TypeError, 'preds must be a list or tuple'),
            Row('losses.mse_loss', 'mse_loss with target "a"', lambda: m.mse_loss(v(), ['a']), TypeError, 'targets[0] must be a real number, got str'),
            Row('losses.mse_loss', 'mse_loss with target nan', lambda: m.mse_loss(v(), [NAN]), ValueError, 'targets[0] must be a finite number'),
            Row('losses.mse_loss', 'mse_loss with target 10**400', lambda: m.mse_loss(v(), [10**400]), ValueError,
                'targets[0] must be a finite number, got an int of about 10**400, too large for a float'),
            Row('losses.hinge_loss', 'hinge_loss with target True', lambda: m.hinge_loss(v(), [True]), TypeError, 'targets[0] must be a real number, got bool'),
            Row('losses.hinge_loss', 'hinge_loss with target 0', lambda: m.hinge_loss(v(), [0]), ValueError, 'needs targets -1 or 1'),
            Row('losses.hinge_loss', 'hinge_loss([], [])', lambda: m.hinge_loss([], []), ValueError, 'preds is empty'),
            Row('losses.bce_with_logits', 'bce_with_logits with target 2', lambda: m.bce_with_logits(v(), [2]), ValueError, 'targets between 0 and 1'),
            Row('losses.bce_with_logits', 'bce_with_logits of 1 logit and 2 targets', lambda: m.bce_with_logits(v(), [0.5, 1]), ValueError, 'same length'),
            Row('losses.l2_penalty', 'l2_penalty([])', lambda: m.l2_penalty([]), ValueError, 'params is empty: l2_penalty needs a non-empty list'),
            Row('losses.l2_penalty', 'l2_penalty([1.0])', lambda: m.l2_penalty([1.0]), TypeError, 'params[0] must be a Value, got float'),
            Row('optim.Optimizer', 'Optimizer([], 0.1)', lambda: m.Optimizer([], 0.1), ValueError, 'params is empty'),
            Row('optim.Optimizer.step', 'Optimizer(...).step(): the base class', lambda: m.Optimizer(v(), 0.1).step(), NotImplementedError, 'does not define step'),
            Row('optim.Optimizer.lr', 'opt.lr = -1', lambda: setattr(m.SGD(v(), 0.1), 'lr', -1), ValueError, 'lr must be positive and finite, got -1'),
            Row('optim.Optimizer.zero_grad', 'opt.zero_grad(1): an argument', lambda: m.SGD(v(), 0.1).zero_grad(1), TypeError, 'takes 1 positional argument'),
            Row('optim.SGD', 'SGD([], 0.1)', lambda: m.SGD([], 0.1), ValueError, 'params is empty'),
            Row('optim.SGD', 'SGD([1.0], 0.1)', lambda: m.SGD([1.0], 0.1), TypeError, 'params[0] must be a Value, got float'),
            Row('optim.SGD', 'SGD(params, nan)', lambda: m.SGD(v(), NAN), ValueError, 'lr must be positive and finite, got nan'),
            Row('optim.SGD', 'SGD(params, 0.1, momentum=2)', lambda: m.SGD(v(), 0.1, momentum=2), ValueError, 'momentum must be in [0, 1), got 2'),
            Row('optim.SGD.step', 'an SGD step past the float range', lambda: _huge_step(m.SGD), OverflowError,
                'SGD.step: the new value of params[0] overflows a float (gives -inf)'),
            Row('optim.SGD.step', 'an SGD step with a nan gradient', lambda: _step_with_grad(m.SGD, NAN), OverflowError,
                'SGD.step: the gradient of params[0] is nan'),
            Row('optim.SGD', 'SGD(params, lr=10**400)', lambda: m.SGD(v(), 10**400), ValueError,
                'lr must be positive and finite, got an int of about 10**400, too large for a float'),
            Row('optim.SGD', 'SGD(params, 0.1, momentum=True)', lambda: m.SGD(v(), 0.1, momentum=True), TypeError,
                'momentum must be a real number, got bool: True'),
            Row('optim.Adam', 'Adam(params, betas=(1.0, 0.9))', lambda: m.Adam(v(), betas=(1.0, 0.9)), ValueError, 'betas[0] must be in [0, 1)'),
            Row('optim.Adam', 'Adam(params, eps=0)', lambda: m.Adam(v(), eps=0), ValueError, 'eps must be positive and finite'),
            Row('optim.Adam', 'Adam(params, lr="a")', lambda: m.Adam(v(), lr='a'), TypeError, 'lr must be a real number, got str'),
            Row('optim.Adam.step', 'Adam(...).step(1): an argument', lambda: m.Adam(v()).step(1), TypeError, 'takes 1 positional argument'),
            Row('optim.SGD.step', 'an SGD step with a complex gradient', lambda: _step_with_grad(m.SGD, 1j), TypeError,
                'SGD.step: params[0].grad must be a real number, got complex: 1j'),
            Row('optim.Adam.step', 'an Adam step with a gradient of None', lambda: _step_with_grad(m.Adam, None), TypeError,
                'Adam.step: params[0].grad is None: a constant takes no gradient'),
            Row('optim.Optimizer.load_state', 'opt.load_state({})', lambda: m.SGD(v(), 0.1).load_state({}), ValueError,
                'SGD.load_state needs the dict that SGD.state() gives'),
            Row('optim.Adam.step', 'an Adam step with a gradient of 1e200', lambda: _step_with_grad(m.Adam, 1e200), OverflowError,
                'Adam.step: the average squared gradient of params[0] overflows a float'),
            Row('optim.Adam', 'Adam(params, betas=(0.9, nan))', lambda: m.Adam(v(), betas=(0.9, NAN)), ValueError, 'betas[1] must be in [0, 1), got nan'),
            Row('optim.Adam', 'Adam(params, eps="1e-8")', lambda: m.Adam(v(), eps='1e-8'), TypeError, "eps must be a real number, got str: '1e-8'"),
            Row('metrics.accuracy', 'accuracy([], [])', lambda: m.accuracy([], []), ValueError, 'non-empty lists of the same length'),
            Row('metrics.accuracy', 'accuracy of 1 prediction and 2 targets', lambda: m.accuracy(v(), [1, 2]), ValueError, 'same length'),
            Row('metrics.accuracy', 'accuracy(..., threshold=nan)', lambda: m.accuracy(v(), [1], threshold=NAN), ValueError, 'threshold'),
            Row('metrics.accuracy', 'accuracy with target "a"', lambda: m.accuracy(v(), ['a']), TypeError, "targets[0] must be a real number, got str: 'a'"),
            Row('metrics.accuracy', 'accuracy(..., threshold=10**400)', lambda: m.accuracy(v(), [1], threshold=10**400), ValueError,
                'threshold must be a finite number, got an int of about 10**400'),
            Row('train.evaluate_model', 'evaluate_model(model, xs, ys, "mse")', lambda: m.evaluate_model(net(), [[1.0, 2.0]], [1.0], 'mse'),
                TypeError, 'loss_fn must be a function, got str'),
            Row('train.evaluate_model', 'evaluate_model(None, ...)', lambda: m.evaluate_model(None, [[1.0]], [1.0], m.mse_loss), TypeError,
                'model'),
            Row('train.fit', 'fit(..., epochs=0)', lambda: m.fit(net(), [[1.0, 2.0]], [1.0], m.mse_loss, m.SGD(net().parameters(), 0.1), 0),
                ValueError, 'epochs must be positive, got 0'),
            Row('train.fit', 'fit(..., opt=None)', lambda: m.fit(net(), [[1.0, 2.0]], [1.0], m.mse_loss, None, 1), TypeError,
                'opt must be an Optimizer such as SGD or Adam'),
            Row('train.fit', 'fit with inputs of the wrong length', lambda: _fit_net([[1.0]], [1.0], 1, progress=False), ValueError,
                'input must have length 2, got length 1'),
            Row('train.fit', 'fit with an optimiser of another network', lambda: m.fit(net(), [[1.0, 2.0]], [1.0], m.mse_loss,
                m.SGD([Value(1.0)], 0.1), 3, progress=False), ValueError, "opt holds none of the model's parameters"),
            Row('train.fit', 'fit with a penalty that returns "a"', lambda: _fit_net([[1.0, 2.0]], [1.0], 3, penalty=lambda m: 'a',
                progress=False), TypeError, "penalty must return a Value or a number, got str: 'a'"),
            Row('train.fit', 'fit with a metric that returns nan', lambda: _fit_net([[1.0, 2.0]], [1.0], 3,
                metrics=dict(odd=lambda p, y: NAN), progress=False), ValueError, "metrics['odd'](preds, ys) at epoch 1 must be a finite number, got nan"),
            Row('train.fit', 'fit with a schedule that reaches 0', lambda: _fit_net([[1.0, 2.0]], [1.0], 3, schedule=lambda k: 0.1 * (1 - k),
                progress=False), ValueError, 'schedule(1) returned a bad learning rate for epoch 2: lr must be positive and finite, got 0.0'),
            Row('plots.plot_history', 'plot_history with an empty metric list', lambda: m.plot_history({'loss': [0.5], 'accuracy': []}), ValueError,
                "history['accuracy'] has 0 entries and history['loss'] has 1"),
            Row('plots.plot_history', 'plot_history({})', lambda: m.plot_history({}), ValueError, "with a non-empty 'loss' list"),
            Row('plots.plot_history', 'plot_history(None)', lambda: m.plot_history(None), ValueError, 'history must be the dict returned by fit'),
            Row('plots.plot_history', 'plot_history with a nan loss', lambda: m.plot_history({'loss': [1.0, NAN]}), ValueError,
                "history['loss'][1] must be a finite number, got nan"),
            Row('train.fit', 'fit with a schedule that returns 10**400', lambda: _fit_net([[1.0, 2.0]], [1.0], 3, schedule=lambda k: 10**400,
                progress=False), ValueError, 'lr must be positive and finite'),
            Row('train.TrainingDiverged', 'fit with a learning rate far too large', _diverge, m.TrainingDiverged,
                'training diverged at epoch 3: the loss rose from 0.6766 to 5.312e+04, more than 10000 times its first value; '
                'lower the learning rate (lr was 2.0)'),
        ]
    if hasattr(m, 'grad_by_layer'):
        rows += [
            Row('depth.summarize_runs', 'summarize_runs([]): no runs', lambda: m.summarize_runs([]), ValueError, 'runs'),
            Row('depth.summarize_runs', 'summarize_runs([1, 2]): not XorRuns', lambda: m.summarize_runs([1, 2]), TypeError, 'XorRun'),
            Row('depth.summarize_runs', 'summarize_runs(3): not a list', lambda: m.summarize_runs(3), TypeError, 'a list of XorRun results'),
            Row('depth.grad_by_layer', 'grad_by_layer with inputs of 1e200', lambda: m.grad_by_layer(MLP(2, [1]), [[1e200, 1.0]]), OverflowError,
                'the squared gradients overflow a float'),
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
            Row('moons.train_moons', 'train_moons(lr=5e-324, epochs=3)', lambda: m.train_moons(lr=5e-324, epochs=3), ValueError,
                'lr must be large enough to stay positive as it decays'),
            Row('moons.train_moons', 'train_moons(alpha=True)', lambda: m.train_moons(alpha=True), TypeError, 'alpha must be a real number, got bool'),
            Row('moons.train_moons', 'train_moons(lr=10): diverges', lambda: m.train_moons(lr=10.0), m.TrainingDiverged, 'training diverged at epoch 2'),
            Row('train.Run', 'Run([], []): fields missing', lambda: m.Run([], []), TypeError, 'missing 3 required positional arguments'),
            Row('plots.plot_decision_boundary', 'a point with one coordinate', lambda: m.plot_decision_boundary(net(), [[1.0]], [1]),
                ValueError, 'X[0] must be a point [x0, x1], got list of length 1'),
            Row('plots.plot_decision_boundary', 'points too far apart for a float', lambda: m.plot_decision_boundary(net(), [[1e308, 1e308], [-1e308, 0.0]], [1, -1]),
                ValueError, 'wider than a float can measure'),
            Row('plots.plot_decision_boundary', 'a model that returns a float', lambda: m.plot_decision_boundary(lambda p: 1.0, [[0.0, 0.0]], [1]),
                TypeError, 'model must return a Value, got float'),
            Row('plots.plot_decision_boundary', 'plot_decision_boundary(model, [], [])', lambda: m.plot_decision_boundary(net(), [], []),
                ValueError, 'X and y must be non-empty lists of the same length'),
            Row('plots.plot_decision_boundary', 'plot_decision_boundary(..., steps=0)', lambda: m.plot_decision_boundary(net(), [[1.0, 2.0]], [1], steps=0),
                ValueError, 'steps must be at least 2, got 0'),
            Row('plots.plot_decision_boundary', 'plot_decision_boundary(..., steps=10**6)', lambda: m.plot_decision_boundary(net(), [[1.0, 2.0]], [1], steps=10**6),
                ValueError, 'steps must be at most 1000'),
            Row('plots.plot_decision_boundary', 'plot_decision_boundary with a label "a"', lambda: m.plot_decision_boundary(net(), [[1.0, 2.0]], ['a']),
                TypeError, "y[0] must be a real number, got str: 'a'"),
        ]
    if hasattr(m, 'train_cli'):
        rows += [
            Row('cli.train_cli', 'train_cli("xor"): a str, not a list of arguments', lambda: m.train_cli('xor'), TypeError,
                'argv must be a list of arguments'),
            Row('cli.train_cli', "train_cli(['xor', '--epochs', 1]): a number, not a str", lambda: m.train_cli(['xor', '--epochs', 1]), TypeError,
                "argv[2] must be a str, got int: 1"),
            Row('cli.train_cli', 'microgradnb-train cats', lambda: cli(m.train_cli, ['cats']), CLIError, "argument task: invalid choice: 'cats'"),
            Row('cli.train_cli', 'microgradnb-train xor --epochs 0', lambda: cli(m.train_cli, ['xor', '--epochs', '0']), CLIError,
                '--epochs must be positive, got 0'),
            Row('cli.train_cli', 'microgradnb-train xor --epochs 10000000', lambda: cli(m.train_cli, ['xor', '--epochs', '10000000']),
                CLIError, '--epochs must be at most 1000000'),
            Row('cli.train_cli', 'microgradnb-train xor --act gelu', lambda: cli(m.train_cli, ['xor', '--act', 'gelu']), CLIError,
                "argument --act: invalid choice: 'gelu'"),
            Row('cli.train_cli', 'microgradnb-train xor --act None', lambda: cli(m.train_cli, ['xor', '--act', 'None']), CLIError,
                "argument --act: invalid choice: 'None'"),
            Row('cli.train_cli', 'microgradnb-train xor --lr nan', lambda: cli(m.train_cli, ['xor', '--lr', 'nan']), CLIError,
                '--lr must be positive and finite, got nan'),
            Row('cli.train_cli', 'microgradnb-train xor --seed -1', lambda: cli(m.train_cli, ['xor', '--seed', '-1']), CLIError,
                '--seed must be 0 or more, got -1'),
            Row('cli.train_cli', 'microgradnb-train xor --pdb: not an option', lambda: cli(m.train_cli, ['xor', '--pdb']), CLIError,
                'unrecognized arguments: --pdb'),
            Row('cli.train_cli', 'microgradnb-train xor --out FILE/pics: a path through a file',
                lambda: cli(m.train_cli, ['xor', '--out', __file__ + '/pics']), CLIError, "py' is a file"),  # the path is cut short if long
            Row('cli.train_cli', 'microgradnb-train xor --lr 2: training diverges', lambda: _cli_out_to_temp(m.train_cli, ['xor', '--lr', '2']),
                CLIError, 'training diverged at epoch'),
        ]
    return rows


def _cli_out_to_temp(fn, args):
    "Call the command-line function `fn` with `args` and `--out` a fresh temporary folder"
    import tempfile
    with tempfile.TemporaryDirectory() as d: return cli(fn, [*args, '--out', d])


def _huge_step(Opt):
    "One optimiser step whose update leaves the float range"
    p = Value(1e308)
    p.grad = 1e308
    Opt([p], 10.0).step()


def _step_with_grad(Opt, g):
    "One optimiser step on a parameter whose gradient is `g`"
    p = Value(1.0)
    p.grad = g
    Opt([p], 0.1).step()


def _close(ax):
    "Close the figure of the matplotlib Axes `ax`"
    import matplotlib.pyplot as plt
    plt.close(ax.figure)


def _fit_net(xs, ys, epochs, **kw):
    "fit on net() with plain SGD built on that network's own parameters"
    model = net()
    return microgradnb.fit(model, xs, ys, microgradnb.mse_loss, microgradnb.SGD(model.parameters(), 0.1), epochs, **kw)


def _diverge():
    "The XOR network trained with a learning rate five times too large"
    model = net(2, (4, 1))
    microgradnb.fit(model, *xor_data(), microgradnb.mse_loss, microgradnb.SGD(model.parameters(), lr=2.0), 100, progress=False)


# ---- rows of the many-classes and speed work, one function per owner ----

def _multiclass_rows():
    "softmax, log_softmax, cross_entropy, the multiclass accuracy, fit with minibatches, and the digits chapter"
    m = microgradnb
    r2 = lambda: [Value(1.0), Value(2.0)]  # noqa: E731
    fit3 = lambda **kw: m.fit(net(2, (3, 2)), [[1.0, 2.0]] * 3, [0, 1, 1], m.cross_entropy,  # noqa: E731
                              m.SGD(net(2, (3, 2)).parameters(), 0.1), 1, progress=False, **kw)
    return [
        Row('losses.log_softmax', 'log_softmax([])', lambda: m.log_softmax([]), ValueError, 'row is empty'),
        Row('losses.log_softmax', 'log_softmax(Value(1.0)): not a row', lambda: m.log_softmax(Value(1.0)), TypeError,
            'row must be a list or tuple of Values, one per class, got a Value holding 1.0'),
        Row('losses.log_softmax', 'log_softmax([1.0, 2.0]): numbers, not Values', lambda: m.log_softmax([1.0, 2.0]), TypeError,
            'row[0] must be a Value, got float: 1.0'),
        Row('losses.log_softmax', 'log_softmax of logits 1e308 and -1e308', lambda: m.log_softmax([Value(1e308), Value(-1e308)]),
            OverflowError, 'farther apart than a float can hold'),
        Row('losses.softmax', 'softmax([])', lambda: m.softmax([]), ValueError, 'row is empty'),
        Row('losses.softmax', 'softmax("abc")', lambda: m.softmax('abc'), TypeError, 'row must be a list or tuple of Values'),
        Row('losses.softmax', 'softmax([Value(1.0), None])', lambda: m.softmax([Value(1.0), None]), TypeError,
            'row[1] must be a Value, got NoneType'),
        Row('losses.cross_entropy', 'cross_entropy([], [])', lambda: m.cross_entropy([], []), ValueError, 'logits is empty'),
        Row('losses.cross_entropy', 'cross_entropy(Value, 0)', lambda: m.cross_entropy(Value(1.0), 0), TypeError,
            'logits must be a list of rows of Values'),
        Row('losses.cross_entropy', 'cross_entropy of one score per row', lambda: m.cross_entropy([Value(1.0)], [0]), TypeError,
            'logits[0] must be a list or tuple of Values, one per class, got a Value'),
        Row('losses.cross_entropy', 'cross_entropy([[]], [0])', lambda: m.cross_entropy([[]], [0]), ValueError, 'logits[0] is empty'),
        Row('losses.cross_entropy', 'cross_entropy with a number among the logits', lambda: m.cross_entropy([[Value(1.0), 2.0]], [0]),
            TypeError, 'logits[0][1] must be a Value, got float'),
        Row('losses.cross_entropy', 'cross_entropy with ragged rows', lambda: m.cross_entropy([r2(), [Value(1.0)]], [0, 0]), ValueError,
            'logits[1] has 1 entries and logits[0] has 2: every row needs one per class'),
        Row('losses.cross_entropy', 'cross_entropy of 2 rows and 1 target', lambda: m.cross_entropy([r2(), r2()], [0]), ValueError,
            'got 2 rows and 1 targets'),
        Row('losses.cross_entropy', 'cross_entropy with target 2 of 2 classes', lambda: m.cross_entropy([r2()], [2]), ValueError,
            'targets[0] must be a class index from 0 to 1, got 2'),
        Row('losses.cross_entropy', 'cross_entropy with target -1', lambda: m.cross_entropy([r2()], [-1]), ValueError, 'got -1'),
        Row('losses.cross_entropy', 'cross_entropy with target 1.0', lambda: m.cross_entropy([r2()], [1.0]), TypeError,
            'targets[0] must be a class index, an int, got float: 1.0'),
        Row('losses.cross_entropy', 'cross_entropy with target True', lambda: m.cross_entropy([r2()], [True]), TypeError,
            'targets[0] must be a class index, an int, got bool'),
        Row('losses.cross_entropy', 'cross_entropy with target 10**400', lambda: m.cross_entropy([r2()], [10**400]), ValueError,
            'targets[0] must be a class index from 0 to 1, got an int of about 10**400'),
        Row('losses.cross_entropy', 'cross_entropy(rows, 1): targets not a list', lambda: m.cross_entropy([r2()], 1), TypeError,
            'targets must be a list or tuple of class indices, got int'),
        Row('metrics.accuracy', 'accuracy of rows with target 3 of 3 classes', lambda: m.accuracy([[0.1, 0.2, 0.3]], [3]), ValueError,
            'targets[0] must be a class index from 0 to 2, got 3'),
        Row('metrics.accuracy', 'accuracy of rows with target 1.0', lambda: m.accuracy([[0.1, 0.2]], [1.0]), TypeError,
            'targets[0] must be a class index, an int, got float'),
        Row('metrics.accuracy', 'accuracy of rows with a threshold', lambda: m.accuracy([[0.1, 0.2]], [1], threshold=0.5), ValueError,
            'threshold is for one score per row'),
        Row('metrics.accuracy', 'accuracy of ragged rows', lambda: m.accuracy([[0.1, 0.2], [0.3]], [1, 0]), ValueError,
            'preds[1] has 1 scores and preds[0] has 2'),
        Row('metrics.accuracy', 'accuracy of a row, then a score', lambda: m.accuracy([[0.1, 0.2], 0.3], [1, 0]), TypeError,
            'preds[1] must be a non-empty row of class scores like preds[0], got float'),
        Row('metrics.accuracy', 'accuracy of rows with a nan score', lambda: m.accuracy([[0.1, NAN]], [1]), ValueError,
            'preds[0][1] must be a finite number'),
        Row('metrics.accuracy', 'accuracy of rows with a score "a"', lambda: m.accuracy([['a', 0.1]], [1]), TypeError,
            'preds[0][0] must be a real number, got str'),
        Row('train.fit', 'fit(..., batch_size=0)', lambda: fit3(batch_size=0), ValueError, 'batch_size must be positive, got 0'),
        Row('train.fit', 'fit(..., batch_size=2.5)', lambda: fit3(batch_size=2.5), TypeError, 'batch_size must be an int, got float'),
        Row('train.fit', 'fit(..., batch_size=True)', lambda: fit3(batch_size=True), TypeError, 'batch_size must be an int, got bool'),
        Row('train.fit', 'fit(..., batch_size=-1)', lambda: fit3(batch_size=-1), ValueError, 'batch_size must be positive'),
        Row('train.fit', 'fit(..., batch_size=2, seed="x")', lambda: fit3(batch_size=2, seed='x'), TypeError,
            'seed must be an int, a random.Random or None'),
        Row('train.fit', 'fit(..., batch_size=2, seed=1.5)', lambda: fit3(batch_size=2, seed=1.5), TypeError, 'seed must be an int'),
        Row('train.fit', 'fit with batches and a learning rate far too large', lambda: _diverge_in_batches(), m.TrainingDiverged,
            'in the step on batch'),
        Row('train.fit', 'fit with batches and a short row in a later batch: the data, not the step',
            lambda: _diverge_in_batches(short_row=True), ValueError, 'input must have length 2, got length 1'),
        Row('train.fit', 'fit with xs a generator', lambda: m.fit(net(2, (3, 2)), (x for x in [[1.0, 2.0]]), [0], m.cross_entropy,
            m.SGD(net(2, (3, 2)).parameters(), 0.1), 1, progress=False), TypeError, 'xs must be a list or tuple, got generator'),
        Row('train.fit', 'fit(..., progress="no")', lambda: m.fit(net(2, (3, 2)), [[1.0, 2.0]], [0], m.cross_entropy,
            m.SGD(net(2, (3, 2)).parameters(), 0.1), 1, progress='no'), TypeError, "progress must be True or False, got str: 'no'"),
        Row('train.evaluate_model', 'evaluate_model with ys a dict', lambda: m.evaluate_model(net(2, (3, 2)), [[1.0, 2.0]], {0: 0},
            m.cross_entropy), TypeError, 'ys must be a list or tuple, got dict'),
        Row('metrics.accuracy', 'accuracy of a generator', lambda: m.accuracy((r for r in [[0.1, 0.2]]), [1]), TypeError,
            'accuracy: preds must be a list or tuple, got generator'),
        Row('metrics.accuracy', 'accuracy([[]], [0]): an empty row', lambda: m.accuracy([[]], [0]), TypeError,
            'preds[0] must be a non-empty row of class scores, got list: []'),
        Row('losses.cross_entropy', "cross_entropy whose rows' losses add up past the largest float",
            lambda: m.cross_entropy([[Value(1.5e308), Value(0.0)]] * 2, [1, 1]), OverflowError,
            "cross_entropy: the sum of the 2 rows' losses overflows a float"),
    ] + _digits_rows()


def _digits_rows():
    "The digits chapter: every argument checked before a network is trained"
    try: import microgradnb.digits as d
    except ImportError: return []
    img = [0.0] * 64
    return [
        Row('digits.digits_data', 'digits_data(test_size=0)', lambda: d.digits_data(test_size=0), ValueError, 'test_size must be positive'),
        Row('digits.digits_data', 'digits_data(test_size=1.0)', lambda: d.digits_data(test_size=1.0), ValueError, 'test_size must be a fraction in (0, 1)'),
        Row('digits.digits_data', 'digits_data(seed="x")', lambda: d.digits_data(seed='x'), TypeError, 'seed must be an int'),
        Row('digits.train_digits', 'train_digits(act="gelu")', lambda: d.train_digits(act='gelu'), ValueError, "act must be one of"),
        Row('digits.train_digits', 'train_digits(epochs=0)', lambda: d.train_digits(epochs=0), ValueError, 'epochs must be positive'),
        Row('digits.train_digits', 'train_digits(epochs=2.5)', lambda: d.train_digits(epochs=2.5), TypeError, 'epochs must be an int'),
        Row('digits.train_digits', 'train_digits(lr=nan)', lambda: d.train_digits(lr=NAN), ValueError, 'lr must be positive and finite'),
        Row('digits.train_digits', 'train_digits(lr=-0.01)', lambda: d.train_digits(lr=-0.01), ValueError, 'lr must be positive'),
        Row('digits.train_digits', 'train_digits(batch_size=0)', lambda: d.train_digits(batch_size=0), ValueError, 'batch_size must be positive'),
        Row('digits.train_digits', 'train_digits(batch_size=None)', lambda: d.train_digits(batch_size=None), TypeError,
            'batch_size must be an int, got NoneType'),
        Row('digits.train_digits', 'train_digits(seed="x")', lambda: d.train_digits(seed='x'), TypeError, 'seed must be'),
        Row('digits.train_digits', 'train_digits(data_seed=1.5)', lambda: d.train_digits(data_seed=1.5), TypeError, 'seed must be'),
        Row('digits.train_digits', 'train_digits(lr=1e6): diverges', lambda: d.train_digits(lr=1e6, epochs=1), microgradnb.TrainingDiverged,
            'training diverged at epoch 1'),
        Row('moons.train_moons', 'train_moons(data_seed=1.5)', lambda: microgradnb.train_moons(epochs=2, data_seed=1.5), TypeError,
            'data_seed must be an int, a random.Random or None, got float: 1.5'),
        Row('digits.train_digits', "train_digits(data_seed='x')", lambda: microgradnb.train_digits(epochs=1, data_seed='x'), TypeError,
            "data_seed must be an int, a random.Random or None, got str: 'x'"),
        Row('spiral.train_spiral', 'train_spiral(data_seed=[1])', lambda: microgradnb.train_spiral(epochs=1, data_seed=[1]), TypeError,
            'data_seed must be an int'),
        Row('train.Run', 'Run(): fields missing', lambda: microgradnb.Run(), TypeError, 'missing 5 required positional arguments'),
        Row('plots.plot_confusion', 'plot_confusion: a count of 10**20 is drawn', lambda: _close(microgradnb.plot_confusion([[10**20, 0], [0, 2]])) or microgradnb.plot_confusion('x'),
            TypeError, 'matrix must be a square list'),
        Row('metrics.predict', 'predict(model, [])', lambda: microgradnb.predict(net(64, (3, 10)), []), ValueError, 'X must be a non-empty list'),
        Row('metrics.predict', 'predict("model", X)', lambda: microgradnb.predict('model', [img]), TypeError, 'model must be a function or a Module'),
        Row('metrics.predict', 'predict of a model with one output', lambda: microgradnb.predict(net(64, (3, 1)), [img]), TypeError,
            'model must return a row of Values, one per class; for X[0] it returned a Value'),
        Row('metrics.predict', 'predict of an image of 3 pixels', lambda: microgradnb.predict(net(64, (3, 10)), [[0.0] * 3]), ValueError,
            'input must have length 64, got length 3'),
        Row('metrics.confusion_matrix', 'confusion_matrix([], [])', lambda: microgradnb.confusion_matrix([], []), ValueError,
            'non-empty lists of the same length'),
        Row('metrics.confusion_matrix', 'confusion_matrix of 2 predictions and 1 target', lambda: microgradnb.confusion_matrix([0, 1], [0]), ValueError,
            'same length'),
        Row('metrics.confusion_matrix', 'confusion_matrix with a prediction 10 of 10 classes', lambda: microgradnb.confusion_matrix([10], [0]), ValueError,
            'predicted[0] must be a class index from 0 to 9, got 10'),
        Row('metrics.confusion_matrix', 'confusion_matrix with a target 1.0', lambda: microgradnb.confusion_matrix([1], [1.0]), TypeError,
            'targets[0] must be a class index, an int, got float'),
        Row('metrics.confusion_matrix', 'confusion_matrix with a target True', lambda: microgradnb.confusion_matrix([1], [True]), TypeError, 'got bool'),
        Row('metrics.confusion_matrix', 'confusion_matrix(..., classes=0)', lambda: microgradnb.confusion_matrix([0], [0], classes=0), ValueError,
            'classes must be positive'),
        Row('metrics.confusion_matrix', 'confusion_matrix(..., classes=10**9)', lambda: microgradnb.confusion_matrix([0], [0], classes=10**9), ValueError,
            'classes must be at most 1000'),
        Row('plots.plot_confusion', 'plot_confusion([])', lambda: microgradnb.plot_confusion([]), ValueError, 'matrix must be a square list'),
        Row('plots.plot_confusion', 'plot_confusion of a 2x3 matrix', lambda: microgradnb.plot_confusion([[1, 2, 3], [4, 5, 6]]), ValueError,
            'matrix[0] must be a row of 2 counts (the matrix is square)'),
        Row('plots.plot_confusion', 'plot_confusion with a count -1', lambda: microgradnb.plot_confusion([[1, -1], [0, 2]]), ValueError,
            'matrix[0][1] must be a count, an int >= 0'),
        Row('plots.plot_confusion', 'plot_confusion with a count 0.5', lambda: microgradnb.plot_confusion([[1, 0.5], [0, 2]]), TypeError,
            'matrix[0][1] must be a count'),
        Row('plots.plot_confusion', 'plot_confusion with a count of 10**400', lambda: microgradnb.plot_confusion([[10**400]]), ValueError,
            'matrix[0][0] is too large to draw'),
        Row('plots.plot_confusion', 'plot_confusion of a str', lambda: microgradnb.plot_confusion('ab'), TypeError,
            'matrix must be a square list of lists of counts, got str'),
        Row('metrics.predict', "predict(model, 'ab')", lambda: microgradnb.predict(net(64, (3, 10)), 'ab'), TypeError, 'X must be a list of inputs, got str'),
        Row('metrics.confusion_matrix', 'confusion_matrix([0], None)', lambda: microgradnb.confusion_matrix([0], None), TypeError,
            'targets must be a list of class indices, got NoneType'),
        Row('plots.plot_digits', 'plot_digits([])', lambda: microgradnb.plot_digits([]), ValueError, 'images must be a non-empty list'),
        Row('plots.plot_digits', 'plot_digits of an image of 63 pixels', lambda: microgradnb.plot_digits([[0.0] * 63]), ValueError,
            'images[0] must be a list of 64 pixel values'),
        Row('plots.plot_digits', 'plot_digits of an image with a nan pixel', lambda: microgradnb.plot_digits([[0.0] * 63 + [NAN]]), ValueError,
            'images[0][63] must be a finite number'),
        Row('plots.plot_digits', 'plot_digits of an image with a pixel "a"', lambda: microgradnb.plot_digits([['a'] * 64]), TypeError,
            'images[0][0] must be a real number, got str'),
        Row('plots.plot_digits', 'plot_digits with 2 titles for 1 image', lambda: microgradnb.plot_digits([img], titles=['a', 'b']), ValueError,
            'titles must be None or a list of one title per image (1)'),
        Row('plots.plot_digits', 'plot_digits(..., ncols=0)', lambda: microgradnb.plot_digits([img], ncols=0), ValueError, 'ncols must be positive'),
        Row('plots.plot_digits', 'plot_digits of 1001 images', lambda: microgradnb.plot_digits([img] * 1001), ValueError, 'at most 1000 images'),
    ]



def _diverge_in_batches(short_row=False):
    "A three-class network trained on minibatches with a learning rate far too large; or a good one, and one row too short"
    import random
    rng = random.Random(0)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(24)]
    y = [int(a > 0) + int(b > 0) for a, b in X]
    if short_row: X[-1] = [0.5]  # met in a later batch, after some steps
    model = net(2, (5, 3))
    microgradnb.fit(model, X, y, microgradnb.cross_entropy, microgradnb.SGD(model.parameters(), lr=0.1 if short_row else 1e5), 5,
                    progress=False, batch_size=4, seed=0)


def _data_rows():
    "make_spiral, load_digits, train_test_split, and the spiral chapter"
    import types
    from collections import UserDict
    m = microgradnb
    if not hasattr(m, 'make_spiral'): return []
    rows = [
        Row('datasets.make_spiral', 'make_spiral(1)', lambda: m.make_spiral(1), ValueError, 'n_per_class must be at least 2'),
        Row('datasets.make_spiral', 'make_spiral("a")', lambda: m.make_spiral('a'), TypeError, 'n_per_class must be an int, got str'),
        Row('datasets.make_spiral', 'make_spiral(10, classes=1)', lambda: m.make_spiral(10, classes=1), ValueError, 'classes must be at least 2'),
        Row('datasets.make_spiral', 'make_spiral(10, classes=3.0)', lambda: m.make_spiral(10, classes=3.0), TypeError, 'classes must be an int, got float'),
        Row('datasets.make_spiral', 'make_spiral(10**4, classes=10**3)', lambda: m.make_spiral(10**4, classes=10**3), ValueError,
            'n_per_class * classes must be at most 1000000 points'),
        Row('datasets.make_spiral', 'make_spiral(10**400)', lambda: m.make_spiral(10**400), ValueError, 'n_per_class must be at most 1000000, got an int of about 10**400'),
        Row('datasets.make_spiral', 'make_spiral(10, noise=nan)', lambda: m.make_spiral(10, noise=NAN), ValueError, 'noise must be finite'),
        Row('datasets.make_spiral', 'make_spiral(10, noise=-1)', lambda: m.make_spiral(10, noise=-1), ValueError, 'noise must be finite and >= 0'),
        Row('datasets.make_spiral', 'make_spiral(100, noise=1e308, seed=0)', lambda: m.make_spiral(100, noise=1e308, seed=0), ValueError, 'noise=1e+308 is too large'),
        Row('datasets.make_spiral', 'make_spiral(10, seed="x")', lambda: m.make_spiral(10, seed='x'), TypeError, 'seed must be an int'),
        Row('datasets.load_digits', 'load_digits(10)', lambda: m.load_digits(10), TypeError, 'takes 0 positional arguments'),
        Row('datasets.load_digits', 'load_digits() with its data file deleted', lambda: _digits_from(None), FileNotFoundError,
            'the digits data file'),
        Row('datasets.load_digits', 'load_digits() with a data file that is not gzip', lambda: _digits_from(b'not gzip'), OSError, 'is damaged'),
        Row('datasets.load_digits', 'load_digits() with a data file changed by one byte', lambda: _digits_from('one byte'), OSError,
            'is damaged (its contents are not the published data): reinstall microgradnb'),
        Row('datasets.train_test_split', 'train_test_split(X, y[:-1])', lambda: m.train_test_split([[1], [2]], [1]), ValueError,
            'X and y must have the same length, got 2 rows and 1 targets'),
        Row('datasets.train_test_split', 'train_test_split([], [])', lambda: m.train_test_split([], []), ValueError, 'X is empty'),
        Row('datasets.train_test_split', 'train_test_split([[1]], [0])', lambda: m.train_test_split([[1]], [0]), ValueError, 'a split needs at least 2'),
        Row('datasets.train_test_split', 'train_test_split(2 rows, test_size=0.9)', lambda: m.train_test_split([[1], [2]], [0, 1], test_size=0.9),
            ValueError, 'leaves no row for training'),
        Row('datasets.train_test_split', 'train_test_split(2 rows, test_size=2)', lambda: m.train_test_split([[1], [2]], [0, 1], test_size=2),
            ValueError, 'test_size must be at most 1'),
        Row('datasets.train_test_split', 'train_test_split(X, y, test_size=1.5)', lambda: m.train_test_split([[1], [2]], [0, 1], test_size=1.5),
            ValueError, 'test_size must be a fraction in (0, 1)'),
        Row('datasets.train_test_split', 'train_test_split(X, y, test_size=nan)', lambda: m.train_test_split([[1], [2]], [0, 1], test_size=NAN),
            ValueError, 'test_size must be a fraction in (0, 1)'),
        Row('datasets.train_test_split', 'train_test_split(X, y, test_size="0.2")', lambda: m.train_test_split([[1], [2]], [0, 1], test_size='0.2'),
            TypeError, 'test_size must be a real number, got str'),
        Row('datasets.train_test_split', 'train_test_split("abcd", "abcd")', lambda: m.train_test_split('abcd', 'abcd'), TypeError,
            'X must be a list of rows, got str'),
        Row('datasets.train_test_split', 'train_test_split(X, 5)', lambda: m.train_test_split([[1], [2]], 5), TypeError, 'y must be a list of targets, got int'),
        Row('datasets.train_test_split', 'train_test_split of a read-only mapping {0: [1], 1: [2]}: its keys are not rows',
            lambda: m.train_test_split(types.MappingProxyType({0: [1], 1: [2]}), [0, 1]), TypeError, 'X must be a list of rows, got mappingproxy'),
        Row('datasets.train_test_split', 'train_test_split of a UserDict of targets', lambda: m.train_test_split([[1], [2]], UserDict({0: 0, 1: 1})),
            TypeError, 'y must be a list of targets, got UserDict'),
        Row('datasets.train_test_split', 'train_test_split of a table (with columns): it iterates over its column names',
            lambda: m.train_test_split(_Table(), [0, 1, 0, 1]), TypeError, 'X must be a list of rows, got _Table'),
        Row('datasets.train_test_split', 'train_test_split of a sequence whose len and items disagree',
            lambda: m.train_test_split(_LenLies(), [0, 1, 0]), TypeError, 'X must be a list of rows: it has length 3 but gives 0 items'),
        Row('datasets.train_test_split', 'train_test_split(bytearray(b"abc"), y)', lambda: m.train_test_split(bytearray(b'abc'), [0, 1, 0]),
            TypeError, 'X must be a list of rows, got bytearray'),
        Row('datasets.train_test_split', 'train_test_split(X, y, seed=0.5)', lambda: m.train_test_split([[1], [2]], [0, 1], seed=0.5), TypeError,
            'seed must be an int'),
    ]
    if hasattr(m, 'plot_decision_boundary'):  # its form for a model with a score per class
        three = lambda: MLP(2, [4, 3], seed=0)
        rows += [
            Row('plots.plot_decision_boundary', 'three scores, a label 3', lambda: m.plot_decision_boundary(three(), [[0.0, 0.0]], [3], steps=2),
                ValueError, 'y[0] must be a class index from 0 to 2, got 3'),
            Row('plots.plot_decision_boundary', 'three scores, a label 1.0', lambda: m.plot_decision_boundary(three(), [[0.0, 0.0]], [1.0], steps=2),
                TypeError, 'y[0] must be a class index, an int, got float: 1.0'),
            Row('plots.plot_decision_boundary', 'a model that returns a list of one Value',
                lambda: m.plot_decision_boundary(lambda p: [Value(1.0)], [[0.0, 0.0]], [0], steps=2), TypeError,
                'model must return a Value, got a list of 1 Value; or a list of two or more Values'),
            Row('plots.plot_decision_boundary', 'a model that returns a list with a float',
                lambda: m.plot_decision_boundary(lambda p: [Value(1.0), 2.0], [[0.0, 0.0]], [0], steps=2), TypeError,
                'got a list with float at index 1'),
            Row('plots.plot_decision_boundary', 'a model that returns one score here and three there',
                lambda: m.plot_decision_boundary(lambda p: three()(p) if p[0] < 0 else Value(p[0]), [[0.0, 0.0]], [0], steps=2), ValueError,
                'model must return as many scores at every point, got one Value and 3 scores'),
        ]
    if hasattr(m, 'train_spiral'):
        rows += [
            Row('spiral.train_spiral', 'train_spiral(act="x")', lambda: m.train_spiral(act='x'), ValueError, "act must be one of"),
            Row('spiral.train_spiral', 'train_spiral(epochs=0)', lambda: m.train_spiral(epochs=0), ValueError, 'epochs must be positive'),
            Row('spiral.train_spiral', 'train_spiral(epochs=2.5)', lambda: m.train_spiral(epochs=2.5), TypeError, 'epochs must be an int, got float'),
            Row('spiral.train_spiral', 'train_spiral(lr=-1)', lambda: m.train_spiral(lr=-1), ValueError, 'lr must be positive and finite'),
            Row('spiral.train_spiral', 'train_spiral(lr=nan)', lambda: m.train_spiral(lr=NAN), ValueError, 'lr must be positive and finite'),
            Row('spiral.train_spiral', 'train_spiral(lr="0.05")', lambda: m.train_spiral(lr='0.05'), TypeError, 'lr must be a real number, got str'),
            Row('spiral.train_spiral', 'train_spiral(seed="x")', lambda: m.train_spiral(seed='x'), TypeError, 'seed must be an int'),
            Row('spiral.train_spiral', 'train_spiral(data_seed=1.5)', lambda: m.train_spiral(data_seed=1.5), TypeError, 'seed must be an int'),
            Row('spiral.train_spiral', 'train_spiral(lr=1e4): diverges', lambda: m.train_spiral(lr=1e4), m.TrainingDiverged, 'training diverged at epoch 1'),
        ]
    return rows


class _Table:
    "A stand-in for a data frame: four rows long, but iterating gives its two column names"
    columns = ('a', 'b')
    def __len__(self): return 4
    def __getitem__(self, key): return [0, 1, 2, 3]
    def __iter__(self): return iter(self.columns)


class _LenLies:
    "A sequence that says it has 3 items and gives none"
    def __len__(self): return 3
    def __getitem__(self, i): raise IndexError(i)


def _digits_from(content):
    "load_digits() reading a data file with `content` (bytes; 'one byte': the real one with one byte changed; None: no file)"
    import gzip, tempfile
    from pathlib import Path
    import microgradnb.datasets as datasets
    good = datasets._DIGITS_FILE
    if content == 'one byte': content = gzip.compress(gzip.decompress(good.read_bytes()).replace(b',16,', b',15,', 1))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / 'digits.csv.gz'
        if content is not None: path.write_bytes(content)
        datasets._DIGITS_FILE = path
        try: return microgradnb.load_digits()
        finally: datasets._DIGITS_FILE = good


def _perf_rows():
    "the speed-ups of the nn chapter (a layer reads its inputs once)"
    def relu_net(change):
        "A ReLU MLP(2, [3, 1]) after `change(its second neuron)`: its call goes through the layer's `_weighted_sum`"
        m = MLP(2, [3, 1], act='relu', seed=0)
        change(m.layers[0].neurons[1])
        return m

    def set_item(xs, i, v): xs[i] = v

    rows = [
        Row('nn.MLP', 'a ReLU MLP, a weight replaced by 3.0', lambda: relu_net(lambda n: set_item(n.w, 0, 3.0))([1.0, 2.0]),
            TypeError, 'linear: ws[0] must be a Value (a weight has a gradient), got float: 3.0'),
        Row('nn.MLP', 'a ReLU MLP, a weight appended to a neuron', lambda: relu_net(lambda n: n.w.append(Value(1.0)))([1.0, 2.0]),
            ValueError, 'linear needs as many weights as inputs, got 3 weights and 2 inputs'),
        Row('nn.MLP', 'a ReLU MLP, a bias set to "x"', lambda: relu_net(lambda n: setattr(n, 'b', 'x'))([1.0, 2.0]), TypeError,
            'linear: b must be a Value, a number or None, got str'),
        Row('nn.MLP', 'a ReLU MLP, a weight list set to None', lambda: relu_net(lambda n: setattr(n, 'w', None))([1.0, 2.0]), TypeError,
            'linear: ws must be a list or other iterable'),
        Row('nn.MLP', 'a ReLU MLP whose sum overflows', lambda: relu_net(lambda n: set_item(n.w, 0, Value(1e308)))([10.0, 0.0]),
            OverflowError, 'linear overflows a float'),
        Row('nn.Layer', 'a ReLU Layer of weights 1.0 given Values of 1e308', lambda: _ones_relu_layer()([Value(1e308), Value(1e308)]),
            OverflowError, 'linear overflows a float'),
        Row('nn.MLP', 'a 64-input ReLU MLP given a row with a nan', lambda: MLP(64, [2], act='relu', seed=0)([0.0] * 63 + [NAN]), ValueError,
            'input element 63 must be a finite number, got nan'),
        Row('backward.Value.backward', 'backward of a ReLU MLP after a weight was assigned',
            lambda: _stale_mlp_output().backward(), RuntimeError, 'the graph is out of date'),
        Row('backward.Value.backward', 'backward through a ReLU MLP whose gradient overflows',
            lambda: (relu_net(lambda n: None)([1.0, 2.0]) * 1e-300 * 1e300 * 1e300).backward(), OverflowError,
            'the gradient at a * node overflowed a float (inf)'),
    ]
    return rows


def _ones_relu_layer():
    "A ReLU Layer(2, 1) whose weights are 1.0"
    layer = Layer(2, 1, act='relu', seed=0)
    for w in layer.neurons[0].w: w.val = 1.0
    return layer


def _stale_mlp_output():
    "The output of a ReLU MLP for a row of numbers, one of whose weights was then assigned a new number"
    m = MLP(2, [3, 1], act='relu', seed=0)
    out = m([1.0, 2.0])
    m.layers[0].neurons[1].w[0].val = 0.5
    return out


ALL_ROWS = ROWS + _optional_rows() + _multiclass_rows() + _data_rows() + _perf_rows()
