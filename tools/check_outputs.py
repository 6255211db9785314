"""Check that the docs never lie: re-run every notebook and compare each code cell's outputs with the saved ones.

The docs site shows the outputs saved in the notebooks; nothing re-runs them when the site is built. This script
executes every notebook in `nbs/` (except those starting with `_` or `.`) in a fresh Jupyter kernel of the Python
running it (whatever other kernelspecs say 'python3' is), from the
`nbs/` folder as the docs and `nbdev-test` do, and compares each code cell's text outputs with the saved ones:
printed text, `text/plain`, `text/markdown`, `text/html`, and the text of SVG pictures (every label of a drawn
graph; the layout's coordinates depend on the Graphviz version). Memory addresses and timings are masked, and
cells whose first line is `#| timing` are run but not compared; `#| eval: false` cells are not run, as in nbdev.
The notebooks on disk are never modified.

    python tools/check_outputs.py              # every notebook; exit 1 on any difference or error
    python tools/check_outputs.py nbs/03_viz.ipynb ...   # only these
"""
import argparse, copy, difflib, html, os, re, shutil, sys, tempfile, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

root = Path(__file__).resolve().parent.parent
nbs_path = root/'nbs'
TEXT_TYPES = ('text/plain', 'text/markdown', 'text/html', 'text/latex')
IGNORED_DIRS = {'__pycache__', '.ipynb_checkpoints'}


def _rel(path):
    "`path` relative to the project, when it is inside it"
    try: return path.relative_to(root)
    except ValueError: return path


def _text(x): return ''.join(x) if isinstance(x, list) else (x or '')


def directives(source):
    "The `#| name` directives at the top of a cell, as a set of lines without `#|`"
    res = set()
    for line in source.splitlines():
        if not line.startswith('#|'): break
        res.add(' '.join(line[2:].split()))
    return res


def mask(text):
    "Text with the parts that change from run to run replaced by placeholders"
    text = re.sub(r'0x[0-9a-fA-F]{4,}', '0x…', text)                                     # object addresses
    text = re.sub(r'(\.py)#L\d+', r'\1#L…', text)  # show_doc's source links: the docs build redoes them
    text = re.sub(r'(?i)\b(?:wall time|cpu times)\b.*', '<timing>', text)              # %time
    text = re.sub(r'\d+(?:\.\d+)?\s?(?:ns|µs|us|ms|s|sec|seconds|min)\b(?:\s*±\s*\S+)?', '<time>', text)
    return text


def svg_text(svg):
    "What an SVG says, independent of its layout: the title and label of every element, in order"
    parts = re.findall(r'<(title|text)\b[^>]*>(.*?)</\1>', svg, re.S)
    words = [f'{tag}: {html.unescape(re.sub(r"<[^>]+>", "", body)).strip()}' for tag, body in parts]
    return '\n'.join(['<svg> ' + ('' if words else '(no text elements)')] + words)


def html_text(h):
    "HTML without styles and scripts, whitespace normalised"
    h = re.sub(r'(?is)<(style|script)\b.*?</\1>', '', h)
    return re.sub(r'\s+', ' ', h).strip()


def normalize(outputs):
    "The comparable text of a cell's outputs"
    res, last_stream = [], None
    for o in outputs:
        kind = o.get('output_type')
        if kind == 'stream':
            # Jupyter shows consecutive writes to one stream as one text; the kernel may cut it into several
            # outputs at any point (its flush timer can fire between print's two writes), so join them first
            name = o.get("name", "stdout")
            if last_stream == name: res[-1] += _text(o.get("text"))
            else: res.append(f'[{name}]\n{_text(o.get("text"))}')
            last_stream = name
            continue
        last_stream = None
        if kind == 'error': res.append(f'[error] {o.get("ename")}: {o.get("evalue")}')
        elif kind in ('execute_result', 'display_data'):
            data = o.get('data', {})
            for mime in sorted(data):
                val = _text(data[mime])
                if mime == 'image/svg+xml': res.append(f'[{mime}]\n{svg_text(val)}')
                elif mime == 'text/html': res.append(f'[{mime}]\n{html_text(val)}')
                elif mime in TEXT_TYPES or mime.endswith('json'): res.append(f'[{mime}]\n{val}')
                else: res.append(f'[{mime}] (present)')  # png and other binary pictures: presence only
    return mask('\n'.join(res)).splitlines()


def run_notebook(path):
    "Execute a copy of the notebook at `path`; return (saved notebook, executed notebook, error message or None)"
    import nbformat
    from nbclient import NotebookClient
    saved = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(saved)
    for cell in nb.cells:
        if cell.cell_type == 'code' and 'eval: false' in directives(cell.source): cell.source = ''
        if cell.cell_type == 'code': cell.outputs = []
    err = None
    try:
        NotebookClient(nb, timeout=900, kernel_name='python3', allow_errors=True,
                       resources={'metadata': {'path': str(path.parent)}}).execute()
    except Exception as e: err = f'{type(e).__name__}: {e}'
    return saved, nb, err


def compare(path, saved, ran):
    "Differences as (kind, text) pairs, and counts of cells compared and skipped"
    problems, compared, skipped = [], 0, 0
    rel = _rel(path)
    for i, (a, b) in enumerate(zip(saved.cells, ran.cells)):
        if a.cell_type != 'code': continue
        flags = directives(a.source)
        where = f'{rel} cell {i} (id {a.get("id", "?")})'
        errors = [o for o in b.outputs if o.get('output_type') == 'error']
        if errors:
            e = errors[0]
            problems.append(('error', f'{where} raised {e.get("ename")}: {e.get("evalue")}'))
        if 'timing' in flags or 'eval: false' in flags:
            skipped += 1
            continue
        compared += 1
        old, new = normalize(a.get('outputs', [])), normalize(b.outputs)
        if old != new:
            diff = difflib.unified_diff(old, new, f'{where}: saved', f'{where}: re-run', lineterm='', n=2)
            problems.append(('diff', '\n'.join(diff)))
    return problems, compared, skipped


def check(path):
    "Run and compare one notebook (in a worker process)"
    t = time.perf_counter()
    saved, ran, err = run_notebook(path)
    problems, compared, skipped = compare(path, saved, ran)
    if err: problems.append(('error', f'{_rel(path)} stopped: {err}'))
    return path, problems, compared, skipped, time.perf_counter() - t


def notebooks():
    return sorted(p for p in nbs_path.rglob('*.ipynb')
                  if not any(part[0] in '_.' for part in p.relative_to(nbs_path).parts))


def files_under(folder):
    return {p for p in folder.rglob('*') if not (IGNORED_DIRS & set(p.relative_to(folder).parts))}


def use_this_python():
    "Make the kernel name 'python3' mean this Python's ipykernel, whatever kernelspecs are installed elsewhere"
    from ipykernel.kernelspec import write_kernel_spec
    tmp = tempfile.mkdtemp(prefix='check_outputs_')
    write_kernel_spec(os.path.join(tmp, 'kernels', 'python3'))  # its argv starts with sys.executable
    os.environ['JUPYTER_PATH'] = os.pathsep.join(filter(None, [tmp, os.environ.get('JUPYTER_PATH')]))
    os.environ.pop('MPLBACKEND', None)  # the kernel shows plots inline, as Jupyter does, whatever backend the caller chose
    return tmp


def kernel_check():
    "The kernel 'python3' must be this Python's: run one cell and compare sys.prefix"
    import nbformat
    from nbclient import NotebookClient
    from jupyter_client.kernelspec import KernelSpecManager
    spec = KernelSpecManager().get_kernel_spec('python3')
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('import sys; print(sys.prefix)')])
    NotebookClient(nb, timeout=120, kernel_name='python3').execute()
    prefix = nb.cells[0].outputs[0]['text'].strip()
    print(f"kernel 'python3': {' '.join(spec.argv[:3])} ... (prefix {prefix})")
    if Path(prefix).resolve() != Path(sys.prefix).resolve():
        sys.exit(f"FAIL: the kernel 'python3' runs the Python in {prefix}, not this one ({sys.prefix}): "
                 f"install ipykernel here and remove the kernelspec in {spec.resource_dir}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('paths', nargs='*', type=Path, help='notebooks to check (default: all in nbs/)')
    ap.add_argument('--jobs', type=int, default=min(2, os.cpu_count() or 1), help='notebooks run at once')
    args = ap.parse_args()
    start = time.perf_counter()
    paths = [p.resolve() for p in args.paths] or notebooks()
    if not paths: sys.exit('FAIL: no notebooks found')
    spec_dir = use_this_python()
    try:
        kernel_check()
        before = files_under(nbs_path)
        with ProcessPoolExecutor(args.jobs) as pool: results = list(pool.map(check, paths))
    finally: shutil.rmtree(spec_dir, ignore_errors=True)
    left = sorted(str(p.relative_to(root)) for p in files_under(nbs_path) - before)

    n_diff = n_err = cells = skipped = 0
    for path, problems, compared, skip, secs in results:
        cells, skipped = cells + compared, skipped + skip
        status = 'ok' if not problems else f'{len(problems)} problem(s)'
        print(f'{_rel(path)}: {compared} cells compared, {skip} skipped, {secs:.1f}s: {status}')
        for kind, text in problems:
            n_diff, n_err = n_diff + (kind == 'diff'), n_err + (kind == 'error')
            print(text if kind == 'diff' else f'ERROR: {text}')
    if left: print('FAIL: running the notebooks left files behind in nbs/:\n    ' + '\n    '.join(left))
    print(f'{len(results)} notebooks, {cells} cells compared, {skipped} cells skipped, '
          f'{n_diff} cells differ, {n_err} errors, {time.perf_counter() - start:.0f}s')
    return 1 if n_diff or n_err or left else 0


if __name__ == '__main__': sys.exit(main())
