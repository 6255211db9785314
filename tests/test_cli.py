"""The training command's defensive cases, moved out of its chapter (nbs/10_cli.ipynb), which shows one refusal per guard:
every setting `_settings` refuses, the folders `_out_dir` refuses, and every bad setting given to the command itself.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from fastcore import test as ft  # ft.test_eq, not test_eq: pytest would collect a test_* name as a test

from microgradnb.cli import _settings, _out_dir


def train_cmd(*args, cwd=None, env=None):
    "Run microgradnb-train with `args` in a new process, as its installed script does; return (exit status, stdout, stderr)"
    script = 'import sys; from microgradnb.cli import train_cli; sys.exit(train_cli())'
    res = subprocess.run([sys.executable, '-c', script, *map(str, args)], capture_output=True, text=True, cwd=cwd, env=env)
    return res.returncode, res.stdout, res.stderr


def test_settings_refusals():
    ft.test_fail(lambda: _settings('xor', epochs=10**7), contains='--epochs must be at most 1000000 for xor (more would train for hours), got 10000000')
    ft.test_fail(lambda: _settings('digits', epochs=2001), contains='--epochs must be at most 2000 for digits')
    ft.test_eq(_settings('digits', epochs=2000)['epochs'], 2000)
    ft.test_fail(lambda: _settings('xor', lr=-1.0), contains='--lr must be positive')
    ft.test_fail(lambda: _settings('xor', lr=float('nan')), contains='--lr must be positive and finite, got nan')
    ft.test_fail(lambda: _settings('xor', seed=-1), contains='--seed must be 0 or more')
    ft.test_fail(lambda: _settings('xor', seed=1.5), contains='--seed must be an int')
    ft.test_fail(lambda: _settings('moons', lr=5e-324, epochs=3), contains='--lr must be large enough to stay positive as it decays')


def test_out_dir_refusals():
    with tempfile.TemporaryDirectory() as d:
        Path(d, 'taken').write_text('')
        ft.test_fail(lambda: _out_dir(Path(d, 'taken')), contains='cannot write the pictures there: it is a file')
        ft.test_eq(os.listdir(_out_dir(Path(d, 'empty'))), [])  # the scratch file is gone


def test_bad_settings_are_one_line_before_training():
    for args, message in [(['spirals'], "argument task: invalid choice: 'spirals'"),
                          (['xor', '--epochs', 0], '--epochs must be positive'),
                          (['xor', '--epochs', 'ten'], "argument --epochs: invalid int value: 'ten'"),
                          (['moons', '--lr', -1], '--lr must be positive'),
                          (['moons', '--act', 'gelu'], "argument --act: invalid choice: 'gelu'"),
                          (['xor', '--seed', -3], '--seed must be 0 or more'),
                          (['xor', '--pdb'], 'unrecognized arguments: --pdb'),
                          ([], 'the following arguments are required: task')]:
        code, stdout, stderr = train_cmd(*args)
        ft.test_eq((code, stdout, len(stderr.splitlines())), (2, '', 1))
        assert message in stderr, (args, stderr)


def test_a_folder_through_a_file_is_refused_by_the_command():
    with tempfile.TemporaryDirectory() as d:
        Path(d, 'notes.txt').write_text('')
        code, _, stderr = train_cmd('xor', '--out', 'notes.txt/pics', cwd=d)
    ft.test_eq(code, 2)
    ft.test_eq(stderr.strip(), "microgradnb-train: error: --out 'notes.txt/pics': cannot write the pictures there: 'notes.txt' is a file")


def test_options_are_spelt_out_once_and_values_quoted_short():
    "One policy for both commands (microgradnb-grad's in tests/test_calc.py): --ep was read as --epochs, a second --epochs kept silently"
    for args, words in [(['xor', '--ep', '5'], 'unrecognized arguments: --ep 5'),
                        (['xor', '--epochs', '5', '--epochs', '6'], '--epochs is given twice'),
                        (['xor', '--seed', '0', '--seed', '0'], '--seed is given twice'),
                        (['xor', '--out', 'a', '--out', 'b'], '--out is given twice'),
                        (['xor', '--epochs', '9' * 100_000], "argument --epochs: invalid int value: '9999999999"),
                        (['xor', '--seed', '-' + '9' * 4000], '--seed must be 0 or more, got an int of about -10**4000'),
                        (['xor', *['zz'] * 1000], 'unrecognized arguments: zz zz'),
                        (['x' * 100_000], "argument task: invalid choice: 'xxxxxxxx")]:
        code, out, err = train_cmd(*args)
        ft.test_eq((code, out, len(err.splitlines())), (2, '', 1))
        assert words in err and len(err) < 300, (args, err[:500])


def test_a_long_out_folder_is_named_short():
    with tempfile.TemporaryDirectory() as d:
        code, out, err = train_cmd('xor', '--out', 'x' * 300, cwd=d)
    ft.test_eq((code, out), (2, ''))
    assert err.startswith("microgradnb-train: error: --out 'xxxxxxxxx") and err.endswith("xxxxxx': cannot write the pictures there: File name too long\n"), err
    assert len(err) < 200, err
