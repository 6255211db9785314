"""Smoke test for an installed microgradnb: run with the Python of a fresh environment that has only the wheel.

Importing the package must not import the development tools (nbdev, Jupyter) nor PyTorch, which only the
tests use. `tools/check_wheel.sh` runs this file; extend it with more checks of the installed package.
"""
import sys

before = set(sys.modules)
import microgradnb
from microgradnb.engine import Value

new = sorted({m.split('.')[0] for m in set(sys.modules) - before} - set(sys.stdlib_module_names) - {'microgradnb'})
print(f'microgradnb {microgradnb.__version__} from {microgradnb.__file__}')
print('imported besides the standard library:', ', '.join(new) or 'nothing')

forbidden = ('nbdev', 'torch', 'IPython', 'jupyter', 'jupyter_client', 'jupyter_core', 'ipykernel', 'nbclient',
             'nbformat', 'execnb', 'micrograd')
loaded = [m for m in forbidden if m in sys.modules]
assert not loaded, f'importing microgradnb imported {loaded}'

x = Value(2.0) * 3 + 1
assert x.val == 7.0, x
print('wheel smoke test passed')
