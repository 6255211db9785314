"`python -m bench [--quick]`: run the benchmark and print its table (see bench/run.py)"
import sys

def _failed(message, status):
    "Print `python -m bench: error: message` on standard error, if there is one; return `status`"
    try: print(f"python -m bench: error: {message}", file=sys.stderr, flush=True)
    except (AttributeError, OSError, ValueError): pass  # no standard error to print on: the status alone says it
    return status

# Importing the benchmark imports microgradnb, which takes a tenth of a second: a Ctrl-C or a missing dependency
# then ends as the command's own errors do, in one line, before `main` can catch anything.
try: from bench.run import main
except KeyboardInterrupt: sys.exit(_failed('interrupted', 130))
except ImportError as e: sys.exit(_failed(f"{type(e).__name__}: {e}", 1))

sys.exit(main())
