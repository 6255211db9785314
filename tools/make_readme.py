"""Write README.md from nbs/index.ipynb, the landing page, so the two never drift apart.

nbdev's own `nbdev-readme` needs Quarto; this does the same job for this project's index: markdown cells as they are,
code cells as Python blocks, text outputs as plain blocks (pictures output by code are left to the docs site), links
to other pages made absolute with the documentation URL from pyproject.toml, and pictures that the index shows from
files in nbs/ (such as images/package_map.svg) pointed at those files from the top of the repository.
    python tools/make_readme.py           rewrite README.md
    python tools/make_readme.py --check   exit 1 if README.md is not what the index gives
"""
import json, re, sys
try: import tomllib
except ImportError: import tomli as tomllib  # Python 3.10
from pathlib import Path

root = Path(__file__).resolve().parent.parent

def _text(x): return ''.join(x) if isinstance(x, list) else x

def _output(o):
    "The text of an output cell, or None for pictures and other rich output"
    if o.get('output_type') == 'stream': return _text(o['text'])
    data = o.get('data', {})
    if 'image/svg+xml' in data or 'image/png' in data: return None
    return _text(data['text/plain']) if 'text/plain' in data else None

def readme(nb_path, doc_url):
    cells = json.loads(nb_path.read_text())['cells']
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

def main(check=False):
    "Write README.md from the index, or with `check` exit 1 if it is not what the index gives"
    proj = tomllib.loads((root/'pyproject.toml').read_text())['project']
    doc_url = proj['urls']['Documentation'].rstrip('/') + '/'
    new, path = readme(root/'nbs'/'index.ipynb', doc_url), root/'README.md'
    if check:
        if path.read_text() != new: sys.exit('README.md is out of step with nbs/index.ipynb: run python tools/make_readme.py')
        print('README.md matches nbs/index.ipynb')
    else: path.write_text(new); print('wrote', path.relative_to(root))

if __name__ == '__main__': main(check='--check' in sys.argv)
