"""Running one of the repository's tools (tools/*.py) in a copied tree, as a command: its exit status and its one error line."""
import subprocess, sys


def run_tool(tree, tool, *args):
    "Run tools/`tool` of the copied `tree` with `args`; the finished process"
    return subprocess.run([sys.executable, str(tree/'tools'/tool), *args], capture_output=True, text=True)


def fails(tree, tool, args, status, start):
    "The tool exits with `status` and one line on standard error that starts with `start`; that line"
    r = run_tool(tree, tool, *args)
    assert (r.returncode, len(r.stderr.splitlines())) == (status, 1) and r.stderr.startswith(start), r.stderr
    return r.stderr
