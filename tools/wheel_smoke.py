"""Smoke test for an installed microgradnb: run with the Python of a fresh environment that has only the wheel.

Importing the package must not import the development tools (nbdev, Jupyter) nor PyTorch, which only the
tests use. Then it trains XOR twice (with `train_xor`, and with a hand-written loop of MLP and gradient descent)
to a loss below 0.01, draws a graph, loads the digits from the data file inside the wheel, makes a spiral and splits
data, and checks again that none of those tools was imported. The benchmark (bench/ in the repository) must not be installed.
`tools/check_wheel.sh` runs this file; extend it with more checks of the installed package.
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

import pydoc  # help() lists the arguments, read from the installed sources' comments
assert 'batch_size: ' in pydoc.render_doc(microgradnb.fit, renderer=pydoc.plaintext), 'help(fit) lists no arguments'

# the benchmark is a tool of the repository (bench/, beside the package): the wheel installs none of it
import importlib.util
for name in ('microgradnb.bench', 'bench'):
    assert importlib.util.find_spec(name) is None, f'{name} is installed: the benchmark must stay out of the wheel'

# it trains: XOR with the packaged loop, then with a few lines of MLP and gradient descent written out
from microgradnb import MLP, train_xor, xor_data
run = train_xor('tanh', seed=0, epochs=300)
assert run.solved_at is not None and run.all_right, run
print(f'train_xor: loss {run.losses[0]:.3g} -> {run.losses[-1]:.3g}, below {run.target} at epoch {run.solved_at}')

xs, ys = xor_data()
model = MLP(2, [4, 1], seed=1)
for step in range(500):
    loss = sum(((model(x) - y)**2 for x, y in zip(xs, ys)), Value(0.0))
    model.zero_grad()
    loss.backward()
    for p in model.parameters(): p.data -= 0.1 * p.grad
assert loss.val < 0.01 and all((model(x).val > 0.5) == (y == 1.0) for x, y in zip(xs, ys)), loss
print(f'MLP(2, [4, 1]) with a hand-written loop: loss {loss.val:.3g} after {step + 1} steps')

from microgradnb import draw
out = model(xs[1])
out.backward()
assert draw(out).source.startswith('digraph'), 'draw gave no Graphviz source'  # the source only: no `dot` needed

# the data sets: the digits come from the file inside the wheel, read with the standard library only
from microgradnb import load_digits, make_spiral, train_test_split
X, y = load_digits()
assert (len(X), len(X[0]), len(y)) == (1797, 64, 1797), (len(X), len(y))
assert all(type(v) is float and 0 <= v <= 16 for row in X for v in row) and sorted(set(y)) == list(range(10))
assert y[:10] == list(range(10)) and sum(map(sum, X)) == 561718.0, (y[:10], sum(map(sum, X)))
assert microgradnb.datasets._DIGITS_FILE.is_file() and 'site-packages' in str(microgradnb.datasets._DIGITS_FILE)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=0)
assert (len(X_train), len(X_test)) == (1437, 360)
Xs, ys = make_spiral(50, seed=0)
assert len(Xs) == 150 and sorted(set(ys)) == [0, 1, 2]
print(f'load_digits: {len(X)} images of {len(X[0])} pixels from {microgradnb.datasets._DIGITS_FILE.name}; make_spiral, train_test_split')

loaded = [m for m in forbidden if m in sys.modules]  # training, drawing and data import no development tools either
assert not loaded, f'training, drawing and loading data with microgradnb imported {loaded}'
print('wheel smoke test passed')
