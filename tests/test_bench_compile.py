"""tools/bench_compile.py as a command: a wrong number of runs, or an engine that cannot run, is one line and its exit status."""
import os
from pathlib import Path

import pytest

from tool_runs import run_tool, fails

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize('args', [['abc'], ['0'], ['51'], ['-1'], ['1e9'], ['3', '4'], ['٣']])
def test_a_bad_number_of_runs_is_a_usage_error(args):
    line = fails(ROOT, 'bench_compile.py', args, 2, 'bench_compile: ')
    assert 'is not a number of runs' in line and 'from 1 to 50' in line


def test_help_prints_the_usage():
    r = run_tool(ROOT, 'bench_compile.py', '--help')
    assert (r.returncode, r.stderr) == (0, '') and r.stdout.startswith('usage: python tools/bench_compile.py [runs]')


def test_an_engine_that_cannot_run_is_named_in_one_line(tmp_path, monkeypatch):
    "micrograd shadowed by a package that cannot be imported: the first engine's process fails, and its last line is shown"
    (tmp_path/'micrograd').mkdir()
    (tmp_path/'micrograd'/'__init__.py').write_text('raise ImportError("no micrograd here")\n')
    monkeypatch.setenv('PYTHONPATH', str(tmp_path) + os.pathsep + os.environ.get('PYTHONPATH', ''))
    line = fails(ROOT, 'bench_compile.py', ['1'], 1, 'bench_compile: the run of micrograd moons 2 failed: ')
    assert 'no micrograd here' in line
