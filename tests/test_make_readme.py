"""tools/make_readme.py writes README.md from nbs/index.ipynb. Run as a command on a copy of the files it reads (it takes
the project from where it lies), it says what is wrong in one line on standard error, never a traceback: exit status 1
for a file it cannot use or a README that is out of step, 2 for a mistyped option, which writes nothing."""
import shutil
from pathlib import Path

import pytest
from tool_runs import run_tool, fails

root = Path(__file__).resolve().parent.parent


@pytest.fixture
def tree(tmp_path):
    "A copy of what README.md is written from, with README.md written there by the tool"
    for f in ['tools/make_readme.py', 'pyproject.toml', 'nbs/index.ipynb']:
        (tmp_path/f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root/f, tmp_path/f)
    assert run_tool(tmp_path, 'make_readme.py').returncode == 0 and (tmp_path/'README.md').exists()
    return tmp_path






def test_the_check_passes_and_sees_a_changed_readme(tree):
    r = run_tool(tree, 'make_readme.py', '--check')
    assert r.returncode == 0 and r.stdout == 'README.md matches nbs/index.ipynb\n', r.stderr
    (tree/'README.md').write_text('old')
    fails(tree, 'make_readme.py', ['--check'], 1, 'README.md is out of step with nbs/index.ipynb: run python tools/make_readme.py')


@pytest.mark.parametrize('args', [['--chek'], ['--check', 'extra', 'junk'], ['--che']])
def test_a_mistyped_option_is_a_usage_error_and_writes_nothing(tree, args):
    (tree/'README.md').write_text('old')
    fails(tree, 'make_readme.py', args, 2, 'make_readme.py: unrecognized arguments: ')
    assert (tree/'README.md').read_text() == 'old'


def test_a_missing_readme_is_named(tree):
    (tree/'README.md').unlink()
    fails(tree, 'make_readme.py', ['--check'], 1, 'README.md is missing: run python tools/make_readme.py')


def test_a_readme_that_is_a_folder_is_named(tree):
    (tree/'README.md').unlink(); (tree/'README.md').mkdir()
    fails(tree, 'make_readme.py', ['--check'], 1, 'README.md cannot be read (Is a directory)')
    fails(tree, 'make_readme.py', [], 1, 'README.md cannot be written (Is a directory)')


@pytest.mark.parametrize('path, text, start', [
    ('nbs/index.ipynb', None, 'nbs/index.ipynb cannot be read (No such file or directory)'),
    ('nbs/index.ipynb', '{"cells": [', 'nbs/index.ipynb cannot be read (Expecting value'),
    ('nbs/index.ipynb', '{"nbformat": 4}', "nbs/index.ipynb cannot be read (no 'cells')"),
    ('nbs/index.ipynb', '{"cells": [{"cell_type": "code"}]}', "nbs/index.ipynb cannot be read (no 'source')"),
    ('pyproject.toml', '[project', 'pyproject.toml cannot be read ('),
    ('pyproject.toml', '[project]\n', "pyproject.toml cannot be read (no 'urls')")],
    ids=['no-index', 'index-json', 'index-no-cells', 'cell-no-source', 'toml', 'no-doc-url'])
def test_an_unreadable_input_is_named_in_one_line(tree, path, text, start):
    if text is None: (tree/path).unlink()
    else: (tree/path).write_text(text)
    fails(tree, 'make_readme.py', ['--check'], 1, start)
    fails(tree, 'make_readme.py', [], 1, start)
