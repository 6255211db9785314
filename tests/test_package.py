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
