"""The benchmark, which lives beside the package in `bench/` (run as `python -m bench`) and is not installed with it.

- its trainers compute what the engines compute: every engine gives micrograd's losses and gradients, to a relative
  1e-12, and the compiled step the eager engine's, bit for bit;
- its timing loops run and measure what they say: micrograd's loop with each engine in processes of its own;
- `benchmark(quick=True)` runs, and its command ends as the package's commands do: every error (a wrong option, a full
  disk, a failure in the harness, Ctrl-C) is one line on stderr with exit status 1, 2 or 130, never a traceback;
- every public function and class of the benchmark refuses hostile input with a clear message (rows as in
  `hostile_cases.py`, whose table covers the package).
"""
import inspect
import math
import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `bench` is a folder of the repository, beside the package

import bench.harness as h
import bench.run as r
from hostile_cases import CLIError, Row, cli
from microgradnb import Value, topological_order

REL = 1e-12


def same(a, b): return len(a) == len(b) and all(math.isclose(u, v, rel_tol=REL, abs_tol=1e-300) for u, v in zip(a, b))
def bits(xs): return [x.hex() for x in xs]


# ---- the trainers compute what the engines compute ----

def test_every_moons_trainer_gives_the_same_first_step():
    "All engines start from moons_problem's weights, so after a step they hold the same gradients"
    pytest.importorskip('micrograd'); pytest.importorskip('torch')
    X, y, w = h.moons_problem(10)
    trainers = [T(X, y, w) for T in (h.MicrogradTrainer, h.TorchScalarTrainer, h.NBTrainer, h.NBLoopTrainer, h.CompiledTrainer)]
    losses = [t.step(0) for t in trainers]
    grads = [t.grads() for t in trainers]
    assert all(same(g, grads[0]) for g in grads) and same(losses, [losses[0]] * len(losses))
    assert len(grads[0]) == 337


def test_training_matches_micrograd_step_by_step():
    "The library's loop (NBTrainer) gives micrograd's losses, gradients and accuracy"
    pytest.importorskip('micrograd')
    X, y, weights = h.moons_problem(30)
    mg, nb = h.MicrogradTrainer(X, y, weights), h.NBTrainer(X, y, weights)
    for k in range(3):
        assert math.isclose(mg.step(k), nb.step(k), rel_tol=REL)
        assert same(mg.grads(), nb.grads())
    assert mg.accuracy() == nb.accuracy()


def test_microgradnb_in_micrograds_loop_gives_micrograds_losses():
    pytest.importorskip('micrograd')
    X, y, w = h.moons_problem(20)
    mg, nb = h.MicrogradTrainer(X, y, w), h.NBLoopTrainer(X, y, w)
    assert h.NBLoopTrainer.step is h.MicrogradTrainer.step  # the very same loop
    for k in range(3):
        assert math.isclose(mg.step(k), nb.step(k), rel_tol=REL)
        assert same(mg.grads(), nb.grads())


def test_the_compiled_loop_gives_the_eager_engines_bits():
    "CompiledTrainer compiles the loss of micrograd's loop: every loss and gradient is the eager engine's, bit for bit"
    X, y, w = h.moons_problem(20)
    eager, compiled = h.NBLoopTrainer(X, y, w), h.CompiledTrainer(X, y, w)
    assert h.CompiledTrainer._loss is h.MicrogradTrainer._loss  # the very same loss
    for k in range(4):  # the first call traces, the later ones replay
        assert bits([eager.step(k)]) == bits([compiled.step(k)])
        assert bits(eager.grads()) == bits(compiled.grads())
    assert compiled.compiled.programs, 'the loss was never compiled: every step ran eagerly'
    assert eager.accuracy() == compiled.accuracy()


def test_the_digits_trainers_agree():
    pytest.importorskip('micrograd')
    res = h.time_digits(rows=2, rounds=1)
    assert set(res['step']) == {'micrograd', 'microgradnb'}
    assert same(res['grads']['micrograd'], res['grads']['microgradnb'])
    assert math.isclose(res['losses']['micrograd'], res['losses']['microgradnb'], rel_tol=REL)


def test_the_large_graph_and_the_chain():
    leaves, root = h.product_sum_graph(Value, 5)
    assert len([v for v in topological_order(root) if v._children]) == 2 * 5 - 1 and root._op == '+'
    x, out = h.chain(Value, 2000)
    h.backward_at_default_limit(out)
    assert x.grad == 2000.0


# ---- the timing loops ----

def test_time_moons_takes_turns_and_trains_the_last_engine_on():
    pytest.importorskip('micrograd')
    res = h.time_moons(n=10, rounds=1, block=2, steps=4)
    assert set(res['step']) == {'micrograd', 'microgradnb'} and all(t > 0 for t in res['step'].values())
    assert same(res['losses']['micrograd'], res['losses']['microgradnb']) and 0 <= res['accuracy'] <= 1


def test_time_in_own_processes_runs_each_engine_apart():
    pytest.importorskip('micrograd')
    res = h.time_in_own_processes(n=10, rounds=1, steps=2)
    assert set(res['step']) == {'micrograd', 'microgradnb', 'compiled'} and len(res['rounds']) == 1 and res['ratio'] > 0
    assert same(res['losses']['micrograd'], res['losses']['microgradnb'])
    assert bits(res['losses']['microgradnb']) == bits(res['losses']['compiled'])


def test_benchmark_quick_runs():
    pytest.importorskip('micrograd'); pytest.importorskip('torch')
    rows = r.benchmark(quick=True)
    assert {what.split(':')[0] for what, *_ in rows} >= {'moons step', 'moons step, compiled, the same processes',
                                                          'build per node', 'memory per node', 'backward per node'}
    assert all(met for what, value, goal, met in rows if what.startswith(('same', 'compiled: the same')))
    compiled = [what for what, *_ in rows if what.startswith('moons step, compiled')]
    assert len(compiled) == 2 and 'micrograd' in compiled[0] and 'eager microgradnb' in compiled[1]


# ---- the command ----

TIMEOUT = 120  # a run refused before its timing starts ends in a second; this stops one that would go on for hours


def _bench(*args, code=None, redirect='', **kwargs):
    "`python -m bench ARGS` (or `python -c CODE`) from the repository's top folder, with the shell redirection `redirect`"
    cmd = [sys.executable, '-c', code] if code else [sys.executable, '-m', 'bench', *args]
    if redirect: cmd = ['sh', '-c', f'{shlex.join(cmd)} {redirect}']
    kwargs = {'capture_output': True, **kwargs} if 'stdout' not in kwargs else kwargs
    return subprocess.run(cmd, cwd=ROOT, text=True, timeout=TIMEOUT, **kwargs)


def _with_benchmark(body, argv=('--quick',)):
    "Code that runs the command's `main(argv)` with `benchmark` replaced by a function of the one line `body`: a run without the timings"
    return (f"import sys, time, bench.run as r\ndef fake(*args, **kwargs): {body}\n"
            f"r.benchmark = fake\nsys.exit(r.main({list(argv)!r}))")


ROWS_OUT = "return [('a measure', 1.0, '>= 1', True)] * 2000"  # a table larger than a pipe holds


def one_error(done, status, message=None):
    "Check that the command ended with `status` and one line on stderr, `python -m bench: error: ...` (that `message`)"
    lines = done.stderr.splitlines()
    assert done.returncode == status and len(lines) == 1 and lines[0].startswith('python -m bench: error: '), (done.returncode, done.stderr)
    if message is not None: assert lines[0] == f'python -m bench: error: {message}'


def test_the_benchmark_says_when_micrograd_is_missing():
    "With micrograd hidden, `main` prints one line saying how to install it and returns 2"
    done = _bench(code="import sys; sys.modules['micrograd'] = None; from bench.run import main; sys.exit(main([]))")
    one_error(done, 2, 'the benchmark compares microgradnb with micrograd 0.1.0, which is not installed: pip install micrograd==0.1.0')


@pytest.mark.parametrize('args, message', [
    (['--processes', '0'], '--processes must be positive, got 0'),
    (['--rounds', '0'], '--rounds must be positive, got 0'),
    (['--rounds', 'abc'], "argument --rounds: invalid int value: 'abc' (see python -m bench --help)"),
    (['--bogus'], 'unrecognized arguments: --bogus (see python -m bench --help)'),
    (['--processes='], "argument --processes: invalid int value: '' (see python -m bench --help)"),
    (['--block', '1'], '--block must be at least 2, got 1'),  # a turn of one step has no step to time
])
def test_a_wrong_option_is_one_line_and_status_2(args, message):
    done = _bench(*args)
    assert done.stdout == ''
    one_error(done, 2, message)


def test_a_wrong_option_prints_nothing_on_stdout_when_stderr_is_closed():
    done = _bench('--bogus', redirect='2>&-')
    assert done.returncode == 2 and done.stdout == '' and done.stderr == ''


@pytest.mark.parametrize('args, given', [
    (['--quick', '--rounds', '2'], '--rounds'),
    (['--block', '3', '--quick'], '--block'),
    (['--quick', '--digit-rounds', '1', '--processes', '1'], '--digit-rounds, --processes'),  # even --quick's own sizes
])
def test_quick_takes_no_sizes(args, given):
    "--quick runs its own sizes: given sizes too, it refuses the command rather than drop them"
    done = _bench(*args)
    assert done.stdout == ''
    one_error(done, 2, f'--quick runs its own small sizes and takes no {given}: leave out {given}, or --quick')


@pytest.mark.parametrize('option, most', [('--rounds', 10), ('--block', 10), ('--digit-rounds', 10), ('--processes', 10)])
def test_every_size_has_a_most(option, most):
    "One more than the most, or a size with no end, is refused at once, before any timing; --help gives the range"
    for n in (most + 1, 10**26):
        done = _bench(option, str(n))
        assert done.stdout == ''
        one_error(done, 2, f'{option} must be at most {most}, got {n}')
    helps = {a.option_strings[0]: a.help for a in r._parser()._actions}
    assert f'to {most} (default' in helps[option]


def test_a_failure_in_the_harness_is_one_line_and_status_1():
    done = _bench(code=_with_benchmark("raise RuntimeError('the process timing micrograd failed: no message')", []))
    assert done.stdout == ''
    one_error(done, 1, 'RuntimeError: the process timing micrograd failed: no message')


def test_a_full_disk_is_one_line_and_status_1():
    if not os.path.exists('/dev/full'): pytest.skip('no /dev/full here')
    with open('/dev/full', 'w') as full: done = _bench(code=_with_benchmark(ROWS_OUT), stdout=full, stderr=subprocess.PIPE)
    one_error(done, 1, 'could not write the output: No space left on device')


def test_a_reader_that_has_gone_ends_it_quietly_with_status_1():
    "As in `python -m bench | head -1`: the pipe's reader has gone before the table is printed"
    p = subprocess.Popen([sys.executable, '-c', _with_benchmark(ROWS_OUT)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    p.stdout.close()
    err = p.communicate(timeout=TIMEOUT)[1]
    assert p.returncode == 1 and err == '', (p.returncode, err)


def test_a_closed_stdout_is_one_line_and_status_1():
    "With no standard output (`>&-`) the results could go nowhere: the command refuses to run"
    one_error(_bench('--quick', redirect='>&-'), 1, 'standard output is closed: there is nowhere to print the results')


def _interrupted(code, delay):
    "Run `code`, send it SIGINT (Ctrl-C) `delay` seconds after it prints 'started' on stderr; what it did then"
    p = subprocess.Popen([sys.executable, '-c', code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stderr.readline() == 'started\n'
    time.sleep(delay)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=TIMEOUT)
    return subprocess.CompletedProcess(p.args, p.returncode, out, err)


def test_ctrl_c_during_the_run_is_one_line_and_status_130():
    done = _interrupted(_with_benchmark("print('started', file=sys.stderr, flush=True); time.sleep(60)"), 0.1)
    assert done.stdout == ''
    one_error(done, 130, 'interrupted')


def test_ctrl_c_as_the_command_starts_is_one_line_and_status_130():
    "Ctrl-C while `python -m bench --quick` imports the benchmark and the package, or just after"
    pytest.importorskip('micrograd'); pytest.importorskip('torch')
    code = ("import runpy, sys; sys.argv = ['bench', '--quick']; print('started', file=sys.stderr, flush=True); "
            "runpy.run_module('bench', run_name='__main__', alter_sys=True)")  # what `python -m bench --quick` does
    done = _interrupted(code, 0.05)
    one_error(done, 130, 'interrupted')


def test_a_process_of_the_harness_stopped_by_ctrl_c_stops_the_run(monkeypatch):
    "Ctrl-C reaches the harness's own processes too: one stopped by it stops the run, as Ctrl-C does, not as a failure"
    monkeypatch.setattr(h.subprocess, 'run', lambda cmd, **kw: subprocess.CompletedProcess(cmd, -signal.SIGINT, '', ''))
    with pytest.raises(KeyboardInterrupt): h._run_alone('micrograd', 10, 2)


# ---- hostile input: every public function and class of the benchmark refuses it clearly ----

X, y, w = h.moons_problem(10)
XD, TD, WD = h.digits_problem(2)
X4, Y4, W4 = h.moons_problem(4)

ROWS = [
    Row('harness.moons_problem', 'moons_problem(0)', lambda: h.moons_problem(0), ValueError, 'n_samples must be at least 2'),
    Row('harness.moons_problem', 'moons_problem("a")', lambda: h.moons_problem('a'), TypeError, 'n_samples must be an int'),
    Row('harness.MoonsTrainer', 'MoonsTrainer(X, y, w): the base class', lambda: h.MoonsTrainer(X, y, w), NotImplementedError, 'setup'),
    Row('harness.MoonsTrainer.setup', 'MoonsTrainer.setup on the base class', lambda: h.MoonsTrainer.setup(None, w),
        NotImplementedError, 'setup'),
    Row('harness.MoonsTrainer.step', 'MoonsTrainer.step on the base class', lambda: h.MoonsTrainer.step(None, 0),
        NotImplementedError, 'step'),
    *[row for T in (h.NBTrainer, h.MicrogradTrainer, h.TorchScalarTrainer, h.NBLoopTrainer, h.CompiledTrainer) for row in [
        Row(f'harness.{T.__name__}', f'{T.__name__}(X, y, []): no weights', lambda T=T: T(X, y, []), ValueError,
            'weights must have layers of 16, 16 and 1 neurons'),
        Row(f'harness.{T.__name__}.setup', f'{T.__name__}(...).setup(None)', lambda T=T: T(X, y, w).setup(None), TypeError,
            'weights must be a list of layers'),
        Row(f'harness.{T.__name__}.step', f'{T.__name__}(...).step("a")', lambda T=T: T(X, y, w).step('a'), TypeError,
            'k (the step index) must be an int'),
        Row(f'harness.{T.__name__}.step', f'{T.__name__}(...).step(-1)', lambda T=T: T(X, y, w).step(-1), ValueError,
            'must be at least 0'),
    ]],
    Row('harness.TorchScalarTrainer.score', 'TorchScalarTrainer(...).score([1.0]): one number for two inputs',
        lambda: h.TorchScalarTrainer(X, y, w).score([1.0]), ValueError, 'got length 1'),
    Row('harness.time_moons', 'time_moons(engines=[])', lambda: h.time_moons(engines=[]), ValueError, 'engines must name at least one'),
    Row('harness.time_moons', 'time_moons(engines=[Value])', lambda: h.time_moons(engines=[Value]), TypeError,
        'engines must be MoonsTrainer classes'),
    Row('harness.time_moons', 'time_moons(rounds=0)', lambda: h.time_moons(rounds=0), ValueError, 'rounds must be positive'),
    Row('harness.time_moons', 'time_moons(block=1): no step left to time', lambda: h.time_moons(block=1), ValueError,
        'block must be at least 2'),
    Row('harness.product_sum_graph', 'product_sum_graph(Value, 0)', lambda: h.product_sum_graph(Value, 0), ValueError,
        'n_products must be positive'),
    Row('harness.graph_costs', 'graph_costs(Value, 0)', lambda: h.graph_costs(Value, 0), ValueError, 'n_products must be positive'),
    Row('harness.chain', 'chain(Value, "a")', lambda: h.chain(Value, 'a'), TypeError, 'n must be an int'),
    Row('harness.backward_at_default_limit', 'backward_at_default_limit(2.0)', lambda: h.backward_at_default_limit(2.0),
        TypeError, 'root must be a Value'),
    Row('harness.depth_costs', 'depth_costs(sizes=[0])', lambda: h.depth_costs(sizes=[0]), ValueError, 'sizes[0] must be positive'),
    Row('harness.depth_costs', 'depth_costs(sizes=[])', lambda: h.depth_costs(sizes=[]), ValueError, 'sizes must hold at least one'),
    Row('harness.digits_problem', 'digits_problem(0)', lambda: h.digits_problem(0), ValueError, 'rows must be positive, got 0'),
    Row('harness.digits_problem', 'digits_problem(5000): more rows than images', lambda: h.digits_problem(5000), ValueError,
        'rows must be at most 1797'),
    Row('harness.digits_problem', 'digits_problem("a")', lambda: h.digits_problem('a'), TypeError, 'rows must be an int'),
    Row('harness.digits_problem', 'digits_problem(seed=1.5)', lambda: h.digits_problem(seed=1.5), TypeError, 'seed must be an int'),
    Row('harness.DigitsTrainer', 'DigitsTrainer(X, T, W): the base class', lambda: h.DigitsTrainer(XD, TD, WD), NotImplementedError,
        'subclass defines setup(weights)'),
    Row('harness.DigitsTrainer.setup', 'DigitsTrainer.setup on the base class', lambda: h.DigitsTrainer.setup(None, WD),
        NotImplementedError, 'setup'),
    *[row for D in (h.NBDigits, h.MicrogradDigits) for row in [
        Row(f'harness.{D.__name__}', f'{D.__name__}(X, T, []): no weights', lambda D=D: D(XD, TD, []), ValueError,
            'weights must have layers of 32 and 10 neurons'),
        Row(f'harness.{D.__name__}.setup', f'{D.__name__}(...).setup(None)', lambda D=D: D(XD, TD, WD).setup(None), TypeError,
            'weights must be a list of layers'),
    ]],
    Row('harness.time_digits', 'time_digits(engines=[])', lambda: h.time_digits(engines=[]), ValueError, 'engines'),
    Row('harness.time_digits', 'time_digits(engines=[NBTrainer]): a moons trainer', lambda: h.time_digits(engines=[h.NBTrainer]),
        TypeError, 'engines must be DigitsTrainer classes'),
    Row('harness.time_digits', 'time_digits(block=1): no step left to time', lambda: h.time_digits(block=1), ValueError,
        'block must be at least 2'),
    Row('harness.time_alone', "time_alone('torch'): not an engine of micrograd's loop", lambda: h.time_alone('torch'), ValueError,
        "engine must be one of ['compiled', 'micrograd', 'microgradnb'], got 'torch'"),
    Row('harness.time_alone', 'time_alone(steps=1): no step left to time', lambda: h.time_alone('microgradnb', steps=1), ValueError,
        'steps must be at least 2'),
    Row('harness.time_in_own_processes', 'time_in_own_processes(rounds=0)', lambda: h.time_in_own_processes(rounds=0), ValueError,
        'rounds must be positive'),
    Row('harness.time_in_own_processes', 'time_in_own_processes(n="a")', lambda: h.time_in_own_processes(n='a'), TypeError,
        'n must be an int'),
    Row('harness.time_in_own_processes', 'time_in_own_processes(steps=1)', lambda: h.time_in_own_processes(steps=1), ValueError,
        'steps must be at least 2'),
    Row('run.benchmark', 'benchmark(quick=True, rounds="a")', lambda: r.benchmark(quick=True, rounds='a'), TypeError,
        'rounds must be an int'),
    Row('run.benchmark', 'benchmark(quick=True, digit_rounds=0)', lambda: r.benchmark(quick=True, digit_rounds=0), ValueError,
        'digit_rounds must be positive'),
    Row('run.benchmark', 'benchmark(block=11)', lambda: r.benchmark(block=11), ValueError, 'block must be at most 10, got 11'),
    Row('run.benchmark', 'benchmark(quick=True, rounds=2): quick runs its own sizes', lambda: r.benchmark(quick=True, rounds=2),
        ValueError, 'quick=True runs its own small sizes and takes no rounds'),
    Row('run.format_table', 'format_table(None)', lambda: r.format_table(None), TypeError, 'rows must be a list'),
    Row('run.main', "main('--quick'): a str, not a list", lambda: r.main('--quick'), TypeError, 'argv must be a list of arguments'),
    Row('run.main', 'python -m bench --bogus', lambda: cli(r.main, ['--bogus']), CLIError, 'unrecognized arguments: --bogus'),
    Row('run.main', 'python -m bench --rounds 0', lambda: cli(r.main, ['--rounds', '0']), CLIError, '--rounds must be positive, got 0'),
]


@pytest.mark.parametrize('row', [pytest.param(row, id=f'{row.name}: {row.did}') for row in ROWS])
def test_hostile_input(row): row.check()


def public_names():
    "The benchmark's public functions and classes that take arguments, and the public methods of its classes that do"
    res = set()
    for mod in (h, r):
        short = mod.__name__.split('.')[-1]
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.signature(obj).parameters: res.add(f'{short}.{name}')
            if not isinstance(obj, type): continue
            for meth in dir(obj):  # its own methods and those it inherits from the benchmark's classes
                fn = getattr(obj, meth)
                if meth.startswith('_') or not callable(fn) or not fn.__module__.startswith('bench.'): continue
                if len(inspect.signature(fn).parameters) > 1: res.add(f'{short}.{name}.{meth}')
    return res


def test_every_public_name_of_the_benchmark_has_a_hostile_row():
    covered = {row.name for row in ROWS}
    assert not sorted(public_names() - covered), f'no hostile-input row for {sorted(public_names() - covered)}'
    assert not sorted(covered - public_names()), f'rows naming no public name of the benchmark: {sorted(covered - public_names())}'
