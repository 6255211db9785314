"""Time one training step of micrograd's moons demo and of a digits-sized network (MLP 64-32-10, 32 rows, squared error
to one-hot) in micrograd 0.1.0, in microgradnb's eager engine and compiled with microgradnb.compile: each engine in its
own process, runs interleaved, micrograd's plain loop. Usage: python tools/bench_compile.py [runs]"""
import json, math, random, statistics, subprocess, sys, time, tracemalloc

def _problem(name):
    "The data: moons (100 points, labels ±1) or digits-sized (32 rows of 64 numbers, classes 0-9 as one-hot rows)"
    if name == 'moons':
        from microgradnb import make_moons
        X, y = make_moons(100, noise=0.1, seed=1)
        return [list(map(float, r)) for r in X], [2 * int(t) - 1 for t in y]
    rng = random.Random(0)
    labels = [rng.randrange(10) for _ in range(32)]
    X = [[rng.random() for _ in range(64)] for _ in range(32)]
    # the targets as one-hot rows of numbers, which the loss only does arithmetic with: compiled, they are Values, and a
    # test such as `j == t` on a Value would be decided once, at the trace
    return X, [[1.0 if j == t else 0.0 for j in range(10)] for t in labels]

def _loss(V, model, params, X, y, name):
    "micrograd's demo loss (hinge + 1e-4 L2) for moons; mean squared error to one-hot for digits; the same code for every engine"
    scores = [model(x) for x in X]
    if name == 'moons':
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum((p * p for p in params)), scores
    return sum((s - t)**2 for row, targets in zip(scores, y) for s, t in zip(row, targets)) * (1.0 / len(X)), scores

def _steps(engine, name, steps, passes=1):
    """ms per step of `steps` steps (after one untimed first step), and the first step's seconds and extra peak MB. With
    `passes` > 1 the weights go back to where the first step left them and the same steps run again, `passes` times in all:
    the same work, timed over a longer stretch, so that a moment's slowness of a shared machine weighs less"""
    X, y = _problem(name)
    sizes = (2, [16, 16, 1]) if name == 'moons' else (64, [32, 10])
    if engine == 'micrograd':
        from micrograd.engine import Value as V
        from micrograd.nn import MLP
        random.seed(1337); model = MLP(*sizes)
    else:
        from microgradnb import Value as V, MLP, compile
        model = MLP(*sizes, act='relu', seed=1337)
    params = model.parameters()
    if engine == 'compiled': step = compile(lambda X, y: _loss(V, model, params, X, y, name), params)
    def one(k):
        model.zero_grad()
        if engine == 'compiled': total, scores = step(X, y)
        else:
            Xv = [list(map(V, r)) for r in X]
            total, scores = _loss(V, model, params, Xv, y, name)
            total.backward()
        lr = 1.0 - 0.9 * k / 100
        for p in params: p.data -= lr * p.grad
    if steps == 0:  # the first call's extra peak memory, alone: tracemalloc slows everything down
        tracemalloc.start(); one(0)
        return dict(first_mb=tracemalloc.get_traced_memory()[1] / 1e6)
    t = time.perf_counter(); one(0); first = time.perf_counter() - t
    start = [p.data for p in params]
    elapsed = 0.0
    for _ in range(passes):
        for p, v in zip(params, start): p.data = v
        t = time.perf_counter()
        for k in range(1, steps + 1): one(k)
        elapsed += time.perf_counter() - t
    return dict(ms=elapsed / (steps * passes) * 1e3, first_s=first)

def main(runs=3):
    # micrograd's demo trains 100 steps (k = 0..99, lr = 1.0 - 0.9 k / 100): the other engines are timed over its steps
    # 1..99, where fewer and fewer examples send a gradient back; micrograd's step costs the same whatever the numbers
    # each engine is timed over a second or more: micrograd's 2 steps, eager's 99, compiled's 99 steps ten times
    plan = [('micrograd', 'moons', 2, 1), ('eager', 'moons', 99, 1), ('compiled', 'moons', 99, 10),
            ('micrograd', 'digits', 1, 1), ('eager', 'digits', 30, 1), ('compiled', 'digits', 30, 8)]
    res = {}
    for r in range(runs):
        for engine, name, steps, passes in plan:  # interleaved: each round runs every engine once
            out = subprocess.run([sys.executable, __file__, '--one', engine, name, str(steps), str(passes)], capture_output=True, text=True, check=True)
            res.setdefault((engine, name), []).append(json.loads(out.stdout))
    # the first call's extra peak memory, in processes of their own after the rounds (tracemalloc slows them down)
    mem = {name: json.loads(subprocess.run([sys.executable, __file__, '--one', 'compiled', name, '0'], capture_output=True,
                                           text=True, check=True).stdout)['first_mb'] for name in ('moons', 'digits')}
    for (engine, name), rs in res.items():
        ms = [r['ms'] for r in rs]
        print(f"{name:7s} {engine:10s} ms/step median {statistics.median(ms):9.3f}  min {min(ms):9.3f}  max {max(ms):9.3f}"
              + (f"  first call {statistics.median(r['first_s'] for r in rs):.3f} s (max {max(r['first_s'] for r in rs):.3f}), +{mem[name]:.0f} MB peak" if engine == 'compiled' else ''))
    for name in ('moons', 'digits'):
        mg = statistics.median(r['ms'] for r in res[('micrograd', name)])
        c = [mg / r['ms'] for r in res[('compiled', name)]]
        print(f"{name}: compiled is {statistics.median(c):.0f}x micrograd (runs: {', '.join(f'{x:.0f}' for x in sorted(c))})")
    for name in ('moons', 'digits'):
        e = statistics.median(r['ms'] for r in res[('eager', name)])
        print(f"{name}: compiled is {e / statistics.median(r['ms'] for r in res[('compiled', name)]):.1f}x eager")

USAGE = "usage: python tools/bench_compile.py [runs]   (runs: rounds of every engine, a whole number from 1 to 50; default 3)"

def _command(args):
    "Run the benchmark for the command line `args`; the exit status, with any error as one line on standard error"
    if args in (['-h'], ['--help']): print(USAGE); return 0
    if len(args) > 1 or args and not (args[0].isascii() and args[0].isdecimal() and 1 <= int(args[0]) <= 50):
        print(f"bench_compile: {' '.join(args)[:80]!r} is not a number of runs; {USAGE}", file=sys.stderr); return 2
    try: main(int(args[0]) if args else 3)
    except KeyboardInterrupt: print("bench_compile: interrupted", file=sys.stderr); return 130
    except subprocess.CalledProcessError as e:  # an engine's process failed (micrograd not installed, say): its last line
        last = (e.stderr or '').strip().splitlines()[-1:] or ['no message']
        print(f"bench_compile: the run of {' '.join(e.cmd[3:6])} failed: {last[0][:200]}", file=sys.stderr); return 1
    return 0

if __name__ == '__main__':
    if sys.argv[1:2] == ['--one']: print(json.dumps(_steps(sys.argv[2], sys.argv[3], *map(int, sys.argv[4:]))))
    else: sys.exit(_command(sys.argv[1:]))
