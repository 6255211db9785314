"""`microgradnb.compile` against the eager engine: the same bits, or the same error."""
import math, random, sys, warnings

import pytest

from microgradnb import (Value, MLP, vsum, linear, constant, cross_entropy, softmax, log_softmax, make_moons, make_spiral,
                         load_digits, compile, CompiledStep, TraceError)

_compile = sys.modules['microgradnb.compile']


def hexes(xs): return [x.hex() if isinstance(x, float) else repr(x) for x in xs]


def flat(out):
    "The floats of a step's output, depth first"
    if isinstance(out, float): return [out]
    if isinstance(out, (list, tuple)): return [x for o in out for x in flat(o)]
    return []


def outcome(f):
    "('ok', result) or ('err', type, message)"
    try: return ('ok', f())
    except Exception as e: return ('err', type(e).__name__, str(e))


# --- random programs over every operation -------------------------------------------------------------------------

UNARY = ['exp', 'log', 'tanh', 'relu', 'sigmoid', 'softplus', 'neg']
BINARY = ['+', '-', '*', '/', 'pow_value']


def random_spec(rng, n_in, n_par, n_ops):
    "A program: a list of (op, operand indices, numbers); pool index i < n_in + n_par is an argument or a parameter"
    spec, size = [], n_in + n_par
    for _ in range(n_ops):
        kind = rng.random()
        pick = lambda: rng.randrange(size)
        if kind < 0.3: spec.append((rng.choice(UNARY), (pick(),), ()))
        elif kind < 0.6: spec.append((rng.choice(BINARY), (pick(), pick()), ()))
        elif kind < 0.7: spec.append(('pow_number', (pick(),), (rng.choice([2, 3, 0.5, -1, 0, 1, 2.5, -2]),)))
        elif kind < 0.75: spec.append(('pow_base', (pick(),), (rng.choice([2.0, 0.5, 3.0, 0.0, -2.0]),)))
        elif kind < 0.8: spec.append(('const_mix', (pick(),), (rng.choice([1.5, -0.25, 0.0, -0.0]),)))
        elif kind < 0.87: spec.append(('vsum', tuple(pick() for _ in range(rng.randint(1, 4))), ()))
        elif kind < 0.94:
            k = rng.randint(1, 4)
            spec.append(('linear', tuple(rng.randrange(n_in, size) if n_par else pick() for _ in range(k)) + tuple(pick() for _ in range(k)),
                         (rng.choice(['none', 'value', 'number', 'xnum']),)))
        else: spec.append(('softmax', tuple(pick() for _ in range(rng.randint(1, 4))), (rng.choice(['ce', 'sm', 'ls']),)))
        size += 1
    return spec


def build(spec, params):
    "The function the spec describes: it returns the last node, then every node (work nobody uses is not compiled)"
    def fn(xs):
        pool = list(xs) + list(params)
        for op, ix, nums in spec:
            a = [pool[i] for i in ix]
            if op == 'neg': r = -a[0]
            elif op in UNARY: r = getattr(a[0], op)()
            elif op == '+': r = a[0] + a[1]
            elif op == '-': r = a[0] - a[1]
            elif op == '*': r = a[0] * a[1]
            elif op == '/': r = a[0] / a[1]
            elif op == 'pow_value': r = a[0] ** a[1]
            elif op == 'pow_number': r = a[0] ** nums[0]
            elif op == 'pow_base': r = nums[0] ** a[0]
            elif op == 'const_mix': r = a[0] * constant(nums[0]) + nums[0]
            elif op == 'vsum': r = vsum(a)
            elif op == 'linear':
                k = len(a) // 2
                ws, xs_ = a[:k], a[k:]
                if nums[0] == 'xnum': xs_ = xs_[:-1] + [0.75]
                r = linear(ws, xs_, {'none': None, 'value': a[0], 'number': -1.25, 'xnum': None}[nums[0]])
            else:
                if nums[0] == 'ce': r = cross_entropy([a], [len(a) - 1])
                elif nums[0] == 'sm': r = softmax(a)[0]
                else: r = log_softmax(a)[-1]
            pool.append(r)
        return pool[-1], pool[len(xs) + len(params):]
    return fn


def compare(spec, n_in, n_par, rng, calls=4):
    "Run the spec compiled and eagerly on the same numbers, several calls; assert the same bits or the same error"
    start = [rng.uniform(-2, 2) for _ in range(n_par)]
    pc, pe = [Value(v) for v in start], [Value(v) for v in start]
    step, eager = compile(build(spec, pc), pc), CompiledStep(build(spec, pe), pe).eager
    for call in range(calls):
        xs = [rng.choice([rng.uniform(-3, 3), rng.uniform(-800, 800), 0.0, 1.0, -0.0]) for _ in range(n_in)]
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            c = outcome(lambda: step(xs))
        e = outcome(lambda: eager(xs))
        if e[0] == 'err' and c[0] == 'ok' and 'at a leaf node overflowed' in e[2]: return  # an argument's gradient: documented
        assert c[0] == e[0], (spec, xs, c, e)
        if c[0] == 'err': assert c[1:] == e[1:], (spec, xs, c, e); return  # the grads are half-accumulated: stop here
        assert hexes(flat(c[1])) == hexes(flat(e[1])), (spec, xs)
        assert hexes([p.grad for p in pc]) == hexes([p.grad for p in pe]), (spec, xs)
        for p, q in zip(pc, pe): p.val, q.val = p.val * 0.9 + 0.05, q.val * 0.9 + 0.05


@pytest.mark.parametrize('seed', range(60))
def test_random_programs_match_eager(seed):
    rng = random.Random(seed)
    n_in, n_par = rng.randint(1, 3), rng.randint(1, 3)
    compare(random_spec(rng, n_in, n_par, rng.randint(3, 14)), n_in, n_par, rng)


def test_every_operation_is_compiled():
    "No operation of the engine falls back to eager"
    rng = random.Random(7)
    ops = set()
    for seed in range(40):
        r = random.Random(seed)
        spec = random_spec(r, 2, 2, 12)
        ps = [Value(0.3), Value(0.7)]
        step = compile(build(spec, ps), ps)
        with warnings.catch_warnings():
            warnings.simplefilter('error')  # "no code for the operation" would fail here
            outcome(lambda: step([0.4, 0.9]))
        ops |= {op for op, _, _ in spec}
    assert ops >= set(UNARY + BINARY + ['pow_number', 'pow_base', 'vsum', 'linear', 'softmax'])


@pytest.mark.parametrize('n', [0, 1, 2, 99, 100, 101, 250, 3500])
def test_long_sums_compile_to_the_engines_bits(n):
    """linear and vsum of n terms: a chain of + cut into lines of _CHAIN terms (one expression of a few thousand + does
    not compile), with the eager engine's numbers and gradients, bit for bit; numbers among the inputs and a -0.0 included"""
    rng = random.Random(n)
    ws = [Value(rng.uniform(-1, 1)) for _ in range(n)]
    b = Value(-0.0)
    def fn(xs):
        inputs = [x if i % 3 else 0.25 * i for i, x in enumerate(xs)]  # every third input a number: a constant child
        return linear(ws, inputs, b) * vsum(xs + [-0.0]), vsum(ws)
    xs = [rng.uniform(-1e3, 1e3) for _ in range(n)]
    step = compile(fn, ws + [b])
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a disagreement with eager, or code that does not compile, would warn
        got = [step(xs) for _ in range(2)]
    grads = [p.grad for p in ws + [b]]
    for p in ws + [b]: p.grad = 0.0
    want = [CompiledStep(fn, ws + [b]).eager(xs) for _ in range(2)]
    assert [hexes(flat(g)) for g in got] == [hexes(flat(w)) for w in want]
    assert hexes(grads) == hexes([p.grad for p in ws + [b]])
    sums = [l for l in step._last.source.split('\n') if l.lstrip().startswith('v')]
    assert max(l.count(' + ') for l in sums) <= _compile._CHAIN  # no line adds more than _CHAIN terms


def test_a_partial_sum_that_overflows_raises_the_engines_error():
    "Left to right, 1e308 + 1e308 overflows before -1e308 comes: the compiled step raises what the engine raises"
    w = Value(1.0)
    step = compile(lambda xs: linear([w, w, w], xs), [w])
    assert step([1.0, 2.0, -3.0]) == 0.0
    with pytest.raises(OverflowError, match='linear overflows a float'): step([1e308, 1e308, -1e308])
    assert step([1e308, -1e308, 1e308]) == 1e308  # in this order no partial sum overflows


def test_code_cpython_cannot_compile_runs_eagerly_with_a_warning():
    "Arguments or outputs nested beyond CPython's 200 parentheses: a warning naming why, then the eager engine's answers"
    w = Value(1.0)
    def innermost(a):
        while isinstance(a, list): a = a[0]
        return a
    deep = 3.0
    for _ in range(250): deep = [deep]
    step = compile(lambda a: innermost(a) * w, [w])
    with pytest.warns(UserWarning, match=r'cannot compile .*\(too many nested parentheses\)'): assert step(deep) == 3.0
    assert step(deep) == 3.0 and w.grad == 6.0  # kept eager for that shape, gradients accumulating as backward's do
    def nest(v):
        for _ in range(250): v = [v]
        return v
    step = compile(lambda x: nest(x * w), [w])
    with pytest.warns(UserWarning, match='cannot compile'): assert innermost(step(2.0)) == 2.0


def test_a_negative_constant_base_keeps_its_sign():
    "-3.0 ** 2 is -(3.0 ** 2) in Python: a negative literal is written in parentheses, so the step compiles and agrees with eager"
    w = Value(1.5)
    fn = lambda x: w * Value(-3.0) ** 2 + x * Value(-2.0) ** 3
    step = compile(fn, [w])
    with warnings.catch_warnings():
        warnings.simplefilter('error')  # a disagreement with eager would warn and leave the shape eager
        assert step(1.0) == 1.5 * 9.0 - 8.0
    assert not isinstance(step.programs[(None,)], str) and '(-3.0) ** 2' in step.programs[(None,)].source
    assert w.grad == 9.0


# --- training: 100 steps, compiled and eager, bit for bit -----------------------------------------------------------

def train(problem, compiled, steps=100):
    "Train with micrograd's plain loop; the losses and final parameters as hex strings"
    if problem == 'moons':
        X, y = make_moons(100, noise=0.1, seed=1)
        X, y = [list(map(float, r)) for r in X], [2 * int(t) - 1 for t in y]
        model = MLP(2, [16, 16, 1], act='relu', seed=1337)
        def fn(X, y):
            scores = [model(x) for x in X]
            losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
            return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum((p * p for p in model.parameters())), scores
        lr = lambda k: 1.0 - 0.9 * k / 100
    elif problem == 'spiral':
        X, y = make_spiral(20, 3, seed=0)
        X = [list(map(float, r)) for r in X]
        model = MLP(2, [16, 3], act='relu', seed=0)
        def fn(X, _):  # the classes stay numbers, read from the closure: cross_entropy needs them as ints
            logits = [model(x) for x in X]
            return cross_entropy(logits, y), [row[0] for row in logits]
        lr = lambda k: 0.1
    else:
        X, y = load_digits()
        X, y = [[v / 16 for v in r] for r in X[:32]], [int(t) for t in y[:32]]
        model = MLP(64, [32, 10], act='tanh', seed=0)
        def fn(X, y):
            scores = [model(x) for x in X]
            return vsum([(s - (1.0 if j == t else 0.0))**2 for row, t in zip(scores, y) for j, s in enumerate(row)]) / len(X), scores
        lr = lambda k: 0.05
    params = model.parameters()
    step = compile(fn, params) if compiled else CompiledStep(fn, params).eager
    losses = []
    for k in range(steps):
        model.zero_grad()
        total, _ = step(X, y)
        losses.append(total.hex())
        for p in params: p.data -= lr(k) * p.grad
    return losses, [p.val.hex() for p in params]


@pytest.mark.parametrize('problem', ['moons', 'spiral', 'digits'])
def test_training_is_identical(problem):
    assert train(problem, True) == train(problem, False)


# --- the guards --------------------------------------------------------------------------------------------------------

def test_reading_a_number_is_refused_naming_the_line():
    def fn(x): return x if x.val > 0 else x * 0.0
    with pytest.raises(TraceError, match=r'test_compile\.py, line \d+'): compile(fn, [])(1.0)
    def fn2(x): return x * (2.0 if x.data > 0 else 3.0)
    with pytest.raises(TraceError, match='fn reads the number'): compile(fn2, [])(1.0)


def test_reading_through_the_library_is_refused_too():
    m = MLP(1, [1], seed=0)
    def fn(x): return m([x]) * m.state()[0]
    with pytest.raises(TraceError, match=r"through microgradnb's state"): compile(fn, m.parameters())(1.0)


def test_reads_are_allowed_again_after_the_trace():
    w = Value(2.0)
    step = compile(lambda x: x * w, [w])
    step(1.0)
    assert w.val == 2.0 and Value(3.0).data == 3.0


def test_another_shape_traces_again_and_every_trace_is_kept():
    w = Value(0.5)
    step = compile(lambda xs: vsum([x * w for x in xs]), [w])
    assert step([1.0, 2.0]) == 1.5
    assert step([1.0, 2.0, 3.0]) == 3.0
    assert step([4.0, 2.0]) == 3.0 and len(step.programs) == 2
    assert step([1, 2, 3]) == 3.0  # ints become floats, as Value() makes them


def test_nested_shapes():
    w = Value(1.5)
    step = compile(lambda a, b: (a[0][1] * w + b, [a[1] * w]), [w])
    assert step([[1.0, 2.0], 3.0], 4.0) == (7.0, [4.5])
    assert step(([0.0, -2.0], 1.0), 0.5) == (-2.5, [1.5])
    with pytest.raises(TypeError, match='must be numbers'): step('ab', 1.0)


def test_overflow_raises_the_eager_error():
    w = Value(1.0)
    step = compile(lambda x: (x * w).exp(), [w])
    assert step(1.0) == math.e
    g = w.grad
    with pytest.raises(OverflowError, match=r'exp\(1000\.0\) overflows a float'): step(1000.0)
    with pytest.raises(ValueError, match='finite'): step(math.inf)
    with pytest.raises(TypeError, match='bool'): step(True)
    big = compile(lambda x: x * w * 1e300, [w])
    big(1.0)
    with pytest.raises(OverflowError, match='overflows a float'): big(1e10)
    div = compile(lambda x: w / x, [w])
    div(2.0)
    with pytest.raises(ZeroDivisionError, match=r'division by zero: 1\.0 / 0\.0'): div(0.0)
    log = compile(lambda x: (x * w).log(), [w])
    log(2.0)
    with pytest.raises(ValueError, match='log is defined only for positive numbers'): log(-1.0)


def test_a_hidden_infinity_is_caught():
    "relu, tanh and sigmoid would turn -inf into a finite number: the step still raises as eager does"
    w = Value(1e300)
    for act in ('relu', 'tanh', 'sigmoid'):
        step = compile(lambda x, a=act: getattr(x * w * -1e10, a)() + w * 0.0, [w])
        with pytest.raises(OverflowError): step(1.0)


def test_gradients_accumulate_as_backward_does():
    w, b = Value(0.3), Value(-0.1)
    step = compile(lambda x: (x * w + b).tanh(), [w, b])
    w2, b2 = Value(0.3), Value(-0.1)
    for x in (0.5, 1.5, -2.0):
        step(x)
        (Value(x) * w2 + b2).tanh().backward()
        assert (w.grad.hex(), b.grad.hex()) == (w2.grad.hex(), b2.grad.hex())
    w.grad = b.grad = w2.grad = b2.grad = 7  # an int set by hand, as micrograd's zero_grad does with 0
    step(0.25); (Value(0.25) * w2 + b2).tanh().backward()
    assert (w.grad.hex(), b.grad.hex()) == (w2.grad.hex(), b2.grad.hex())


def test_negative_zero_gradients_keep_their_sign():
    w = Value(0.0)
    step = compile(lambda x: x * w, [w])
    w.grad = -0.0
    step(-0.0)
    w2 = Value(0.0); w2.grad = -0.0
    (Value(-0.0) * w2).backward()
    assert w.grad.hex() == w2.grad.hex()


def test_a_grad_of_none_keeps_the_eager_behaviour():
    w = Value(2.0)
    step = compile(lambda x: x * w, [w])
    step(1.0)
    w.grad = None  # a constant, for backward
    assert step(3.0) == 6.0 and w.grad is None


def test_a_constant_made_outside_fn_is_read_on_every_call():
    c, w = constant(2.0), Value(1.0)
    step = compile(lambda x: x * w * c, [w])
    assert step(1.0) == 2.0
    c.val = 3.0
    assert step(1.0) == 3.0


def test_a_leaf_not_in_params_still_gets_its_gradient():
    w, v = Value(2.0), Value(3.0)
    step = compile(lambda x: x * w * v, [w])
    step(1.0); step(1.0)
    assert v.grad == 4.0 and w.grad == 6.0


def test_a_node_computed_outside_fn_is_refused():
    w = Value(2.0)
    h = w * 3
    with pytest.raises(TraceError, match='computed before'): compile(lambda x: x * h, [w])(1.0)


def test_vsum_numbers_are_constants_the_step_replays():
    "vsum's numbers are constant children of its node, so the step compiles them: no disagreement with eager, no warning"
    w = Value(1.0)
    step = compile(lambda x: vsum([x * w, 1e-20]), [w])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        assert step(1e-20) == step(1e-20) == vsum([Value(1e-20) * w, 1e-20]).val


def test_an_unknown_operation_names_itself_and_runs_eagerly():
    w = Value(2.0)
    def fn(x):
        y = x * w
        return Value(0.0, (y,), 'mystery', lambda out: None) + y
    step = compile(fn, [w])
    with pytest.warns(UserWarning, match="no code for the operation 'mystery'"): assert step(1.0) == 2.0
    assert step(2.0) == 4.0 and w.grad == 3.0


def test_outputs_keep_their_structure():
    w = Value(2.0)
    step = compile(lambda x: {'loss': x * w, 'parts': (x, [w, 'note'])}, [w])
    assert step(3.0) == {'loss': 6.0, 'parts': (3.0, [2.0, 'note'])}
    assert step(1.0) == {'loss': 2.0, 'parts': (1.0, [2.0, 'note'])}


def test_bad_params():
    with pytest.raises(TypeError, match='params must be a list'): compile(lambda x: x, Value(1.0))
    with pytest.raises(ValueError, match='must be leaves'): compile(lambda x: x, [Value(1.0) * 2])
    with pytest.raises(TypeError, match='fn must be a function'): compile(3, [])


def test_the_package_never_calls_the_builtin_compile_by_name():
    import builtins, microgradnb
    assert microgradnb.compile is compile and compile is not builtins.compile
    assert 'builtins.compile(' in open(_compile.__file__).read()


def test_numbers_in_a_vsum_are_replayed():
    "vsum once folded its numbers into its node, and the compiled step dropped them"
    from microgradnb import compile, vsum
    w = Value(1.0)
    step = compile(lambda x: vsum([w * x, -1.0]).relu(), [w])
    step(-1.0)
    assert step(2.0) == 1.0
    w2 = Value(1.0)
    step2 = compile(lambda x: vsum([w2 * x, 1e-20]), [w2])
    step2(1.0)
    assert step2(0.0) == 1e-20


def test_only_plain_containers_are_returned():
    "An OrderedDict came back stale, a namedtuple crashed: both are refused by name"
    from collections import OrderedDict, namedtuple
    from microgradnb import compile
    w = Value(2.0)
    with pytest.raises(TypeError, match='got OrderedDict'): compile(lambda x: OrderedDict(loss=w * x), [w])(1.0)
    P = namedtuple('P', 'a b')
    with pytest.raises(TypeError, match='got P'): compile(lambda x: P(w * x, w + x), [w])(1.0)


def test_a_read_in_another_thread_is_not_refused():
    import threading, time
    from microgradnb import compile
    w, seen = Value(2.0), []
    step = compile(lambda x: (time.sleep(0.2), w * x)[1], [w])
    t = threading.Thread(target=lambda: (time.sleep(0.05), seen.append(Value(3.0).val)))
    t.start(); step(1.0); t.join()
    assert seen == [3.0]


def test_arguments_are_checked_as_value_checks_them_after_the_trace():
    from fractions import Fraction
    from microgradnb import compile
    w = Value(2.0)
    step = compile(lambda x: w * x, [w])
    step(1.0)
    with pytest.raises(ValueError, match='too small for a float'): step(Fraction(1, 10**400))
    with pytest.raises(ValueError, match='too large for a float'): step(10**400)


# --- blocks: the rules a gradient of 0.0 would send nothing through are skipped ----------------------------------------

def gated_spec(rng, n_in, n_par, n_ops):
    "A larger program in which relu often cuts a gradient off: blocks, nested blocks, and nodes read inside and outside them"
    spec, size = [], n_in + n_par
    for _ in range(n_ops):
        pick = lambda: rng.randrange(max(0, size - 8), size) if rng.random() < 0.7 else rng.randrange(size)  # mostly recent nodes
        kind = rng.random()
        if kind < 0.3: spec.append(('relu', (pick(),), ()))
        elif kind < 0.65: spec.append((rng.choice(['+', '-', '*']), (pick(), pick()), ()))
        elif kind < 0.8: spec.append((rng.choice(['tanh', 'sigmoid', 'neg', 'exp']), (pick(),), ()))
        elif kind < 0.9:
            k = rng.randint(2, 5)
            spec.append(('linear', tuple(pick() for _ in range(2 * k)), ('value',)))
        else: spec.append(('vsum', tuple(pick() for _ in range(rng.randint(2, 5))), ()))
        size += 1
    return spec


@pytest.mark.parametrize('seed', range(40))
def test_blocks_match_eager(seed):
    rng = random.Random(1000 + seed)
    n_in, n_par = rng.randint(1, 3), rng.randint(2, 4)
    compare(gated_spec(rng, n_in, n_par, rng.randint(25, 60)), n_in, n_par, rng, calls=6)


def test_blocks_are_written():
    "The gated programs above do make blocks, nested ones too (else the test before this one would test little)"
    depths = []
    for seed in range(40):
        rng = random.Random(1000 + seed)
        n_in, n_par = rng.randint(1, 3), rng.randint(2, 4)
        spec = gated_spec(rng, n_in, n_par, rng.randint(25, 60))
        ps = [Value(0.5) for _ in range(n_par)]
        step = compile(build(spec, ps), ps)
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            outcome(lambda: step([0.5] * n_in))  # a program that overflows keeps no code: its blocks are not counted
        for prog in step.programs.values():
            if not isinstance(prog, str):
                depths += [len(l) - len(l.lstrip()) for l in prog.source.split('\n') if l.lstrip().startswith('if a')]
    assert len(depths) > 100 and max(depths) >= 12, (len(depths), max(depths, default=0))


@pytest.mark.parametrize('first', [True, False])
def test_a_gradient_read_outside_its_block_is_set_before_it(first):
    "h is sent a term inside the relu's block and another outside it: skipping the block must still leave h's gradient right"
    w = [Value(v) for v in (0.5, -1.0, 2.0, 0.25, -0.75)]
    w2 = [Value(p.val) for p in w]
    def make(w):
        def f(x):
            h = x * w[0] + w[1]
            branch = ((h * w[2] + w[3]) * h - w[4]).tanh() * (h + w[4])
            gated = (branch * w[2]).relu()
            other = h * w[3]
            return gated + other if first else other + gated
        return f
    step, eager = compile(make(w), w), CompiledStep(make(w2), w2).eager
    for x in (3.0, -3.0, 0.5, -0.5, 0.0, 1.7, -1.7):
        assert step(x).hex() == eager(x).hex(), x
        assert hexes([p.grad for p in w]) == hexes([p.grad for p in w2]), x
    src = next(iter(step.programs.values())).source
    assert 'if a' in src


def test_a_negative_zero_gradient_runs_eagerly_where_a_block_would_skip():
    "A parameter gradient of -0.0 and a gradient of 0.0 that skips its block: the step gives the eager engine's bits"
    w = [Value(v) for v in (1.0, -2.0, 0.5, 0.25)]
    w2 = [Value(p.val) for p in w]
    def make(w): return lambda x: ((x * w[0] + w[1]).relu() * w[2] + (x * w[3]).relu() * w[2]).relu() * w[3]
    step, eager = compile(make(w), w), CompiledStep(make(w2), w2).eager
    step(5.0); eager(5.0)
    for x in (-5.0, 5.0, -1.0):
        for p, q in zip(w, w2): p.grad, q.grad = -0.0, -0.0
        assert step(x).hex() == eager(x).hex()
        assert hexes([p.grad for p in w]) == hexes([p.grad for p in w2]), x


# --- fit(compile=True) ----------------------------------------------------------------------------------------------

from microgradnb import fit, SGD, Adam, mse_loss, hinge_loss, xor_data, train_moons, train_spiral, TrainingDiverged, l2_penalty


def bits(hist, model):
    "A run's history and weights, as the bits of every float"
    return {k: hexes(v) for k, v in hist.items()}, hexes([p.val for p in model.parameters()])


def both(make, **kw):
    "fit eagerly and compiled from the same start: (outcome, bits) of each"
    runs = []
    for compiled in (False, True):
        model, xs, ys, loss_fn, opt = make()
        out = outcome(lambda: fit(model, xs, ys, loss_fn, opt(model), progress=False, compile=compiled, **kw))
        runs.append((out if out[0] == 'err' else ('ok',), bits(out[1], model) if out[0] == 'ok' else hexes([p.val for p in model.parameters()])))
    return runs


def test_fit_compiled_gives_the_same_bits():
    xs, ys = xor_data()
    xor = lambda: (MLP(2, [4, 1], act='tanh', seed=3), xs, ys, mse_loss, lambda m: SGD(m.parameters(), lr=0.3, momentum=0.5))
    a, b = both(xor, epochs=60, metrics=dict(acc=lambda p, y: sum((q.val > 0.5) == (t > 0.5) for q, t in zip(p, y)) / len(y)))
    assert a == b
    X, y = make_spiral(30, classes=3, noise=0.2, seed=2)
    spiral = lambda: (MLP(2, [8, 3], act='relu', seed=1), X, y, cross_entropy, lambda m: Adam(m.parameters(), lr=0.02))
    a, b = both(spiral, epochs=25, schedule=lambda e: 0.02 / (1 + e), penalty=lambda m: 1e-3 * l2_penalty(m.parameters()))
    assert a == b and a[0] == ('ok',)


@pytest.mark.parametrize('task', [train_moons, train_spiral])
def test_the_training_commands_runs_are_the_same_compiled(task):
    e, c = task(epochs=20, seed=2), task(epochs=20, seed=2, compile=True)
    assert bits(e.history, e.model) == bits(c.history, c.model)
    assert hexes(list(e.final.values())) == hexes(list(c.final.values()))


def test_fit_compiled_diverges_as_eager_does():
    xs, ys = xor_data()
    wild = lambda: (MLP(2, [4, 1], act='relu', seed=0), xs, ys, mse_loss, lambda m: SGD(m.parameters(), lr=1e3))
    a, b = both(wild, epochs=50)
    assert a[0][0] == 'err' and a == b, (a[0], b[0])
    huge = lambda: (MLP(2, [4, 1], act='relu', seed=0), [[x * 1e200 for x in r] for r in xs], ys, mse_loss, lambda m: SGD(m.parameters(), lr=0.1))
    a, b = both(huge, epochs=3)  # the loss overflows: the same error, raised where the eager engine raises it
    assert a[0][0] == 'err' and a == b, (a[0], b[0])


def test_fit_compile_refusals():
    xs, ys = xor_data()
    m = MLP(2, [2, 1], seed=0)
    with pytest.raises(ValueError, match='compile=True trains on full batches only'):
        fit(m, xs, ys, mse_loss, SGD(m.parameters(), lr=0.1), 2, batch_size=2, compile=True, progress=False)
    with pytest.raises(TypeError, match='compile must be True or False'):
        fit(m, xs, ys, mse_loss, SGD(m.parameters(), lr=0.1), 2, compile=1, progress=False)
    branchy = lambda x: m(x) if m(x).val > 0 else m(x) * 2  # a branch on a number: the trace refuses it, naming the line
    with pytest.raises(TraceError, match='reads the number of a Value'):
        fit(branchy, xs, ys, mse_loss, SGD(m.parameters(), lr=0.1), 2, compile=True, progress=False)


def test_a_division_in_a_block_keeps_the_engines_overflow():
    "a / b sends a / b**2 * g to b: inf * 0.0 is nan, the engine's error, so no block skips a division"
    w = Value(1.0)
    def fn(x): return (((1.0 / w) * 2.0 * 3.0) * x).relu()
    step = compile(fn, [w])
    step(1.0)
    w.val, w.grad = 1e-200, 0.0
    assert outcome(lambda: step(-1.0))[:2] == outcome(lambda: fn(Value(-1.0)).backward())[:2] == ('err', 'OverflowError')


def test_fit_compiled_keeps_gradients_on_ctrl_c_and_of_parameters_outside_the_optimiser():
    xs, ys = xor_data()
    runs = []
    for compiled in (False, True):
        m = MLP(2, [3, 1], act='tanh', seed=4)
        ps = m.parameters()
        fit(m, xs, ys, mse_loss, SGD(ps[:-4], lr=0.2), 20, progress=False, compile=compiled)  # the output neuron is not trained
        runs.append(hexes([p.grad for p in ps] + [p.val for p in ps]))
    assert runs[0] == runs[1]
    for compiled in (False, True):  # Ctrl-C in the first forward pass (compiled: in the trace, after the step zeroed the gradients)
        m = MLP(2, [3, 1], act='tanh', seed=4)
        for p in m.parameters(): p.grad = 0.25
        def stop(preds, ys): raise KeyboardInterrupt
        with pytest.raises(KeyboardInterrupt):
            fit(m, xs, ys, stop, SGD(m.parameters(), lr=0.1), 5, progress=False, compile=compiled)
        assert [p.grad for p in m.parameters()] == [0.25] * len(m.parameters()), compiled
