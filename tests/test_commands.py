"""Every installed command, given bad input, fails with one readable line and no traceback.

The commands are the console scripts of pyproject.toml's `[project.scripts]`. Each must have its list of bad inputs in
`BAD` (a guard test fails when a new command has none). Each input is run as a user would run it: the installed script,
in a new process, in a fresh folder that holds one regular file, `notes.txt`. It must exit with status 1 (a problem met
while running) or 2 (a bad command line), print exactly one non-empty line, short (on stderr, or else on stdout), and never
show a `Traceback` or a Value's repr. `GOOD` lists inputs that once failed and must now work, and `RUNS` one input that
works for each command, used to check what it does when the program reading its output stops early.

Also here: the checks a command makes before training, which need a special setting to see: no Graphviz on the PATH,
no matplotlib, a read-only folder; and Ctrl-C in the middle of training.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 300  # seconds for one run; the slowest bad input trains two moons until it diverges


def scripts():
    "The console scripts that pyproject.toml declares, as {name: 'module:function'}"
    text = (ROOT/'pyproject.toml').read_text()
    section = re.search(r'^\[project\.scripts\]\n(.*?)(?=^\[|\Z)', text, re.M | re.S).group(1)
    return dict(re.findall(r'^([\w.-]+)\s*=\s*"([^"]+)"', section, re.M))


def script_path(name):
    "The installed script `name`: next to this Python, as in a virtual environment, else found on the PATH"
    p = Path(sys.executable).parent/name
    found = str(p) if p.exists() else shutil.which(name)
    if found is None: pytest.fail(f'the command {name} is not installed: run pip install -e .')
    return found


BAD = {
    'microgradnb-train': [
        [], ['spirals'], ['XOR'], ['xor', 'moons'], ['--epochs'], ['xor', '--epochs'],
        ['xor', '--bogus'], ['xor', '--pdb'], ['xor', '--xtra', 'epochs=5'],
        ['xor', '--epochs', 'ten'], ['xor', '--epochs', '0'], ['xor', '--epochs', '-5'], ['xor', '--epochs', '2.5'],
        ['xor', '--epochs', '1' + '0' * 30],
        ['xor', '--lr', 'abc'], ['xor', '--lr', '0'], ['xor', '--lr', '-1'], ['xor', '--lr', 'nan'],
        ['xor', '--lr', 'inf'], ['xor', '--lr', '1e400'],
        ['xor', '--act', 'gelu'], ['xor', '--act', 'None'], ['xor', '--act', ''], ['moons', '--act', 'TANH'],
        ['xor', '--seed', '-3'], ['xor', '--seed', '1.5'], ['xor', '--seed', 'x'],
        ['xor', '--out', 'notes.txt'], ['xor', '--out', 'notes.txt/pics'], ['moons', '--out', 'notes.txt/a/b'],
        ['xor', '--out', 'x' * 300],
        ['xor', '--lr', '2'],     # diverges: it ended in an OverflowError traceback
        ['moons', '--lr', '10'],  # diverges: it exited 0 with a loss of 2.6e9 and "accuracy 50%"
        ['spiral', '--lr', '0'], ['spiral', '--epochs', '-1'], ['spiral', '--act', 'softmax'], ['spiral', '--out', 'notes.txt'],
        ['digits', '--epochs', '0'], ['digits', '--lr', 'nan'], ['digits', '--seed', '-1'], ['digits', '--out', 'notes.txt/pics'],
        ['digits', '--lr', '1e6'],  # diverges in its first steps
        ['digits', '--epochs', '1000000'], ['spiral', '--epochs', '50001'],  # within the old cap of a million: a run of days
        ['xor', '--epochs', '9' * 100_000], ['xor', '--out', 'a' * 100_000],  # the error line quoted the whole value
        ['xor', '--ep', '5'], ['xor', '--epochs', '5', '--epochs', '6'],  # an abbreviation read as --epochs; the first value dropped
        ['moons', '--lr', '5e-324'], ['digits', '--lr', '5e-324', '--epochs', '3'],  # a rate that decays to 0.0
    ],
    'microgradnb-grad': [
        [], [''], ['x+', 'x=1'], ['x +* y', 'x=1', 'y=2'], ['1e400'], ["__import__('os')"], ['x.real', 'x=1'],
        ['foo(x)', 'x=1'],
        ['x*y', 'x=1'], ['x', 'x=1', 'z=2'], ['x', 'x=1', 'x=2'], ['x', 'x'], ['x', '=1'],
        ['x', 'x=a'], ['x', 'x=nan'], ['x', 'x=inf'], ['x', 'x=1e400'], ['x', 'x=' + '9' * 400],
        ['log(x)', 'x=0'], ['1/x', 'x=0'], ['x**y', 'x=0', 'y=-1'], ['exp(x)', 'x=1000'], ['x**0.5', 'x=-1'],
        ['x', 'x=1', '--bogus'], ['x', 'x=1', '--pdb'], ['x', 'x=1', '--svg'],
        ['x', 'x=1', '--svg', 'notes.txt/g.svg'], ['x', 'x=1', '--svg', 'missing/g.svg'], ['x', 'x=1', '--svg', '.'],
        ['x', 'x=1', '--svg', 'g.png'],  # it wrote SVG into a .png file
        ['x', 'x=1', '--svg', 'a' * 300 + '.svg'],  # "could not write the output: File name too long"
        ['x\udcff', 'x=1'],  # $'x\xff': "'utf-8' codec can't encode character '\udcff'"
        ['x', 'x=1', '--svg', 'a.svg', '--svg', 'b.svg'],  # the first --svg dropped
    ],
}

GOOD = {  # inputs that once failed; each must work now: exit status 0, no traceback
    'microgradnb-grad': [
        ['-x*y', 'x=1', 'y=2'],          # a leading minus was read as an option
        ['\N{MICRO SIGN}*2', '\N{MICRO SIGN}=3'],  # Python reads the micro sign as the Greek mu: so must the assignment
        [' + '.join(['x'] * 3000), 'x=1'],  # a long flat sum was refused as "nested too deeply"
        ['(' * 1000 + 'x' + ')' * 1000, 'x=1'],  # refused by Python's parser: the calculator's own reader takes it
    ],
}


RUNS = {  # one input that works, for each command: to see what it does when its reader goes away
    'microgradnb-train': ['xor', '--epochs', '1', '--out', 'pics'],
    'microgradnb-grad': ['x*y', 'x=1', 'y=2'],
}


def _run(name, args, cwd, env=None):
    "Run the command `name` with `args` in `cwd`; return (exit status, stdout, stderr, seconds)"
    start = time.perf_counter()
    res = subprocess.run([script_path(name), *args], capture_output=True, text=True, cwd=cwd, env=env,
                         stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    return res.returncode, res.stdout, res.stderr, time.perf_counter() - start


def _case_id(name, args):
    short = [a if len(a) < 40 else f'{a[:20]}...({len(a)} chars)' for a in args]
    shown = [repr(a) if not a or ' ' in a else a for a in short]
    return ' '.join([name, *shown] if args else [name, '(no arguments)'])


@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    "Every case of BAD and GOOD, run at once (a few at a time), each in a fresh folder holding a regular file notes.txt"
    cases = [(n, a) for table in (BAD, GOOD) for n, argss in table.items() for a in argss]
    tmp_path_factory.getbasetemp()  # made here, once: threads that each make it at once collide (FileExistsError)
    def one(i):
        cwd = tmp_path_factory.mktemp(f'case{i}')
        (cwd/'notes.txt').write_text('not a folder\n')
        return _run(*cases[i], cwd)
    with ThreadPoolExecutor(max_workers=min(8, 2 * (os.cpu_count() or 1))) as ex:
        results = list(ex.map(one, range(len(cases))))
    return {_case_id(*c): r for c, r in zip(cases, results)}


def assert_one_line_error(code, out, err, what):
    text = err if err.strip() else out
    lines = [l for l in text.splitlines() if l.strip()]
    assert code in (1, 2), f'{what}: exit status {code}, not 1 or 2; printed:\n{out}{err}'
    assert 'Traceback' not in out + err, f'{what}: a traceback:\n{err}'
    assert len(lines) == 1, f'{what}: {len(lines)} lines instead of one:\n{text}'
    assert len(lines[0]) < 400, f'{what}: a line of {len(lines[0]):,} characters: {lines[0][:400]}...'
    assert 'Value(' not in text, f'{what}: the message shows a Value repr: {text}'


@pytest.mark.parametrize('name,args', [pytest.param(n, a, id=_case_id(n, a)) for n, argss in BAD.items() for a in argss])
def test_bad_input_gives_one_line(runs, name, args):
    code, out, err, _ = runs[_case_id(name, args)]
    assert_one_line_error(code, out, err, _case_id(name, args))


@pytest.mark.parametrize('name,args', [pytest.param(n, a, id=_case_id(n, a)) for n, argss in GOOD.items() for a in argss])
def test_input_that_once_failed_works(runs, name, args):
    code, out, err, _ = runs[_case_id(name, args)]
    assert code == 0 and 'Traceback' not in err, f'{_case_id(name, args)}: exit status {code}:\n{err}'


def test_every_command_has_bad_inputs():
    "A command added to pyproject.toml without bad inputs here fails this test; so does a name here that is no command"
    declared = set(scripts())
    assert declared, 'no [project.scripts] found in pyproject.toml'
    assert not declared - set(BAD), f'commands with no bad inputs in BAD: {sorted(declared - set(BAD))}'
    assert not set(BAD) - declared, f'BAD names commands that pyproject.toml does not declare: {sorted(set(BAD) - declared)}'


def test_every_command_has_a_working_input():
    assert set(RUNS) == set(scripts())


@pytest.mark.parametrize('name', sorted(scripts()))
def test_reader_gone(name, tmp_path):
    "Output into a pipe that is already closed, as `microgradnb-train xor | head -1` leaves it: no traceback"
    proc = subprocess.Popen([script_path(name), *RUNS[name]], cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    proc.stdout.close()  # long before the command prints: importing the package alone takes longer
    err = proc.stderr.read()
    proc.wait(timeout=TIMEOUT)
    assert err == '' and proc.returncode in (0, 1), (proc.returncode, err)


@pytest.mark.parametrize('name', sorted(scripts()))
def test_help(name, tmp_path):
    "--help works, and shows no choice that cannot be typed, such as None"
    code, out, err, _ = _run(name, ['--help'], tmp_path)
    assert (code, err) == (0, ''), err
    assert out.startswith('usage:') and 'None' not in out, out


def test_train_xor_graph_shows_the_drawn_outputs_gradients(tmp_path):
    "After 3 epochs training leaves large gradients behind; the graph shows the drawn output's: 0 for weights of x2 = 0"
    code, out, err, _ = _run('microgradnb-train', ['xor', '--epochs', '3', '--out', 'pics'], tmp_path)
    assert code == 0, err
    svg = (tmp_path/'pics'/'graph.svg').read_text()
    grads = [re.search(rf'>L0N{i} w2</text>.*?>grad ([^<]*)</text>', svg, re.S).group(1) for i in range(4)]
    assert grads == ['0'] * 4, grads


def test_train_diverging_says_so(runs):
    for args in (['xor', '--lr', '2'], ['moons', '--lr', '10']):
        code, out, err, _ = runs[_case_id('microgradnb-train', args)]
        assert code == 1 and re.fullmatch(r'microgradnb-train: error: training diverged at epoch \d+: .*; lower the learning rate.*\n',
                                          err), (args, err)


def test_train_without_graphviz(tmp_path):
    "No `dot` on the PATH: the XOR task says how to install Graphviz, before training and before making --out"
    bare = tmp_path/'bin'
    bare.mkdir()
    (bare/'python').symlink_to(sys.executable)  # the PATH has Python, and no Graphviz
    code, out, err, secs = _run('microgradnb-train', ['xor', '--out', 'pics'], tmp_path, env={**os.environ, 'PATH': str(bare)})
    assert_one_line_error(code, out, err, 'no Graphviz')
    assert code == 1 and 'install Graphviz' in err, err
    assert not (tmp_path/'pics').exists()
    # the moons task draws no graph, so it does not need Graphviz
    code, out, err, _ = _run('microgradnb-train', ['moons', '--epochs', '1', '--out', 'pics'], tmp_path,
                             env={**os.environ, 'PATH': str(bare)})
    assert code == 0, err


def test_train_without_matplotlib(tmp_path, monkeypatch, capsys):
    "No matplotlib: one line saying how to install it, exit status 1, before anything is written"
    from microgradnb.cli import train_cli
    monkeypatch.setitem(sys.modules, 'matplotlib', None)  # `import matplotlib` now raises ImportError
    assert train_cli(['moons', '--out', str(tmp_path/'pics')]) == 1
    out, err = capsys.readouterr()
    assert out == '' and err == "microgradnb-train: error: the pictures need matplotlib: pip install 'microgradnb[plot]'\n"
    assert not (tmp_path/'pics').exists()


@pytest.mark.parametrize('task', ['moons', 'spiral'])
def test_train_decision_regions_title_never_rounds_up_to_100(task, monkeypatch):
    "239 right out of 240 is titled 99.6% on the decision regions' picture, not 100%"
    from microgradnb import cli
    train, png, titles = getattr(cli, f'train_{task}'), cli._png, []
    def almost(*args, **kwargs):
        run = train(*args, **kwargs)
        run.final['accuracy'] = 239 / 240
        return run
    def spy(fig):
        titles.append(fig.axes[0].get_title())
        return png(fig)
    monkeypatch.setattr(cli, f'train_{task}', almost)
    monkeypatch.setattr(cli, '_png', spy)
    cli._check_tools(task)  # matplotlib writes files only
    final, files = cli._RUNS[task]('relu', 1, 0.05, 0, progress=False)
    assert list(files) == cli._FILES[task] == ['loss.png', 'decision_boundary.png']
    assert titles[-1].split(', test accuracy')[0] == 'decision regions, training accuracy 99.6%', titles


@pytest.mark.skipif(not hasattr(os, 'geteuid') or os.geteuid() == 0, reason='root can write into a read-only folder')
def test_train_into_a_read_only_folder(tmp_path):
    ro = tmp_path/'ro'
    ro.mkdir()
    ro.chmod(0o500)
    try:
        for out in ('ro', 'ro/pics'):
            code, stdout, err, secs = _run('microgradnb-train', ['xor', '--out', out], tmp_path)
            assert_one_line_error(code, stdout, err, f'--out {out}')
            assert code == 2 and 'Permission denied' in err and secs < 30, err
    finally: ro.chmod(0o700)


def test_train_interrupted(tmp_path):
    "Ctrl-C during training: one line, no traceback"
    proc = subprocess.Popen([script_path('microgradnb-train'), 'moons', '--epochs', '100000', '--out', 'pics'], cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 60
        while not (tmp_path/'pics').exists() and time.time() < deadline: time.sleep(0.05)  # --out is made just before training
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None: proc.kill()
    assert 'Traceback' not in err and err == 'microgradnb-train: error: interrupted\n', err
    assert proc.returncode == 130


# ---- where the output goes: closed, full, unable to show a character; Ctrl-C; the Python API ----

def _run_sh(name, args, redirect, cwd, env=None):
    "Run the command `name` with `args` through sh, its stdout redirected by `redirect` (e.g. '>&-'); return (status, stderr)"
    res = subprocess.run(['sh', '-c', f'"$0" "$@" {redirect}', script_path(name), *args], capture_output=True, text=True,
                         cwd=cwd, env=env, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    return res.returncode, res.stderr


@pytest.mark.parametrize('name', sorted(scripts()))
def test_stdout_closed(name, tmp_path):
    "`microgradnb-grad x x=1 >&-` ended in AttributeError: 'NoneType' object has no attribute 'flush'"
    code, err = _run_sh(name, RUNS[name], '>&-', tmp_path)
    assert_one_line_error(code, '', err, f'{name} >&-')
    assert code == 1 and 'standard output is closed' in err, err


@pytest.mark.skipif(not os.path.exists('/dev/full'), reason='needs /dev/full')
@pytest.mark.parametrize('name', sorted(scripts()))
def test_stdout_full(name, tmp_path):
    "`microgradnb-grad x x=1 >/dev/full` ended in an OSError traceback (Errno 28)"
    code, err = _run_sh(name, RUNS[name], '>/dev/full', tmp_path)
    assert_one_line_error(code, '', err, f'{name} >/dev/full')
    assert code == 1 and 'No space left on device' in err, err


def test_ascii_output_encoding(tmp_path):
    "An output encoding that cannot show a character: the character is escaped, not a UnicodeEncodeError traceback"
    env = {**os.environ, 'PYTHONIOENCODING': 'ascii'}
    code, out, err, _ = _run('microgradnb-grad', ['\N{MICRO SIGN}*2', '\N{MICRO SIGN}=3'], tmp_path, env=env)
    assert (code, err) == (0, ''), err
    assert out.splitlines() == ['\\xb5*2  = 6.0', 'd/d\\xb5 = 2.0'], out
    code, out, err, _ = _run('microgradnb-train', ['xor', '--epochs', '1', '--out', '\N{LATIN SMALL LETTER U WITH DIAERESIS}n'], tmp_path, env=env)
    assert (code, err) == (0, ''), err
    assert 'wrote \\xfcn' in out and (tmp_path/'\N{LATIN SMALL LETTER U WITH DIAERESIS}n'/'loss.png').exists()
    # an error message that cannot be shown is escaped too
    code, out, err, _ = _run('microgradnb-grad', ['\N{MICRO SIGN}.real', '\N{MICRO SIGN}=3'], tmp_path, env=env)
    assert_one_line_error(code, out, err, 'ascii error')
    assert "'\\xb5.real'" in err, err


def test_grad_interrupted(tmp_path):
    "Ctrl-C while a long expression is read and differentiated: one line, exit status 130, no traceback"
    proc = subprocess.Popen([script_path('microgradnb-grad'), '+'.join(['x'] * 49999), 'x=1'], cwd=tmp_path,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)  # importing, reading or differentiating: each is interrupted the same way
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None: proc.kill()
    assert (proc.returncode, out, err) == (130, '', 'microgradnb-grad: error: interrupted\n'), (proc.returncode, err)


def test_python_api_types():
    "Called from Python with arguments of the wrong type, the commands raise a TypeError that names the argument"
    from microgradnb.calc import grad_cli
    from microgradnb.cli import train_cli
    with pytest.raises(TypeError, match=r"assignments\[0\] must be a str such as 'x=2', got int: 5"): grad_cli('x', 5)
    with pytest.raises(TypeError, match=r'svg must be a str .*got int: 5'): grad_cli('x', 'x=1', svg=5)
    with pytest.raises(TypeError, match='the expression must be a str, got int'): grad_cli(5, 'x=1')
    with pytest.raises(TypeError, match=r"argv\[2\] must be a str, got int: 1"): train_cli(['xor', '--epochs', 1])
    with pytest.raises(TypeError, match=r'argv must be a list of arguments'): train_cli(5)


def test_python_api_returns_the_status(capsys):
    "Called from Python, both commands return their exit status; they never raise SystemExit, not even for --help"
    from microgradnb.calc import grad_cli
    from microgradnb.cli import train_cli
    assert train_cli(['bogus']) == 2
    assert capsys.readouterr().err == ("microgradnb-train: error: argument task: invalid choice: 'bogus' (choose from 'xor', 'moons', 'spiral', 'digits') "
                                       "(see microgradnb-train --help)\n")
    assert train_cli(['--help']) == 0 and capsys.readouterr().out.startswith('usage: microgradnb-train')
    assert grad_cli('x+', 'x=1') == 2 and capsys.readouterr().err.startswith('microgradnb-grad: error: not a valid expression')
    assert grad_cli('x', 'x=2') == 0 and capsys.readouterr().out == 'x    = 2.0\nd/dx = 1.0\n'


# ---- the shared plumbing, `run_command` and `command_error` (nbs/09a_commands.ipynb), in this process ----

def test_run_command_statuses():
    "Done, Ctrl-C, and an OSError from the work: each a status, the errors one line each"
    import contextlib, io
    from fastcore.test import test_eq
    from microgradnb._commands import run_command
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        test_eq(run_command('demo', lambda: 0), 0)
        def stopped(): raise KeyboardInterrupt
        test_eq(run_command('demo', stopped), 130)
        def full(): raise OSError(28, 'No space left on device')
        test_eq(run_command('demo', full), 1)
    test_eq(err.getvalue(), 'demo: error: interrupted\ndemo: error: could not write the output: No space left on device\n')


def test_run_command_closed_output_encoding_and_any_exception():
    "No standard output: the work never runs; an encoding that cannot show a character: escaped, the stream left as it was"
    import contextlib, io
    from fastcore.test import test_eq
    from microgradnb._commands import run_command
    # no standard output at all, as with `>&-`: refused before the body runs
    err, ran, saved = io.StringIO(), [], sys.stdout
    with contextlib.redirect_stderr(err):
        sys.stdout = None
        try: status = run_command('demo', lambda: ran.append(1) or 0)
        finally: sys.stdout = saved
    test_eq((status, ran, err.getvalue()), (1, [], 'demo: error: standard output is closed: there is nowhere to print the results\n'))
    # a character the output's encoding cannot show is escaped, and the stream is left as it was
    buf = io.TextIOWrapper(io.BytesIO(), encoding='ascii')
    with contextlib.redirect_stdout(buf): test_eq(run_command('demo', lambda: print('\N{MICRO SIGN}') or 0), 0)
    test_eq((buf.buffer.getvalue(), buf.errors), (b'\\xb5\n', 'strict'))
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()): test_eq(run_command('demo', lambda: 1 / 0), 1)
    assert err.getvalue().endswith('demo: error: ZeroDivisionError: division by zero\n')


def test_run_command_with_a_body_that_is_not_a_function(capsys):
    from microgradnb._commands import run_command
    assert run_command('demo', 5) == 1
    assert capsys.readouterr().err == "demo: error: TypeError: 'int' object is not callable\n"


def test_command_error_is_one_line(capsys):
    from microgradnb._commands import command_error
    assert command_error('demo', 'two\nlines', 2) == 2
    assert capsys.readouterr().err == 'demo: error: two lines\n'


def test_no_module_imports_a_command_for_its_plumbing():
    "The commands share `_commands`; neither imports the other, and no other module imports a command"
    for path in (ROOT/'microgradnb').glob('*.py'):
        text = path.read_text()
        assert not re.search(r'^\s*from \.(cli|calc) import|^\s*import microgradnb\.(cli|calc)', text, re.M) or path.name == '__init__.py', path.name


# ---- the user's files: never written through a link, never left half-written, replaced only with a word ----

def test_train_default_folder_and_replacing(tmp_path):
    "Without --out the pictures go into microgradnb-TASK; a second run replaces them and says `replaced`, not `wrote`"
    code, out, err, _ = _run('microgradnb-train', ['xor', '--epochs', '5'], tmp_path)
    assert code == 0, err
    assert os.listdir(tmp_path) == ['microgradnb-xor'] and out.splitlines()[-2:] == [
        'wrote microgradnb-xor/loss.png', 'wrote microgradnb-xor/graph.svg'], out
    (tmp_path/'microgradnb-xor'/'loss.png').write_text('data')
    (tmp_path/'microgradnb-xor'/'graph.svg').unlink()
    code, out, err, _ = _run('microgradnb-train', ['xor', '--epochs', '5'], tmp_path)
    assert code == 0, err
    assert out.splitlines()[-2:] == ['replaced microgradnb-xor/loss.png', 'wrote microgradnb-xor/graph.svg'], out
    assert (tmp_path/'microgradnb-xor'/'loss.png').read_bytes()[:4] == b'\x89PNG'
    assert sorted(os.listdir(tmp_path/'microgradnb-xor')) == ['graph.svg', 'loss.png']  # no hidden part file is left


@pytest.mark.parametrize('target', ['loss.png', 'graph.svg'])
def test_train_never_writes_through_a_link(tmp_path, target):
    "A link where a picture goes: refused before training, exit 2, and the file it points to is untouched"
    (tmp_path/'important.txt').write_text('keep me')
    (tmp_path/'o').mkdir()
    (tmp_path/'o'/target).symlink_to(Path('..', 'important.txt'))
    code, out, err, _ = _run('microgradnb-train', ['xor', '--epochs', '5', '--out', 'o'], tmp_path)
    assert_one_line_error(code, out, err, f'{target} is a link')
    assert code == 2 and f"{target}' is a symbolic link" in err, err
    assert (tmp_path/'important.txt').read_text() == 'keep me' and (tmp_path/'o'/target).is_symlink()
    assert sorted(os.listdir(tmp_path/'o')) == [target]


def test_train_a_folder_where_a_picture_goes(tmp_path):
    (tmp_path/'o'/'loss.png').mkdir(parents=True)
    code, out, err, _ = _run('microgradnb-train', ['moons', '--epochs', '1', '--out', 'o'], tmp_path)
    assert_one_line_error(code, out, err, 'a folder named loss.png')
    assert code == 2 and "loss.png' is there and is not a regular file" in err, err


def test_write_files_all_or_nothing(tmp_path, monkeypatch):
    "A write that fails half-way (a full disk) or a Ctrl-C while writing: the old pictures stay whole, no part file is left"
    from microgradnb._checks import _write_files
    (tmp_path/'loss.png').write_bytes(b'old loss')
    (tmp_path/'graph.svg').write_bytes(b'old graph')
    real_open, calls = open, []
    def full_on_second(path, mode='r', *args, **kwargs):
        f = real_open(path, mode, *args, **kwargs)
        calls.append(path)
        if len(calls) == 2:
            f.close()
            raise OSError(28, 'No space left on device')
        return f
    monkeypatch.setattr('builtins.open', full_on_second)
    with pytest.raises(OSError, match='No space left'): _write_files({tmp_path/'loss.png': b'new', tmp_path/'graph.svg': b'new'})
    monkeypatch.setattr('builtins.open', real_open)
    assert sorted(os.listdir(tmp_path)) == ['graph.svg', 'loss.png']
    assert (tmp_path/'loss.png').read_bytes() == b'old loss' and (tmp_path/'graph.svg').read_bytes() == b'old graph'

    class Interrupted(dict):  # Ctrl-C after the first picture was written to its part file
        def items(self):
            it = iter(super().items())
            yield next(it)
            raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt): _write_files(Interrupted({tmp_path/'loss.png': b'new', tmp_path/'graph.svg': b'new'}))
    assert sorted(os.listdir(tmp_path)) == ['graph.svg', 'loss.png'] and (tmp_path/'loss.png').read_bytes() == b'old loss'

    _write_files({tmp_path/'loss.png': b'new', tmp_path/'graph.svg': b'new'})
    assert [(tmp_path/f).read_bytes() for f in ('loss.png', 'graph.svg')] == [b'new', b'new']
    assert (tmp_path/'loss.png').stat().st_mode & 0o777 == 0o666 & ~_umask()  # as any new file, not a private 0600


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.skipif(not hasattr(signal, 'pthread_sigmask'), reason='needs POSIX signal masks')
def test_renames_are_not_cut_by_ctrl_c(tmp_path):
    "Ctrl-C while the pictures are renamed into place arrives after the last one: never a set of old and new pictures"
    from microgradnb._checks import _no_interrupt
    done = []
    with pytest.raises(KeyboardInterrupt):
        with _no_interrupt():
            signal.raise_signal(signal.SIGINT)
            done.append('all renamed')
    assert done == ['all renamed']


def test_ctrl_c_while_the_package_imports(tmp_path):
    "Ctrl-C while the command imports the package (its first tenth of a second): one line, status 130, no traceback"
    hook = ("import sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'microgradnb.engine': raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "script = sys.argv[1]\n"
            "sys.argv = sys.argv[1:]\n"
            "exec(compile(open(script).read(), script, 'exec'), {'__name__': '__main__'})\n")
    for name in sorted(scripts()):
        res = subprocess.run([sys.executable, '-c', hook, script_path(name), *RUNS[name]], capture_output=True, text=True,
                             cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
        assert (res.returncode, res.stdout, res.stderr) == (130, '', f'{name}: error: interrupted\n'), (name, res.stderr)


def test_train_epochs_ceiling_is_per_task(runs):
    "The ceiling on --epochs stops a run of days for each task: a million epochs of digits is refused before training"
    code, out, err, secs = runs[_case_id('microgradnb-train', ['digits', '--epochs', '1000000'])]
    assert code == 2 and err == ('microgradnb-train: error: --epochs must be at most 2000 for digits (more would train for hours), '
                                 'got 1000000\n'), err


# ---- found by the second hostile round: the calculator's --svg, renames that fail half-way, replacing decided late ----

def test_grad_svg_never_writes_through_a_link(tmp_path):
    (tmp_path/'secret.txt').write_text('precious')
    (tmp_path/'link.svg').symlink_to('secret.txt')
    (tmp_path/'dangling.svg').symlink_to('nowhere/else.svg')
    for name in ('link.svg', 'dangling.svg'):
        code, out, err, _ = _run('microgradnb-grad', ['x', 'x=1', '--svg', name], tmp_path)
        assert_one_line_error(code, out, err, f'--svg {name}')
        assert code == 2 and 'is a symbolic link' in err, err
    assert (tmp_path/'secret.txt').read_text() == 'precious' and not (tmp_path/'nowhere').exists()


def test_grad_svg_refuses_a_pipe_and_a_folder(tmp_path):
    "A named pipe once made the command wait forever for a reader"
    os.mkfifo(tmp_path/'f.svg')
    (tmp_path/'d.svg').mkdir()
    for name in ('f.svg', 'd.svg'):
        code, out, err, secs = _run('microgradnb-grad', ['x', 'x=1', '--svg', name], tmp_path)
        assert_one_line_error(code, out, err, f'--svg {name}')
        assert code == 2 and 'is not a regular file' in err, err


def test_grad_svg_replaces_whole_or_not_at_all_and_says_so(tmp_path):
    keep = 'important\n' * 500
    (tmp_path/'keep.svg').write_text(keep)
    res = subprocess.run(['sh', '-c', 'ulimit -f 1; exec "$0" "$@"', script_path('microgradnb-grad'), 'x', 'x=1', '--svg', 'keep.svg'],
                         capture_output=True, text=True, cwd=tmp_path, stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    assert_one_line_error(res.returncode, res.stdout, res.stderr, 'a write that fails half-way')
    assert (tmp_path/'keep.svg').read_text() == keep and sorted(os.listdir(tmp_path)) == ['keep.svg']  # old file whole, no part left
    code, out, err, _ = _run('microgradnb-grad', ['x', 'x=1', '--svg', 'keep.svg'], tmp_path)
    assert code == 0 and out.splitlines()[-1] == 'graph written to keep.svg (it replaced the file there)', out
    assert (tmp_path/'keep.svg').read_text().rstrip().endswith('</svg>')


def test_grad_svg_needs_a_name_before_its_extension(tmp_path):
    code, out, err, _ = _run('microgradnb-grad', ['x', 'x=1', '--svg=.svg'], tmp_path)
    assert_one_line_error(code, out, err, '--svg=.svg')
    assert code == 2 and 'ends in .svg' in err, err


def test_a_rename_that_fails_says_which_files_are_new(tmp_path):
    "The second picture cannot take its place: the error names it and the picture already replaced"
    from microgradnb._checks import _write_files
    (tmp_path/'loss.png').write_bytes(b'old')
    (tmp_path/'graph.svg').mkdir()  # os.replace cannot put a file in a folder's place
    with pytest.raises(OSError) as e: _write_files({tmp_path/'loss.png': b'new', tmp_path/'graph.svg': b'new'})
    assert f"({tmp_path/'graph.svg'}); written already: {tmp_path/'loss.png'}" in str(e.value)
    assert sorted(os.listdir(tmp_path)) == ['graph.svg', 'loss.png']  # no part file left


def test_replaced_is_decided_when_the_files_are_renamed(tmp_path):
    "A picture that appears while the command trains is replaced, and said to be"
    from microgradnb._checks import _write_files
    target = tmp_path/'loss.png'
    assert _write_files({target: b'first'}) == []
    assert _write_files({target: b'second'}) == [target]
    assert target.read_bytes() == b'second'


# ---- python -m; --help into a full disk ----

@pytest.mark.parametrize('module,args,status,words', [
    ('microgradnb.cli', ['bogus'], 2, "microgradnb-train: error: argument task: invalid choice: 'bogus'"),
    ('microgradnb.calc', ['x+', 'x=1'], 2, 'microgradnb-grad: error: not a valid expression'),
    ('microgradnb.calc', ['x*y', 'x=1', 'y=2'], 0, 'x*y  = 2.0\nd/dx = 2.0\nd/dy = 1.0\n'),
])
@pytest.mark.parametrize('warnings', [[], ['-W', 'error']])
def test_python_m_runs_the_command(module, args, status, words, warnings, tmp_path):
    "`python -m microgradnb.cli bogus` printed Python's RuntimeWarning above the error; `python -m microgradnb.calc x x=1` did nothing, with status 0"
    res = subprocess.run([sys.executable, *warnings, '-m', module, *args], capture_output=True, text=True, cwd=tmp_path,
                         stdin=subprocess.DEVNULL, timeout=TIMEOUT)
    if status: assert_one_line_error(res.returncode, res.stdout, res.stderr, module)
    assert res.returncode == status and words in (res.stderr if status else res.stdout), res.stderr
    assert 'Warning' not in res.stderr and (res.stderr == '') == (status == 0), res.stderr


@pytest.mark.skipif(not os.path.exists('/dev/full'), reason='needs /dev/full')
@pytest.mark.parametrize('name', sorted(scripts()))
def test_help_into_a_full_disk(name, tmp_path):
    "`microgradnb-train --help >/dev/full` exited 0 having written nothing: argparse ignores a failed write"
    code, err = _run_sh(name, ['--help'], '>/dev/full', tmp_path)
    assert_one_line_error(code, '', err, f'{name} --help >/dev/full')
    assert code == 1 and 'could not write the output: No space left on device' in err, err
