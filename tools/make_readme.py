"""Write README.md from nbs/index.ipynb, the landing page, so the two never drift apart.

nbdev's own `nbdev-readme` needs Quarto; this does the same job for this project's index: markdown cells as they are,
code cells as Python blocks, text outputs as plain blocks (pictures output by code are left to the docs site), links
to other pages made absolute with the documentation URL from pyproject.toml, and pictures that the index shows from
files in nbs/ (such as images/package_map.svg) pointed at those files from the top of the repository.
    python tools/make_readme.py           rewrite README.md
    python tools/make_readme.py --check   exit 1 if README.md is not what the index gives
A file that cannot be read or written is named in one line on standard error, exit status 1.
"""
import argparse, contextlib, json, re, sys
try: import tomllib
except ImportError: import tomli as tomllib  # Python 3.10
from pathlib import Path

root = Path(__file__).resolve().parent.parent

# What goes wrong is one line on standard error, never a traceback; tools/package_map.py uses these too.
def _rel(path):
    "`path` relative to the project, when it is inside it"
    try: return path.relative_to(root)
    except ValueError: return path

class FileProblem(Exception):
    "A file the tools cannot use: one line that names the file at `path` and says `what` is wrong"
    def __init__(self, path, what): super().__init__(f'{_rel(path)} {what}')

def _why(e):
    "What went wrong, in a few words and without a machine path"
    if isinstance(e, OSError): return e.strerror or type(e).__name__
    if isinstance(e, KeyError): return f'no {e}'
    if isinstance(e, SyntaxError) and e.lineno: return f'{e.msg}, line {e.lineno}'  # Python's, not XML's (no lineno)
    return str(e) or type(e).__name__

@contextlib.contextmanager
def blame(path, verb='read'):
    "Whatever goes wrong in the block becomes a FileProblem that names `path`: 'README.md cannot be read (...)'"
    try: yield
    except (OSError, ValueError, SyntaxError, LookupError, TypeError, AttributeError, RuntimeError) as e:
        raise FileProblem(path, f'cannot be {verb} ({_why(e)})') from None

def _text(x): return ''.join(x) if isinstance(x, list) else x

def _output(o):
    "The text of an output cell, or None for pictures and other rich output"
    if o.get('output_type') == 'stream': return _text(o['text'])
    data = o.get('data', {})
    if 'image/svg+xml' in data or 'image/png' in data: return None
    return _text(data['text/plain']) if 'text/plain' in data else None

def readme(nb_path, doc_url):
    "README.md's text from the notebook `nb_path`, with links to other pages made absolute with `doc_url`"
    with blame(nb_path): return _markdown(json.loads(nb_path.read_text())['cells'], doc_url)

def _markdown(cells, doc_url):
    "The markdown of a notebook's `cells`"
    parts = []
    for c in cells:
        src = _text(c['source']).strip()
        if src.startswith('#|'): continue  # directive cells (hidden, exported) are not shown
        if c['cell_type'] == 'markdown':
            src = re.sub(r'\]\((?!https?:|#)([\w-]+\.html)\)', lambda m: f']({doc_url}{m.group(1)})', src)
            parts.append(re.sub(r'(!\[[^\]]*\])\((?![a-z]+:|/)([^)]+)\)', lambda m: f'{m.group(1)}(nbs/{m.group(2)})', src))
        elif c['cell_type'] == 'code':
            parts.append(f'```python\n{src}\n```')
            outs = [t for t in map(_output, c.get('outputs', [])) if t]
            if outs: parts.append('```\n' + ''.join(outs).rstrip('\n') + '\n```')
    return '\n\n'.join(parts) + '\n'

class _Parser(argparse.ArgumentParser):
    "argparse whose usage errors are one line on standard error, exit status 2"
    def error(self, message): self.exit(2, f'{self.prog}: {message} (see {self.prog} --help)\n')

def check_option(doc):
    "Whether the command line asks for `--check`, the tools' only option; anything else is a usage error"
    p = _Parser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter, allow_abbrev=False)
    p.add_argument('--check', action='store_true', help='write nothing; exit 1 if the file is not up to date')
    return p.parse_args().check

def main(check=False):
    "Write README.md from the index, or with `check` exit 1 if it is not what the index gives"
    with blame(root/'pyproject.toml'):
        doc_url = tomllib.loads((root/'pyproject.toml').read_text())['project']['urls']['Documentation'].rstrip('/') + '/'
    new, path = readme(root/'nbs'/'index.ipynb', doc_url), root/'README.md'
    if check:
        if not path.exists(): sys.exit('README.md is missing: run python tools/make_readme.py')
        with blame(path): old = path.read_text()
        if old != new: sys.exit('README.md is out of step with nbs/index.ipynb: run python tools/make_readme.py')
        print('README.md matches nbs/index.ipynb')
    else:
        with blame(path, 'written'): path.write_text(new)
        print('wrote', path.relative_to(root))

if __name__ == '__main__':
    try: main(check_option(__doc__))
    except FileProblem as e: sys.exit(str(e))
