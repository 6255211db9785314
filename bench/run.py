"""The benchmark: microgradnb measured against micrograd 0.1.0 and PyTorch, one row per target, in a table.

    python -m bench            # the full benchmark, from the repository's top folder; exit status 1 if a goal is missed
    python -m bench --quick    # small sizes and few steps: a smoke test, its goals not checked

The performance chapter (nbs/13_performance.ipynb) lists the targets and tells what each measurement means."""
__all__ = ['benchmark', 'format_table', 'main']

import argparse, inspect, math, sys
from microgradnb.engine import Value
from microgradnb._checks import _check_size
from bench.harness import (MicrogradTrainer, NBTrainer, MicrogradDigits, NBDigits, TorchScalarTrainer, micrograd_classes, check_torch,
                           time_moons, time_in_own_processes, time_digits, graph_costs, depth_costs, chain, backward_at_default_limit)

def benchmark(quick:bool=False,   # small sizes and few steps: a smoke test
              rounds:int=4,        # turns each engine takes in the moons timing of the library's loop
              block:int=4,         # training steps per turn
              digit_rounds:int=3,  # turns each engine takes in the digits timing (two steps each)
              processes:int=3      # processes each engine runs in micrograd's loop, the engines taking turns
             ) -> list:            # rows of (what, measured, goal, met)
    "Measure microgradnb, eager and compiled, against micrograd and PyTorch; one row per target"
    rounds, block, digit_rounds = _check_size(rounds, 'rounds'), _check_size(block, 'block'), _check_size(digit_rounds, 'digit_rounds')
    processes = _check_size(processes, 'processes')
    MV, _ = micrograd_classes(); check_torch()  # fail early, with a clear message, if either is missing
    n, steps, products, batch, alone = (20, 6, 2000, 4, 2) if quick else (100, 100, 100_000, 32, 5)
    sizes = (10**3, 10**4) if quick else (10**4, 10**5, 10**6)
    if quick: rounds, block, digit_rounds, processes = 1, 3, 1, 1
    own = time_in_own_processes(n, processes, alone)
    mg = time_moons((MicrogradTrainer, NBTrainer), n, rounds, block, steps)
    dg = time_digits((MicrogradDigits, NBDigits), batch, digit_rounds)
    g_mg, g_nb = graph_costs(MV, products), graph_costs(Value, products)
    depth = depth_costs(sizes)
    x, out = chain(MV, 2000)
    try: backward_at_default_limit(out); mg_deep = 'works'
    except RecursionError: mg_deep = 'fails'
    del x, out
    th = time_moons((TorchScalarTrainer, NBTrainer), n, rounds, block, rounds * block)  # imports PyTorch
    o, s, t, d = own['step'], mg['step'], th['step'], dg['step']
    same = lambda a, b: all(math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-300) for u, v in zip(a, b))
    rows = [
        (f"moons step, micrograd's loop, each engine in its own process: micrograd {o['micrograd']*1e3:.0f} ms / microgradnb {o['microgradnb']*1e3:.1f} ms",
         own['ratio'], '>= 50', own['ratio'] >= 50),
        (f"  the same, the lowest and highest ratio of single processes: {min(own['rounds']):.0f} to {max(own['rounds']):.0f}",
         min(own['rounds']), 'shown', True),
        (f"moons step, compiled, the same processes: micrograd {o['micrograd']*1e3:.0f} ms / compiled {o['compiled']*1e3:.2f} ms",
         o['micrograd'] / o['compiled'], '>= 100', o['micrograd'] / o['compiled'] >= 100),
        (f"moons step, compiled, the same processes: eager microgradnb {o['microgradnb']*1e3:.1f} ms / compiled {o['compiled']*1e3:.2f} ms",
         o['microgradnb'] / o['compiled'], '>= 2', o['microgradnb'] / o['compiled'] >= 2),
        (f"moons step, the library's loop, one process: micrograd {s['micrograd']*1e3:.0f} ms / microgradnb {s['microgradnb']*1e3:.1f} ms",
         s['micrograd'] / s['microgradnb'], '>= 50', s['micrograd'] / s['microgradnb'] >= 50),
        (f"moons step: torch 0-d {t['torch 0-d']*1e3:.0f} ms / microgradnb {t['microgradnb']*1e3:.1f} ms",
         t['torch 0-d'] / t['microgradnb'], '>= 15', t['torch 0-d'] / t['microgradnb'] >= 15),
        (f"moons training accuracy after {steps} steps", mg['accuracy'], '== 1', mg['accuracy'] == 1.0),
        (f"digits step, {batch} images: micrograd {d['micrograd']*1e3:.0f} ms / microgradnb {d['microgradnb']*1e3:.1f} ms",
         d['micrograd'] / d['microgradnb'], '>= 100', d['micrograd'] / d['microgradnb'] >= 100),
        (f"build per node: {g_nb['build']*1e9:.0f} ns / micrograd {g_mg['build']*1e9:.0f} ns",
         g_nb['build'] / g_mg['build'], '<= 0.4', g_nb['build'] / g_mg['build'] <= 0.4),
        (f"memory per node: {g_nb['memory']:.0f} B / micrograd {g_mg['memory']:.0f} B",
         g_nb['memory'] / g_mg['memory'], '<= 0.4', g_nb['memory'] / g_mg['memory'] <= 0.4),
        (f"backward per node: {g_nb['backward']*1e9:.0f} ns / micrograd {g_mg['backward']*1e9:.0f} ns",
         g_nb['backward'] / g_mg['backward'], '<= 1', g_nb['backward'] / g_mg['backward'] <= 1),
    ]
    rows += [(f"backward per node, chain of {k:,} nodes (ns)", c * 1e9, 'works', True) for k, c in depth.items()]
    flat = max(depth.values()) / min(depth.values())
    same_losses = same(mg['losses']['micrograd'], mg['losses']['microgradnb'])
    same_bits = lambda a, b: list(map(float.hex, a)) == list(map(float.hex, b))
    compiled_bits = same_bits(own['losses']['microgradnb'], own['losses']['compiled'])
    same_digits = same(dg['grads']['micrograd'], dg['grads']['microgradnb']) and same([dg['losses']['micrograd']], [dg['losses']['microgradnb']])
    rows += [("backward per node, largest / smallest over the chains", flat, '<= 2', flat <= 2),
             ("same losses as micrograd in micrograd's loop, own processes (rel 1e-12)", float(same(own['losses']['micrograd'], own['losses']['microgradnb'])), '== 1',
              same(own['losses']['micrograd'], own['losses']['microgradnb'])),
             ("compiled: the same losses as the eager engine in micrograd's loop, bit for bit", float(compiled_bits), '== 1', compiled_bits),
             (f"micrograd on a chain of 2,000 nodes at the default recursion limit: {mg_deep}", float(mg_deep == 'fails'), 'fails', mg_deep == 'fails'),
             ("same losses as micrograd (rel 1e-12), every timed step", float(same_losses), '== 1', same_losses),
             ("same digits loss and gradients as micrograd (rel 1e-12)", float(same_digits), '== 1', same_digits),
             ("same gradients as micrograd on the large graph (rel 1e-12)", float(same(g_mg['grads'], g_nb['grads'])), '== 1', same(g_mg['grads'], g_nb['grads']))]
    return rows

def format_table(rows) -> str:
    "The rows of `benchmark` as a text table"
    if not isinstance(rows, (list, tuple)) or not all(isinstance(r, (list, tuple)) and len(r) == 4 for r in rows):
        raise TypeError(f"rows must be a list of (what, value, goal, met) tuples, as benchmark returns, got {type(rows).__name__}: {rows!r:.60}")
    width = max([len('measure')] + [len(str(r[0])) for r in rows])
    lines = [f"{'measure':<{width}} {'value':>10}  {'goal':<7} met"]
    lines += [f"{what:<{width}} {value:>10.3g}  {goal:<7} {'yes' if met else 'NO'}" for what, value, goal, met in rows]
    return '\n'.join(lines)

def main(argv=None # the command-line arguments (default: sys.argv[1:])
        ) -> int:  # exit status: 0 if every goal is met (or --quick), 1 if not, 2 if an option is wrong or a competitor is missing
    "`python -m bench [--quick]`: benchmark microgradnb against micrograd and PyTorch, print the table"
    parser = argparse.ArgumentParser(prog='python -m bench', description=main.__doc__)
    parser.add_argument('--quick', action='store_true', help='small sizes and few steps: a smoke test, goals not checked')
    sizes = dict(rounds="turns each engine takes in the moons timing of the library's loop", block='training steps per turn',
                 digit_rounds='turns each engine takes in the digits timing (two steps each)',
                 processes="processes each engine runs in micrograd's loop, the engines taking turns")
    defaults = {k: p.default for k, p in inspect.signature(benchmark).parameters.items()}
    for name, what in sizes.items():
        parser.add_argument('--' + name.replace('_', '-'), type=int, default=defaults[name], help=f'{what} (default {defaults[name]})')
    args = parser.parse_args(argv)
    for name in sizes:
        try: _check_size(getattr(args, name), '--' + name.replace('_', '-'))
        except ValueError as e: parser.error(str(e))
    try: rows = benchmark(args.quick, **{name: getattr(args, name) for name in sizes})
    except ModuleNotFoundError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 2
    print(format_table(rows))
    if args.quick:
        print("quick mode: small sizes and few steps, a smoke test; the goals are not checked")
        return 0
    return 0 if all(met for *_, met in rows) else 1
