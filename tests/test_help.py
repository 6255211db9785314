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


# ---- the source read must be the source compiled: else the docstring stays as it is ----

_STALE = textwrap.dedent('''
    import microgradnb, inspect
    for f in (microgradnb.accuracy, microgradnb.fit): print(f.__name__, repr(inspect.getdoc(f)))
''')


def test_a_source_changed_after_compiling_gives_no_other_functions_help(tmp_path):
    "Bytecode that Python does not check against its source, then the source shortened: accuracy showed predict's Returns, fit linear_decay's Args"
    pkg = tmp_path/'site'/'microgradnb'
    shutil.copytree(root/'microgradnb', pkg, ignore=shutil.ignore_patterns('__pycache__'))
    subprocess.run([sys.executable, '-m', 'compileall', '-q', '--invalidation-mode', 'unchecked-hash', str(pkg)], check=True)
    for name, n in (('metrics.py', 4), ('train.py', 6)):
        lines = (pkg/name).read_text().splitlines(keepends=True)
        (pkg/name).write_text(''.join(lines[n:]))
    res = subprocess.run([sys.executable, '-c', _STALE], capture_output=True, text=True, cwd=tmp_path,
                         env={'PYTHONPATH': str(tmp_path/'site'), 'PATH': '', 'PYTHONDONTWRITEBYTECODE': '1'})
    assert res.returncode == 0, res.stderr
    docs = dict(line.split(' ', 1) for line in res.stdout.splitlines())
    for name in ('accuracy', 'fit'):
        doc = eval(docs[name])
        assert doc == inspect.getdoc(getattr(microgradnb, name)).split('\n\n')[0], (name, doc)  # the one-line docstring, nothing added


def _module(tmp_path, name, source):
    "Import `source` as the module `name` from a file of its own, so that its lines are in linecache"
    import importlib.util
    path = tmp_path/f'{name}.py'
    path.write_text(textwrap.dedent(source))
    spec = importlib.util.spec_from_file_location(name, path)
    mod = sys.modules[name] = importlib.util.module_from_spec(spec)  # a dataclass's fields are read from its module's file
    spec.loader.exec_module(mod)
    return mod, path


def test_the_comments_read_are_the_signatures(tmp_path):
    from microgradnb._checks import _docments
    m, _ = _module(tmp_path, 'signatures', '''
        import functools
        short = lambda x: x  # a lambda has no def: it took the next one's comments
        def after(a,  # the a
                  ): pass
        def body(x, y): return x  # about the code after the colon, not y
        def strings(a=\'\'\'one
        two\'\'\',  # the a, after a string of two lines
                    b=1,  # the b
                    c=\'\'\'x
        y\'\'\', d=2,  # the d, on the line where the string ends
                    ) -> str:  # what comes back
            return a
        @functools.lru_cache(
            maxsize=None)  # the decorator's
        def cached(q):  # the q
            return q
        ''')
    assert _docments(m.short) == {}
    assert _docments(m.after) == {'a': 'the a'}
    assert _docments(m.body) == {}
    assert _docments(m.strings) == {'a': 'the a, after a string of two lines', 'b': 'the b', 'd': 'the d, on the line where the string ends',
                                    'return': 'what comes back'}
    assert _docments(m.cached) == {'q': 'the q'}


def test_a_changed_signature_or_dataclass_gives_nothing(tmp_path):
    import linecache
    from microgradnb._checks import _docments, _field_docs
    m, path = _module(tmp_path, 'changed', '''
        from dataclasses import dataclass
        def f(a,  # the a
              b):  # the b
            pass
        @dataclass
        class D:
            a: int  # the a
            b: int  # the b
        ''')
    assert _docments(m.f) == {'a': 'the a', 'b': 'the b'} and _field_docs(m.D) == {'a': 'the a', 'b': 'the b'}
    path.write_text(path.read_text().replace('b', 'c'))  # same lines, other names: not what was compiled
    linecache.checkcache(str(path))
    assert _docments(m.f) == {} and _field_docs(m.D) == {}
