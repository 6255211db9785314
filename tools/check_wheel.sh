#!/usr/bin/env bash
# Build the wheel, install it alone in a fresh virtual environment (no dev extra), and smoke-test it there:
# its dependencies must resolve (`pip check`) and importing it must not pull in development tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

had_build=$([ -e build ] && echo 1 || true)
python -m build --wheel --outdir "$tmp/dist" . >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
[ -n "$had_build" ] || rm -rf build  # setuptools' intermediate directory
wheel=$(ls "$tmp"/dist/*.whl)
echo "built $(basename "$wheel")"

# The wheel holds the package, the commands' entry module and its metadata only: no notebooks, tests or tools, and
# no benchmark (bench/ beside the package, and no module of the package that carries its trainers or timing loops).
python - "$wheel" <<'PY'
import re, sys, zipfile
wheel = zipfile.ZipFile(sys.argv[1])
names = wheel.namelist()
stray = [n for n in names if not n.startswith(('microgradnb/', 'microgradnb-')) and n != '_microgradnb_launch.py']
assert not stray, f'unexpected files in the wheel: {stray}'
bench = [n for n in names if re.search(r'(^|/)bench(mark)?(\.py|/)', n)
         or n.endswith('.py') and re.search(r'\b(MicrogradTrainer|TorchScalarTrainer|time_in_own_processes|def benchmark)\b', wheel.read(n).decode())]
assert not bench, f'benchmark code in the wheel: {bench}; the benchmark lives in bench/, beside the package'
assert 'microgradnb/_modidx.py' in names, 'microgradnb/_modidx.py is missing from the wheel'
assert '_microgradnb_launch.py' in names, "_microgradnb_launch.py, the commands' entry points, is missing from the wheel"
for data in ('microgradnb/data/digits.csv.gz', 'microgradnb/data/README.md'):  # the digits and their citation and license
    assert data in names, f'{data} is missing from the wheel'
print(f'{len(names)} files:', ' '.join(sorted(n for n in names if n.startswith('microgradnb/'))))
PY

python -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q "$wheel"
"$tmp/venv/bin/python" -m pip check
(cd "$tmp" && "$tmp/venv/bin/python" "$root/tools/wheel_smoke.py")  # away from the source tree
# the installed commands run from the wheel alone
out=$(cd "$tmp" && "$tmp/venv/bin/microgradnb-grad" "x*y" x=2 y=3)
[ "$out" = "$(printf 'x*y  = 6.0\nd/dx = 3.0\nd/dy = 2.0')" ] || { echo "microgradnb-grad from the wheel printed: $out" >&2; exit 1; }
echo "microgradnb-grad runs from the wheel"
