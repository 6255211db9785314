"""Check the docs without Quarto: run nbdev's pre-render stage and verify what it produced.

`nbdev-docs` first processes every notebook into `_proc/` (running the `show_doc` cells), then asks Quarto
to render `_proc/` as a website. This script runs that first stage, exactly as `nbdev-docs` does, and
checks that every notebook became a page, that every public name the package exports is documented
on some page, and that the hand-written sidebar (`nbs/sidebar.yml`, in sections) lists every page exactly once. It exits non-zero and names what is missing if not.

    python tools/check_docs.py             # process and check
    python tools/check_docs.py --html DIR  # also write each processed page as HTML into DIR, to look at
"""
import importlib, argparse, ast, hashlib, json, re, runpy, subprocess, sys
from pathlib import Path

def git_state(root):
    "Changed and untracked (not ignored) files under `root`, each with a hash of its content; None outside git"
    try: out = subprocess.run(['git', 'status', '--porcelain', '--untracked-files=all', '-z'], cwd=root,
                              capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError): return None
    res, entries = {}, iter(out.split('\0'))
    for entry in entries:
        if not entry: continue
        if entry[0] in 'RC': next(entries, None)  # a rename or copy is followed by its source path
        f = Path(root)/entry[3:]
        res[entry[3:]] = (entry[:2], hashlib.sha1(f.read_bytes()).hexdigest() if f.is_file() else None)
    return res

def prerender(cfg):
    "nbdev's docs pre-render stage (what `nbdev-docs` does before calling Quarto); returns the `_proc` path"
    import nbdev.quarto, nbdev.doclinks, nbdev.serve
    nbdev.quarto.refresh_quarto_yml()                          # nbs/nbdev.yml (and nbs/_quarto.yml if absent)
    nbdev.doclinks._build_modidx()                             # <lib>/_modidx.py
    nbdev.quarto.nbdev_sidebar.__wrapped__(path=cfg.nbs_path)  # nbs/sidebar.yml
    return nbdev.serve.proc_nbs(cfg.nbs_path, force=True)      # _proc/, show_doc cells executed

def source_notebooks(nbs_path):
    "Notebooks nbdev turns into pages: those not starting with `_` or `.`, nor inside such folders"
    return sorted(p.relative_to(nbs_path) for p in nbs_path.rglob('*.ipynb')
                  if not any(part[0] in '_.' for part in p.relative_to(nbs_path).parts))

def sidebar_entries(nbs_path):
    "The notebooks listed in `nbs/sidebar.yml`, in order (the sidebar is written by hand: `custom_sidebar = true`)"
    import yaml
    f = nbs_path/'sidebar.yml'
    if not f.exists(): return None
    def walk(items):
        for it in items:
            if isinstance(it, str): yield it
            elif isinstance(it, dict) and 'contents' in it: yield from walk(it['contents'])
            elif isinstance(it, dict) and 'href' in it: yield it['href']
    return list(walk(yaml.safe_load(f.read_text(encoding='utf-8'))['website']['sidebar']['contents']))

def _text(o): return ''.join(o) if isinstance(o, list) else (o or '')

def doc_sections(page):
    "Titles of the `show_doc` sections in the processed notebook `page`"
    res = set()
    for cell in json.loads(page.read_text(encoding='utf-8'))['cells']:
        if cell['cell_type'] != 'code' or 'show_doc' not in _text(cell['source']): continue
        for out in cell.get('outputs', []):
            md = _text(out.get('data', {}).get('text/markdown'))
            res.update(t.strip().strip('`').replace('\\_', '_') for t in re.findall(r'^#{1,6}\s+(.+?)\s*$', md, re.M))
    return res

def module_all(lib_root, mod):
    "Names in `__all__` of module `mod` (dotted), read without importing it; None if it has no `__all__`"
    f = lib_root/Path(*mod.split('.')).with_suffix('.py')
    if not f.exists(): f = lib_root/Path(*mod.split('.'))/'__init__.py'
    if not f.exists(): return None
    for node in ast.parse(f.read_text(encoding='utf-8')).body:
        if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets):
            return set(ast.literal_eval(node.value))
    return None

def public_names(cfg):
    "Exported names the docs must show, from `_modidx.py`, as `(module, qualified name)`"
    d = runpy.run_path(str(cfg.lib_path/'_modidx.py'))['d']
    res = []
    for mod, syms in d['syms'].items():
        alls = module_all(cfg.lib_path.parent, mod)
        for sym in syms:
            qual = sym[len(mod)+1:]
            parts = qual.split('.')
            if any(p.startswith('_') for p in parts): continue            # private, and dunder methods
            owner = parts[0]
            defined_here = f'{mod}.{owner}' in syms
            if alls is not None and defined_here and owner not in alls: continue  # `#| exporti`
            res.append((mod, qual))
    return res

def documented_in_base(mod, qual, documented):
    "Is `qual`, a method `Cls.meth`, an override of a method documented on one of `Cls`'s base classes?"
    parts = qual.split('.')
    if len(parts) != 2: return False
    cls = getattr(importlib.import_module(mod), parts[0], None)
    return isinstance(cls, type) and any(parts[1] in vars(base) and f'{base.__name__}.{parts[1]}' in documented
                                         for base in cls.__mro__[1:])

def write_html(proc, pages, dest):
    "Convert each processed notebook to HTML in `dest`, as `jupyter nbconvert --to html` does"
    import nbformat
    from nbconvert import HTMLExporter
    exporter = HTMLExporter()
    for rel in pages:
        nb = nbformat.read(proc/rel, as_version=4)
        for cell in nb.cells: cell.metadata.pop('execution', None)  # nbdev's timings, which nbformat rejects
        html, _ = exporter.from_notebook_node(nb)
        out = (dest/rel).with_suffix('.html')
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding='utf-8')
        print(f'    {out}')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--html', metavar='DIR', type=Path, help='also convert the processed pages to HTML in DIR')
    args = ap.parse_args()

    import nbdev.config
    cfg = nbdev.config.get_config()
    before = git_state(cfg.config_path)
    try: proc = Path(prerender(cfg))
    except Exception as e:
        print(f'FAIL: processing the notebooks for the docs failed: {type(e).__name__}: {e}', file=sys.stderr)
        return 1

    failures = []
    nbs = source_notebooks(cfg.nbs_path)
    missing_pages = [str(rel) for rel in nbs if not (proc/rel).exists()]
    if missing_pages: failures.append(f"notebooks with no processed page in {proc.name}/: {', '.join(missing_pages)}")
    if not nbs: failures.append(f'no notebooks found in {cfg.nbs_path.name}/')

    listed = sidebar_entries(cfg.nbs_path)
    if listed is None: failures.append(f'{cfg.nbs_path.name}/sidebar.yml is missing: the sidebar is written by hand (custom_sidebar = true)')
    else:
        names_nb = [str(rel) for rel in nbs]
        unlisted = [n for n in names_nb if n not in listed]
        unknown = [n for n in listed if n not in names_nb]
        twice = sorted({n for n in listed if listed.count(n) > 1})
        for what, xs in (('pages missing from', unlisted), ('entries with no notebook in', unknown), ('pages listed twice in', twice)):
            if xs: failures.append(f"{what} {cfg.nbs_path.name}/sidebar.yml: {', '.join(xs)}")

    pages = sorted(rel.relative_to(proc) for rel in proc.rglob('*.ipynb'))
    sections = {rel: doc_sections(proc/rel) for rel in pages}
    documented = set().union(*sections.values())
    names = public_names(cfg)
    undocumented = [f'{mod}.{qual}' for mod, qual in names if qual not in documented and not documented_in_base(mod, qual, documented)]
    if undocumented:
        failures.append('exported public names with no show_doc section on any page (export them from a '
                        '`#| export` cell, or add `show_doc(Name.method)` after a class):\n    ' + '\n    '.join(undocumented))

    after = git_state(cfg.config_path)
    if before is not None and after != before:
        changed = sorted(f for f in set(after) | set(before) if after.get(f) != before.get(f))
        failures.append('the docs build changed the git tree (commit the regenerated files, or ignore them):\n    '
                        + '\n    '.join(changed))

    print(f'{len(pages)} processed pages in {proc.name}/ for {len(nbs)} notebooks:')
    for rel in pages: print(f'    {rel}: {len(sections[rel])} show_doc sections')
    print(f'{len(names) - len(undocumented)} of {len(names)} exported public names documented')
    if args.html:
        print('HTML pages:')
        write_html(proc, pages, args.html)
    for f in failures: print(f'FAIL: {f}', file=sys.stderr)
    if not failures: print('docs check passed')
    return 1 if failures else 0

if __name__ == '__main__': sys.exit(main())
