"""The benchmark: microgradnb measured against micrograd 0.1.0 and PyTorch, one row per target, in a table.

    python -m bench            # the full benchmark, from the repository's top folder; exit status 1 if a goal is missed
    python -m bench --quick    # small sizes and few steps: a smoke test, its goals not checked

The performance chapter (nbs/13_performance.ipynb) lists the targets and tells what each measurement means."""
__all__ = ['benchmark', 'format_table', 'main']

import math
from microgradnb.engine import Value
from microgradnb._checks import _check_size
# The package's command plumbing, a private helper: the benchmark is a tool of this repository, not a user of the
# package, and its command ends as the package's commands do (one line on stderr, an exit status, never a traceback).
from microgradnb._commands import command_error, run_command, _Parser, _UsageError
from bench.harness import (MicrogradTrainer, NBTrainer, MicrogradDigits, NBDigits, TorchScalarTrainer, micrograd_classes, check_torch,
                           time_moons, time_in_own_processes, time_digits, graph_costs, depth_costs, chain, backward_at_default_limit)

_PROG = 'python -m bench'

# The sizes a run can be given: (default, least, most, the size --quick runs, what it counts). Ten turns of ten steps
# are the demo's 100 steps, the most the library's loop is timed for; no part of a run at the most takes more than
# about six times as long as at the default.
_SIZES = {'rounds':       (4, 1, 10, 1, "turns each engine takes in the moons timing of the library's loop"),
          'block':        (4, 2, 10, 3, 'training steps per turn, the first of each not timed'),
          'digit_rounds': (3, 1, 10, 1, 'turns each engine takes in the digits timing (two steps each)'),
          'processes':    (3, 1, 10, 1, "processes each engine runs in micrograd's loop, the engines taking turns")}

def _option(name): return '--' + name.replace('_', '-')

def _check_sizes(quick,          # whether the run is quick, which runs its own sizes
                 sizes,          # the sizes given, a dict with a key for each of _SIZES, None for one not given
                 command=False   # name them as the command's options (--digit-rounds) rather than as arguments (digit_rounds)
                ) -> dict:       # the run's sizes, by name
    "The sizes of a run: those given, checked against `_SIZES`, and the defaults (or --quick's) for the rest"
    name = _option if command else (lambda k: k)
    given = {k: _check_size(v, name(k), at_least=_SIZES[k][1], at_most=_SIZES[k][2]) for k, v in sizes.items() if v is not None}
    if quick and given:
        q, names = '--quick' if command else 'quick=True', ', '.join(map(name, given))
        raise ValueError(f"{q} runs its own small sizes and takes no {names}: leave out {names}, or {q}")
    return {k: given.get(k, s[3] if quick else s[0]) for k, s in _SIZES.items()}

def benchmark(quick:bool=False,     # small sizes and few steps: a smoke test; it runs its own sizes, so give none of the four below
              rounds:int=None,       # turns each engine takes in the moons timing of the library's loop, 1 to 10 (default 4)
              block:int=None,        # training steps per turn, 2 to 10 (default 4)
              digit_rounds:int=None, # turns each engine takes in the digits timing (two steps each), 1 to 10 (default 3)
              processes:int=None     # processes each engine runs in micrograd's loop, the engines taking turns, 1 to 10 (default 3)
             ) -> list:              # rows of (what, measured, goal, met)
    "Measure microgradnb, eager and compiled, against micrograd and PyTorch; one row per target"
    rounds, block, digit_rounds, processes = _check_sizes(quick, dict(rounds=rounds, block=block, digit_rounds=digit_rounds,
                                                                      processes=processes)).values()
    MV, _ = micrograd_classes(); check_torch()  # fail early, with a clear message, if either is missing
    n, steps, products, batch, alone = (20, 6, 2000, 4, 2) if quick else (100, 100, 100_000, 32, 5)
    sizes = (10**3, 10**4) if quick else (10**4, 10**5, 10**6)
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

def _parser():
    "The command line of python -m bench"
    p = _Parser(prog=_PROG, description='Benchmark microgradnb against micrograd and PyTorch; print the table. Run it from '
                'the repository\'s top folder. Exit status 0 if every goal is met (or with --quick), 1 if one is missed or '
                'the run fails, 2 if an option is wrong or micrograd or PyTorch is missing, 130 if interrupted.')
    p.add_argument('--quick', action='store_true', help='a smoke test: small sizes and few steps, its own sizes '
                   f"({', '.join(f'{_option(k)} {s[3]}' for k, s in _SIZES.items())}), goals not checked; takes none of the options below")
    for name, (default, least, most, quick, what) in _SIZES.items():
        p.add_argument(_option(name), type=int, metavar='N', help=f'{what}, {least} to {most} (default {default})')
    return p

def _bench_command(argv):
    "The work of python -m bench with the arguments `argv`: read and check them, run the benchmark, print the table; the exit status"
    try: args = _parser().parse_args(argv)
    except _UsageError as e: return command_error(_PROG, e, 2)
    except SystemExit as e: return e.code  # after --help
    try: sizes = _check_sizes(args.quick, {name: getattr(args, name) for name in _SIZES}, command=True)
    except (TypeError, ValueError) as e: return command_error(_PROG, e, 2)
    try: rows = benchmark(args.quick, **({} if args.quick else sizes))
    except ModuleNotFoundError as e: return command_error(_PROG, e, 2)  # micrograd or PyTorch, with how to install it
    print(format_table(rows))
    if args.quick:
        print("quick mode: small sizes and few steps, a smoke test; the goals are not checked")
        return 0
    return 0 if all(met for *_, met in rows) else 1

def main(argv:list=None # the arguments, e.g. ['--quick'], each a str; None reads the command line
        ) -> int:       # exit status: 0 if every goal is met (or --quick), 1 if not or the run failed, 2 if an option is wrong or a competitor is missing, 130 if interrupted
    "`python -m bench [--quick]`: benchmark microgradnb against micrograd and PyTorch, print the table"
    if argv is not None and (isinstance(argv, (str, bytes)) or not isinstance(argv, (list, tuple)) or not all(isinstance(a, str) for a in argv)):
        raise TypeError(f"argv must be a list of arguments, each a str, e.g. ['--rounds', '2'], got {type(argv).__name__}: {argv!r:.60}")
    return run_command(_PROG, lambda: _bench_command(argv))
