"""The benchmark's parts: micrograd's moons demo and a batch of digits as problems, a trainer for each engine, and the
timing loops. `python -m bench` (bench/run.py) runs them and prints the table; the performance chapter
(nbs/13_performance.ipynb) tells what each one measures and why."""
__all__ = ['moons_problem', 'MoonsTrainer', 'NBTrainer', 'MicrogradTrainer', 'NBLoopTrainer', 'CompiledTrainer',
           'TorchScalarTrainer', 'micrograd_classes', 'check_torch', 'digits_problem', 'DigitsTrainer', 'NBDigits', 'MicrogradDigits', 'time_moons',
           'time_alone', 'time_in_own_processes', 'time_digits', 'product_sum_graph', 'graph_costs', 'chain',
           'backward_at_default_limit', 'depth_costs']

import gc, importlib.util, json, random, signal, statistics, subprocess, sys, time, tracemalloc
from pathlib import Path
import microgradnb
from microgradnb.engine import Value
from microgradnb.nn import MLP, vsum
from microgradnb.losses import mse_loss
from microgradnb._checks import _check_size
from microgradnb.datasets import make_moons, load_digits

_ROOT = Path(__file__).resolve().parent.parent  # the repository's top folder, from which `bench` is imported

def moons_problem(n:int=100,      # number of points
                  noise:float=0.1, # noise of make_moons
                  seed:int=1,      # seed of the data
                  net_seed:int=1337 # seed of the starting weights
                 ) -> tuple:       # (X, y, weights): points, labels ±1, and for each layer a list of (weights, bias)
    "micrograd's demo problem: the moons data with labels ±1, and the starting weights of a 2-16-16-1 network"
    X, labels = make_moons(n, noise, seed)
    net = MLP(2, [16, 16, 1], act='relu', seed=net_seed)
    weights = [[([w.val for w in n.w], n.b.val) for n in layer.neurons] for layer in net.layers]
    return X, [2.0 * t - 1.0 for t in labels], weights

class MoonsTrainer:
    "Trains micrograd's moons network in one engine, one step at a time, from given starting weights"
    name = ''
    def __init__(self, X, y, weights): self.X, self.y = X, y; self.setup(weights)
    def setup(self, weights):
        "Build the engine's network with the starting `weights` (as `moons_problem` gives them)"
        raise NotImplementedError("MoonsTrainer is abstract: a subclass defines setup(weights)")
    def step(self, k:int) -> float:
        "One training step `k` at learning rate 1.0 - 0.9*k/100; returns the loss before the update"
        raise NotImplementedError("MoonsTrainer is abstract: a subclass defines step(k)")
    def grads(self) -> list:
        "The parameters' gradients after the last step, as floats"
        raise NotImplementedError("MoonsTrainer is abstract: a subclass defines grads()")
    def accuracy(self) -> float:
        "The fraction of points the network classifies right"
        raise NotImplementedError("MoonsTrainer is abstract: a subclass defines accuracy()")

def _check_layers(weights, sizes, maker):
    "`weights` if it has layers of `sizes` neurons, as `maker` gives them, else a TypeError or ValueError"
    if not isinstance(weights, (list, tuple)) or not all(isinstance(l, (list, tuple)) for l in weights):
        raise TypeError(f"weights must be a list of layers, each a list of (weights, bias), got {type(weights).__name__}: {weights!r:.60}")
    if [len(l) for l in weights] != sizes:
        names = ', '.join(map(str, sizes[:-1])) + f' and {sizes[-1]}'
        raise ValueError(f"weights must have layers of {names} neurons, as {maker} gives, got {[len(l) for l in weights]}")
    return weights

def _check_moons_weights(weights): return _check_layers(weights, [16, 16, 1], 'moons_problem')

def _check_k(k):
    "`k` if it is a step index (an int >= 0), else a TypeError or ValueError"
    if not isinstance(k, int) or isinstance(k, bool): raise TypeError(f"k (the step index) must be an int, got {type(k).__name__}: {k!r}")
    if k < 0: raise ValueError(f"k (the step index) must be at least 0, got {k}")
    return k

def _copy_weights(layers, weights, attr):
    "Set the parameters of micrograd-shaped `layers` (objects with .neurons, each with .w and .b) to `weights`"
    for layer, ws in zip(layers, weights):
        for n, (w, b) in zip(layer.neurons, ws):
            for wi, v in zip(n.w, w): setattr(wi, attr, v)
            setattr(n.b, attr, b)

class NBTrainer(MoonsTrainer):
    "microgradnb: the library's MLP and loss, as a user writes them"
    name = 'microgradnb'
    def setup(self, weights):
        self.model = MLP(2, [16, 16, 1], act='relu', seed=0)
        _copy_weights(self.model.layers, _check_moons_weights(weights), 'val')
    def step(self, k):
        k, model, params = _check_k(k), self.model, self.model.parameters()
        losses = [(1 + -yi * model(x)).relu() for x, yi in zip(self.X, self.y)]
        loss = vsum(losses) * (1.0 / len(losses)) + 1e-4 * vsum([p * p for p in params])
        model.zero_grad()
        loss.backward()
        for p in params: p.val -= (1.0 - 0.9 * k / 100) * p.grad
        return loss.val
    def grads(self): return [p.grad for p in self.model.parameters()]
    def accuracy(self): return sum((yi > 0) == (self.model(x).val > 0) for x, yi in zip(self.X, self.y)) / len(self.y)

def digits_problem(rows:int=32, # the number of images, taken from the start of the data set
                   seed:int=0   # seed of the starting weights
                  ) -> tuple:   # (X, targets, weights): pixels 0..1, one-hot rows, and for each layer a list of (weights, bias)
    "A batch of the 8x8 digits and the starting weights of a 64-32-10 ReLU network"
    X, labels = load_digits()
    rows = _check_size(rows, 'rows', at_most=len(X))
    net = MLP(64, [32, 10], act='relu', seed=seed)
    weights = [[([w.val for w in n.w], n.b.val) for n in layer.neurons] for layer in net.layers]
    return [[v / 16 for v in x] for x in X[:rows]], [[float(j == t) for j in range(10)] for t in labels[:rows]], weights

def _check_digit_weights(weights): return _check_layers(weights, [32, 10], 'digits_problem')

class DigitsTrainer:
    "One forward and backward pass of a 64-32-10 network on a batch of digits, in one engine"
    name = ''
    def __init__(self, X, targets, weights): self.X, self.targets = X, targets; self.setup(weights)
    def setup(self, weights):
        "Build the engine's network with the starting `weights` (as `digits_problem` gives them)"
        raise NotImplementedError("DigitsTrainer is abstract: a subclass defines setup(weights)")
    def step(self) -> float:
        "The mean squared error against the one-hot targets, and the gradient of every parameter; returns the loss"
        raise NotImplementedError("DigitsTrainer is abstract: a subclass defines step()")
    def grads(self) -> list:
        "The parameters' gradients after the last step, as floats"
        raise NotImplementedError("DigitsTrainer is abstract: a subclass defines grads()")

class NBDigits(DigitsTrainer):
    "microgradnb: the library's MLP and mse_loss, as a user writes them"
    name = 'microgradnb'
    def setup(self, weights):
        self.model = MLP(64, [32, 10], act='relu', seed=0)
        _copy_weights(self.model.layers, _check_digit_weights(weights), 'val')
    def step(self):
        preds = [o for x in self.X for o in self.model(x)]
        loss = mse_loss(preds, [t for row in self.targets for t in row])
        self.model.zero_grad()
        loss.backward()
        return loss.val
    def grads(self): return [p.grad for p in self.model.parameters()]

def micrograd_classes():
    "micrograd's Value and MLP, or a clear error saying how to install it"
    try:
        from micrograd.engine import Value as MValue
        from micrograd.nn import MLP as MMLP
    except ImportError:
        raise ModuleNotFoundError("the benchmark compares microgradnb with micrograd 0.1.0, which is not installed: "
                                  "pip install micrograd==0.1.0") from None
    return MValue, MMLP

class MicrogradTrainer(MoonsTrainer):
    "micrograd 0.1.0: its MLP and its demo's training loop"
    name = 'micrograd'
    def setup(self, weights):
        _check_moons_weights(weights)
        self.V, MMLP = micrograd_classes()
        self.model = MMLP(2, [16, 16, 1])
        _copy_weights(self.model.layers, weights, 'data')
    def _loss(self, inputs):
        "The demo's loss on `inputs`, the points as lists of the engine's numbers: mean hinge loss plus 1e-4 * sum of squared parameters"
        scores = list(map(self.model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(self.y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum((p * p for p in self.model.parameters()))
        return data_loss + reg_loss
    def step(self, k):
        k, model, V = _check_k(k), self.model, self.V
        inputs = [list(map(V, xrow)) for xrow in self.X]
        total_loss = self._loss(inputs)
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters(): p.data -= learning_rate * p.grad
        return total_loss.data
    def grads(self): return [float(p.grad) for p in self.model.parameters()]
    def accuracy(self):
        return sum((yi > 0) == (self.model([self.V(a) for a in x]).data > 0) for x, yi in zip(self.X, self.y)) / len(self.y)

class NBLoopTrainer(MicrogradTrainer):
    "microgradnb in micrograd's demo loop, unchanged: its Value and MLP(act='relu') in micrograd's place"
    name = 'microgradnb'
    def setup(self, weights):
        self.V, self.model = Value, MLP(2, [16, 16, 1], act='relu', seed=0)
        _copy_weights(self.model.layers, _check_moons_weights(weights), 'data')

class CompiledTrainer(NBLoopTrainer):
    "microgradnb.compile in micrograd's demo loop: the demo's loss traced once, then replayed, in place of building and walking a graph"
    name = 'compiled'
    def setup(self, weights):
        super().setup(weights)
        self.compiled = microgradnb.compile(self._loss, self.model.parameters())
    def step(self, k):
        k, model = _check_k(k), self.model
        model.zero_grad()
        total_loss = self.compiled(self.X)  # the loss's number; the parameters' gradients are set
        learning_rate = 1.0 - 0.9 * k / 100
        for p in model.parameters(): p.data -= learning_rate * p.grad
        return total_loss

class MicrogradDigits(DigitsTrainer):
    "micrograd 0.1.0: its MLP, and the mean squared error written as its demo writes a mean"
    name = 'micrograd'
    def setup(self, weights):
        _check_digit_weights(weights)
        self.V, MMLP = micrograd_classes()
        self.model = MMLP(64, [32, 10])
        _copy_weights(self.model.layers, weights, 'data')
    def step(self):
        preds = [o for x in self.X for o in self.model(x)]
        targets = [t for row in self.targets for t in row]
        loss = sum((p - t) ** 2 for p, t in zip(preds, targets)) * (1.0 / len(preds))
        self.model.zero_grad()
        loss.backward()
        return loss.data
    def grads(self): return [float(p.grad) for p in self.model.parameters()]

def check_torch():
    "Nothing if PyTorch is installed (it is not imported), else a clear error saying how to install it"
    if importlib.util.find_spec('torch') is None:
        raise ModuleNotFoundError("the benchmark compares microgradnb with PyTorch, which is not installed: pip install torch")

def _torch():
    "The torch module, imported now, or a clear error saying how to install it"
    check_torch()
    import torch
    return torch

class TorchScalarTrainer(MoonsTrainer):
    "PyTorch with every number a 0-d float64 tensor: a scalar engine written with torch operations"
    name = 'torch 0-d'
    def setup(self, weights):
        _check_moons_weights(weights)
        torch = self.torch = _torch()
        t = lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)
        self.layers = [[([t(v) for v in w], t(b)) for w, b in layer] for layer in weights]
        self.params = [p for layer in self.layers for w, b in layer for p in w + [b]]
    def score(self, x):
        "The network's output for the point `x`, two numbers"
        if not isinstance(x, (list, tuple)): raise TypeError(f"x must be a point, a list of 2 numbers, got {type(x).__name__}: {x!r:.60}")
        if len(x) != 2: raise ValueError(f"x must be a point, a list of 2 numbers, got length {len(x)}")
        return self._score(x)
    def _score(self, x):
        x = [self.torch.tensor(v, dtype=self.torch.float64) for v in x]
        for i, layer in enumerate(self.layers):
            x = [sum((wi * xi for wi, xi in zip(w, x)), b) for w, b in layer]
            if i < len(self.layers) - 1: x = [self.torch.relu(v) for v in x]
        return x[0]
    def step(self, k):
        _check_k(k)
        losses = [self.torch.relu(1 + -yi * self._score(x)) for x, yi in zip(self.X, self.y)]
        loss = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in self.params)
        for p in self.params: p.grad = None
        loss.backward()
        with self.torch.no_grad():
            for p in self.params: p -= (1.0 - 0.9 * k / 100) * p.grad
        return loss.item()
    def grads(self): return [p.grad.item() for p in self.params]
    def accuracy(self):
        with self.torch.no_grad():
            return sum((yi > 0) == (self._score(x).item() > 0) for x, yi in zip(self.X, self.y)) / len(self.y)

def time_moons(engines=(MicrogradTrainer, NBTrainer), # MoonsTrainer classes; the last one trains on to `steps`
               n:int=100,     # number of moons points
               rounds:int=4,  # turns each engine takes
               block:int=4,   # training steps per turn, at least 2: the first of each turn is not counted
               steps:int=100  # total training steps of the last engine
              ) -> dict:      # per engine: median step time, losses; and the last engine's accuracy
    "Median training-step time of each engine on micrograd's demo, the engines taking turns"
    engines = list(engines)
    if not engines: raise ValueError("engines must name at least one MoonsTrainer class, got none")
    bad = [E for E in engines if not (isinstance(E, type) and issubclass(E, MoonsTrainer))]
    if bad: raise TypeError(f"engines must be MoonsTrainer classes, got {bad[0]!r}")
    rounds, block, steps = _check_size(rounds, 'rounds'), _check_size(block, 'block', at_least=2), _check_size(steps, 'steps')
    X, y, weights = moons_problem(n)
    trainers = [E(X, y, weights) for E in engines]
    times, losses = {t.name: [] for t in trainers}, {t.name: [] for t in trainers}
    for r in range(rounds):
        for t in trainers:
            gc.collect()
            for k in range(r * block, (r + 1) * block):
                start = time.perf_counter()
                losses[t.name].append(t.step(k))
                if k > r * block: times[t.name].append(time.perf_counter() - start)
    last = trainers[-1]
    for k in range(rounds * block, steps): last.step(k)
    return {'step': {name: statistics.median(ts) for name, ts in times.items()}, 'losses': losses,
            'accuracy': last.accuracy()}

_LOOP = {'micrograd': MicrogradTrainer, 'microgradnb': NBLoopTrainer, 'compiled': CompiledTrainer}  # the engines of micrograd's loop, by name
_STEPS = {'micrograd': 1, 'microgradnb': 5, 'compiled': 20}  # steps per process, in units of micrograd's: each process takes about as long

def time_alone(engine:str,  # 'micrograd', 'microgradnb' or 'compiled'
               n:int=100,   # number of moons points
               steps:int=5  # training steps, at least 2; the first is not counted
              ) -> dict:    # the times of the steps after the first, and the loss of every step
    "Train `engine` in micrograd's demo loop, in this process, from `moons_problem`'s start"
    if engine not in _LOOP: raise ValueError(f"engine must be one of {sorted(_LOOP)}, got {engine!r}")
    n, steps = _check_size(n, 'n'), _check_size(steps, 'steps', at_least=2)
    trainer, times, losses = _LOOP[engine](*moons_problem(n)), [], []
    gc.collect()
    for k in range(steps):
        start = time.perf_counter()
        losses.append(trainer.step(k))
        times.append(time.perf_counter() - start)
    return {'times': times[1:], 'losses': losses}

def _run_alone(engine, n, steps):
    "`time_alone(engine, n, steps)` run in a new Python process"
    code = f"import json; from bench.harness import time_alone; print(json.dumps(time_alone({engine!r}, {n}, {steps})))"
    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=_ROOT)
    if done.returncode == -signal.SIGINT: raise KeyboardInterrupt  # Ctrl-C reached the process before this one
    if done.returncode:
        raise RuntimeError(f"the process timing {engine} failed: {(done.stderr.strip().splitlines() or ['no message'])[-1]}")
    return json.loads(done.stdout.splitlines()[-1])

def time_in_own_processes(n:int=100,    # number of moons points
                          rounds:int=3, # processes per engine, the engines taking turns
                          steps:int=5   # training steps of a micrograd process, at least 2; the eager engine runs 5 times as many, the compiled 20
                         ) -> dict:     # per engine the median step time and the first losses; micrograd's ratio to microgradnb, overall and in each round
    "micrograd's demo loop timed in micrograd, in microgradnb and compiled by microgradnb, each engine in processes of its own"
    n, rounds, steps = _check_size(n, 'n'), _check_size(rounds, 'rounds'), _check_size(steps, 'steps', at_least=2)
    times, losses, per_round = {e: [] for e in _LOOP}, {}, []
    for r in range(rounds):
        medians = {}
        for engine in _LOOP:
            res = _run_alone(engine, n, _STEPS[engine] * steps)
            times[engine] += res['times']
            losses[engine], medians[engine] = res['losses'][:steps], statistics.median(res['times'])
        per_round.append(medians['micrograd'] / medians['microgradnb'])
    step = {e: statistics.median(ts) for e, ts in times.items()}
    return {'step': step, 'losses': losses, 'ratio': step['micrograd'] / step['microgradnb'], 'rounds': per_round}

def time_digits(engines=(MicrogradDigits, NBDigits), # DigitsTrainer classes
                rows:int=32,   # images in the batch
                rounds:int=3,  # turns each engine takes
                block:int=2    # steps per turn, at least 2: the first of each turn is not counted
               ) -> dict:      # per engine: median step time, loss and gradients
    "Median time of the digits step in each engine, the engines taking turns"
    engines = list(engines)
    if not engines: raise ValueError("engines must name at least one DigitsTrainer class, got none")
    bad = [E for E in engines if not (isinstance(E, type) and issubclass(E, DigitsTrainer))]
    if bad: raise TypeError(f"engines must be DigitsTrainer classes, got {bad[0]!r}")
    rounds, block = _check_size(rounds, 'rounds'), _check_size(block, 'block', at_least=2)
    trainers = [E(*digits_problem(rows)) for E in engines]
    times, losses = {t.name: [] for t in trainers}, {}
    for r in range(rounds):
        for t in trainers:
            gc.collect()
            for j in range(block):
                start = time.perf_counter()
                losses[t.name] = t.step()
                if j: times[t.name].append(time.perf_counter() - start)
    return {'step': {name: statistics.median(ts) for name, ts in times.items()}, 'losses': losses,
            'grads': {t.name: t.grads() for t in trainers}}

def product_sum_graph(V,                  # the engine's Value class
                      n_products:int,      # number of products; the graph has 2 * n_products - 1 interior nodes
                      n_leaves:int=1000,   # number of leaves
                      seed:int=0           # seed of the leaves' values and of the pairs
                     ) -> tuple:          # (leaves, root)
    "Products of random pairs of leaves, summed in a balanced binary tree, with `V`'s `*` and `+`"
    n_products, n_leaves = _check_size(n_products, 'n_products'), _check_size(n_leaves, 'n_leaves')
    rng = random.Random(seed)
    leaves = [V(rng.uniform(-1, 1)) for _ in range(n_leaves)]
    pairs = [(rng.randrange(n_leaves), rng.randrange(n_leaves)) for _ in range(n_products)]
    terms = [leaves[i] * leaves[j] for i, j in pairs]
    while len(terms) > 1:
        terms = [a + b for a, b in zip(terms[::2], terms[1::2])] + terms[len(terms) - len(terms) % 2:]
    return leaves, terms[0]

def graph_costs(V, n_products:int) -> dict:
    "Build time, memory and backward time per interior node of `product_sum_graph(V, n_products)`"
    nodes = 2 * _check_size(n_products, 'n_products') - 1
    gc.collect()
    start = time.perf_counter()
    leaves, root = product_sum_graph(V, n_products)
    build = time.perf_counter() - start
    del leaves, root
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        leaves, root = product_sum_graph(V, n_products)
        memory = tracemalloc.get_traced_memory()[0] - before
    finally: tracemalloc.stop()
    start = time.perf_counter()
    root.backward()
    back = time.perf_counter() - start
    return {'build': build / nodes, 'memory': memory / nodes, 'backward': back / nodes,
            'grads': [float(v.grad) for v in leaves]}

def chain(V, n:int):
    "A chain of `n` nodes: a leaf `x`, then `n - 1` additions of `x`; returns (x, output)"
    n = _check_size(n, 'n')
    x = V(0.5)
    y = x
    for _ in range(n - 1): y = y + x
    return x, y

def backward_at_default_limit(root):
    "`root.backward()` with Python's recursion limit at its default, 1,000"
    if not callable(getattr(root, 'backward', None)):
        raise TypeError(f"root must be a Value (an object with a backward method), got {type(root).__name__}: {root!r:.60}")
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try: root.backward()
    finally: sys.setrecursionlimit(limit)

def depth_costs(sizes=(10**4, 10**5, 10**6), # chain lengths
                repeats:int=5                 # timings per chain; the best is kept
               ) -> dict:                     # chain length -> backward time per node
    "microgradnb's backward time per node on chains of the given lengths, at the default recursion limit"
    sizes, repeats = [_check_size(n, f'sizes[{i}]') for i, n in enumerate(sizes)], _check_size(repeats, 'repeats')
    if not sizes: raise ValueError("sizes must hold at least one chain length, got none")
    costs = {}
    for n in sizes:
        x, out = chain(Value, n)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            backward_at_default_limit(out)
            times.append(time.perf_counter() - start)
        assert x.grad == repeats * n  # each pass adds n to the leaf
        costs[n] = min(times) / n
        del x, out
    return costs
