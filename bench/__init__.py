"""microgradnb's benchmark, kept beside the package and not installed with it.

`python -m bench [--quick]`, from the repository's top folder, measures microgradnb (its eager engine, and a step compiled
with `microgradnb.compile`) against micrograd 0.1.0 and PyTorch and prints one row per target. `bench.harness` holds the
problems, a trainer per engine and the timing loops; `bench.run` the targets, the table and the command line."""
