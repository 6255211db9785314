"""help() explains every argument: the comment beside each parameter in the source, and the one after `->`, are
appended to the docstrings when the package is imported (`_document_arguments`, in the chapter Shared checks)."""
import inspect
import pydoc
import re
import shutil
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest
from fastcore.docments import docments

import microgradnb
from microgradnb._checks import _document_arguments

root = Path(__file__).resolve().parent.parent

# the names people look up first; each must explain every parameter, and a function what it returns
EXPLAINED = ['Value', 'MLP', 'fit', 'grad', 'gradcheck', 'draw', 'cross_entropy', 'SGD', 'Adam', 'train_test_split', 'evaluate']


def _help(obj): return pydoc.render_doc(obj, renderer=pydoc.plaintext)


def _section(text, title):
    "The lines of the section `title` ('Args' or 'Returns') of the first docstring in a help() text, unindented"
    m = re.search(rf'^( *(?:\| *)?){title}:\n((?:\1    .*\n)+)', text, re.M)
    return [line[len(m[1]) + 4:] for line in m[2].splitlines()] if m else []


def _parameters(obj):
    "The parameters help() shows in the signature of `obj`, with * and ** before the catch-alls"
    star = {inspect.Parameter.VAR_POSITIONAL: '*', inspect.Parameter.VAR_KEYWORD: '**'}
    return [star.get(p.kind, '') + p.name for p in inspect.signature(obj).parameters.values()]


@pytest.mark.parametrize('name', EXPLAINED)
def test_help_explains_every_parameter_and_the_result(name):
    obj = getattr(microgradnb, name)
    text = _help(obj)
    args = dict(line.split(': ', 1) for line in _section(text, 'Args'))
    for p in _parameters(obj):
        assert args.get(p, '').strip(), f"help({name}) does not explain the parameter {p}: give it a comment in the source"
    if not inspect.isclass(obj):
        returns = _section(text, 'Returns')
        assert returns and returns[0].strip(), f"help({name}) does not say what it returns: comment the line of its `->`"


def test_a_class_constructor_is_explained_too():
    "help(Value) once showed 'Initialize self. See help(type(self))' for __init__"
    text = _help(microgradnb.Value)
    assert 'Initialize self' not in text
    init = inspect.getdoc(microgradnb.Value.__init__)
    assert init.startswith('A leaf holding the number `val`') and 'val: the number' in init
    assert 'nouts: the size of each layer' in inspect.getdoc(microgradnb.MLP.__init__)


def _documented(obj):
    "`obj` and the functions whose docstrings the mechanism completes with it: a class's __init__ and public methods"
    if isinstance(obj, types.FunctionType): return [(obj, obj)]
    init = vars(obj).get('__init__')
    res = [(obj, obj if isinstance(init, types.FunctionType) else None)]
    return res + [(f, f) for name, f in vars(obj).items()
                  if isinstance(f, types.FunctionType) and (name == '__call__' or not name.startswith('_'))]


PUBLIC = [getattr(microgradnb, n) for n in microgradnb.__all__] + [microgradnb.compile]


@pytest.mark.parametrize('obj', PUBLIC, ids=lambda o: o.__name__)
def test_help_says_what_the_docs_site_says(obj):
    "Each comment help() shows is the one the documentation reads (fastcore's docments), word for word"
    for target, sig in _documented(obj):
        if sig is None: continue
        doc = inspect.getdoc(target) or ''
        shown = dict(line.split(': ', 1) for line in _section(doc + '\n', 'Args'))
        shown = {k.lstrip('*'): v for k, v in shown.items()}
        returns = _section(doc + '\n', 'Returns')
        for name, comment in docments(target).items():
            if not comment or name == 'self': continue
            comment = ' '.join(comment.split())
            if name == 'return':
                if not inspect.isclass(target) and target.__name__ != '__init__': assert returns == [comment], (target, name)
            else: assert shown.get(name) == comment, (target, name)


def test_documenting_again_changes_nothing():
    before = {id(t): t.__doc__ for obj in PUBLIC for t, _ in _documented(obj)}
    _document_arguments(PUBLIC)
    assert {id(t): t.__doc__ for obj in PUBLIC for t, _ in _documented(obj)} == before


_SHOW = textwrap.dedent('''
    import microgradnb, pydoc
    print(microgradnb.__file__)
    print(pydoc.render_doc(microgradnb.fit, renderer=pydoc.plaintext))
''')


def _run_copy(tmp_path, keep_sources):
    "Import a copy of the package (as an installed wheel has it, or compiled only) in a fresh Python, print help(fit)"
    pkg = tmp_path/'site'/'microgradnb'
    shutil.copytree(root/'microgradnb', pkg, ignore=shutil.ignore_patterns('__pycache__'))
    if not keep_sources:
        subprocess.run([sys.executable, '-m', 'compileall', '-q', '-b', str(pkg)], check=True)
        for py in pkg.glob('*.py'): py.unlink()
    res = subprocess.run([sys.executable, '-c', _SHOW], capture_output=True, text=True, cwd=tmp_path,
                         env={'PYTHONPATH': str(tmp_path/'site'), 'PATH': '', 'PYTHONDONTWRITEBYTECODE': '1'})
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(str(pkg))
    return res.stdout


def test_help_from_an_installed_copy(tmp_path):
    out = _run_copy(tmp_path, keep_sources=True)
    assert 'batch_size: rows per step' in out and 'Returns:' in out


def test_without_sources_the_docstring_stays_as_it_is(tmp_path):
    "A build that ships only .pyc files imports as before, with the one-line docstrings"
    out = _run_copy(tmp_path, keep_sources=False)
    assert 'Train `model` on `xs`' in out and 'Args:' not in out
