"""Every hostile-input row of `hostile_cases.py` must raise its exception, with its words in the message; every
public function or class must have a row.

`test_every_public_name_has_a_hostile_row` fails when a public name of `microgradnb/_modidx.py` has no row at all.
The docs page *Errors you may meet* (nbs/14_errors.ipynb) shows the rows that have a fix, with the messages they give.
"""
import importlib
import inspect
import os
import runpy
from pathlib import Path

os.environ.setdefault('MPLBACKEND', 'Agg')

import pytest

import microgradnb
from hostile_cases import ALL_ROWS


def _param(row):
    marks = [pytest.mark.xfail(strict=True, reason=row.xfail)] if row.xfail else []
    return pytest.param(row, id=f'{row.name}: {row.did}', marks=marks)


@pytest.mark.parametrize('row', [_param(r) for r in ALL_ROWS])
def test_hostile_input(row): row.check()


# ---- every public name has a row ----

def public_names(every=False):
    "Public functions, classes, and methods that take arguments (`every`: all methods), of every module, from _modidx.py"
    d = runpy.run_path(str(Path(microgradnb.__file__).parent/'_modidx.py'))['d']
    res = set()
    for mod, syms in d['syms'].items():
        module = importlib.import_module(mod)
        alls = set(getattr(module, '__all__', ()))
        for sym in syms:
            qual = sym[len(mod) + 1:]
            parts = qual.split('.')
            if any(p.startswith('_') for p in parts): continue
            if len(parts) == 1:
                if parts[0] in alls: res.add(f'{mod[len("microgradnb."):]}.{qual}')
                continue
            obj = getattr(module, parts[0])
            for p in parts[1:]: obj = getattr(obj, p)
            takes_args = every or (isinstance(obj, property) and obj.fset is not None)  # a read-only property takes no input
            if not takes_args and callable(obj) and not isinstance(obj, property):
                takes_args = len(inspect.signature(obj).parameters) > 1 or parts[0] == 'Value' or qual == 'Module.zero_grad'
            if takes_args: res.add(f'{mod[len("microgradnb."):]}.{qual}')
    return res


def test_every_public_name_has_a_hostile_row():
    covered = {r.name for r in ALL_ROWS}
    missing = sorted(public_names() - covered)
    assert not missing, f'public names with no hostile-input row in tests/test_hostile.py: {missing}'


def test_rows_name_real_public_names():
    "A row's name is a real public name: no typos that would hide a missing row"
    stray = sorted({r.name for r in ALL_ROWS} - public_names(every=True))
    assert not stray, stray


def test_counts():
    "The table is big enough to mean something, and the errors page shows at least 28 of its rows"
    assert len(ALL_ROWS) >= 120
    assert len([r for r in ALL_ROWS if r.fix]) >= 28
