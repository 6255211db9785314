"""The package as a Python user imports it: `from microgradnb import *` gives the documented names, never submodules."""
import builtins
import types

import microgradnb


def test_star_import_binds_no_module():
    "`from microgradnb import *` once bound the submodules train, digits, moons ... over the names a user expects"
    ns = {}
    exec('from microgradnb import *', ns)
    del ns['__builtins__']
    assert sorted(ns) == sorted(microgradnb.__all__)
    assert not [name for name, obj in ns.items() if isinstance(obj, types.ModuleType)]
    for name in ('Value', 'MLP', 'fit', 'grad', 'draw', 'cross_entropy', 'train_moons', 'train_cli'): assert name in ns, name
    assert callable(ns['fit']) and not isinstance(ns['fit'], types.ModuleType)


def test_all_holds_every_public_name_of_the_package():
    "Every public name the package's __init__ binds, and nothing private; none that would hide a builtin"
    public = {n for n, v in vars(microgradnb).items() if not n.startswith('_') and not isinstance(v, types.ModuleType)}
    assert set(microgradnb.__all__) == public - set(dir(builtins)) and len(microgradnb.__all__) == len(set(microgradnb.__all__))


def test_star_import_leaves_builtin_compile_alone():
    "microgradnb.compile is the graph compiler; `from microgradnb import *` must not hide Python's own compile"
    ns = {}
    exec('from microgradnb import *', ns)
    assert 'compile' not in ns and callable(microgradnb.compile) and microgradnb.compile is not builtins.compile


def _package_sources():
    "Each module of the package written from a notebook: {module: (its notebook, its source)}"
    import re
    from pathlib import Path
    import microgradnb
    lib, out = Path(microgradnb.__file__).parent, {}
    for p in sorted(lib.glob('*.py')):
        text = p.read_text()
        if m := re.search(r'File to edit: \.\./nbs/(\S+)\.ipynb', text): out[p.stem] = (m[1], text)
    return out


def test_no_module_imports_a_later_chapter():
    "A module imports only modules whose notebook is numbered before its own: the chapters can be read in order"
    import ast
    mods, late = _package_sources(), []
    for mod, (nb, text) in mods.items():
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                late += [f'{mod} ({nb}) imports {n} ({mods[n][0]})' for n in names if n in mods and mods[n][0] > nb]
    assert not late, late


def test_no_private_name_has_two_meanings():
    "No private name is defined at the top level of two modules: each helper has one home, and a name says which"
    import ast, collections
    homes = collections.defaultdict(set)
    for mod, (nb, text) in _package_sources().items():
        for node in ast.parse(text).body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)): names = [node.name]
            elif isinstance(node, ast.Assign): names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name): names = [node.target.id]
            else: continue
            for n in names:
                if n.startswith('_') and not n.startswith('__'): homes[n].add(mod)
    twice = {n: sorted(ms) for n, ms in homes.items() if len(ms) > 1}
    assert not twice, twice
