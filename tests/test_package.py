"""The package as a Python user imports it: `from microgradnb import *` gives the documented names, never submodules."""
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
    "Every public name the package's __init__ binds, and nothing private"
    public = {n for n, v in vars(microgradnb).items() if not n.startswith('_') and not isinstance(v, types.ModuleType)}
    assert set(microgradnb.__all__) == public and len(microgradnb.__all__) == len(public)
