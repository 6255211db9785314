"""The installed commands' entry points: `microgradnb-train` and `microgradnb-grad`.

Importing microgradnb takes a tenth of a second. A Ctrl-C in that time would end in Python's traceback if the
command's own module were the entry point, since nothing of the command runs before the import is done. This
module, which imports nothing of the package at load time, imports the command and reports a Ctrl-C during that
import as the commands report every interruption: one line, exit status 130.
"""
import sys


def _launch(prog, module, function):
    "Import `function` from `module` and run it as the command `prog`; its exit status"
    try:
        from importlib import import_module
        command = getattr(import_module(module), function)
    except KeyboardInterrupt:
        try: print(f"{prog}: error: interrupted", file=sys.stderr, flush=True)
        except (AttributeError, OSError, ValueError): pass  # no standard error to print on: the status alone says it
        return 130
    return command()


def train(): sys.exit(_launch('microgradnb-train', 'microgradnb.cli', 'train_cli'))
def grad(): sys.exit(_launch('microgradnb-grad', 'microgradnb.calc', 'grad_cli'))
