#!/usr/bin/env bash
# Install everything microgradnb needs into ./.venv, then run the demo or the test suite.
#   bash tools/bootstrap.sh demo     installs the package with matplotlib, trains XOR, writes its pictures to xor_demo/
#   bash tools/bootstrap.sh test     installs the dev extra (PyTorch included) and runs every test
#   bash tools/bootstrap.sh install  only the installs of `test`
# For Debian and Ubuntu with Python >= 3.10; run from the repository's top folder.
# Optional: TORCH_INDEX=https://download.pytorch.org/whl/cpu takes PyTorch's much smaller CPU-only build from there;
# if that index cannot be reached, PyTorch comes from the default index instead.
set -euo pipefail
mode=${1:-}
case "$mode" in demo|test|install) ;; *) echo "usage: bash tools/bootstrap.sh demo|test|install" >&2; exit 2 ;; esac
cd "$(dirname "$0")/.."

sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
need_apt=()
command -v dot >/dev/null || need_apt+=(graphviz)
python3 -m venv --help >/dev/null 2>&1 && python3 -c "import ensurepip" 2>/dev/null || need_apt+=(python3-venv)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
. .venv/bin/activate

# pip_quiet ARGS...: pip install, showing its output (setuptools' notes on editable installs included) only if it fails
pip_quiet() {
  local log; log=$(mktemp)
  if ! python -m pip install -q "$@" >"$log" 2>&1; then cat "$log" >&2; rm -f "$log"; echo "pip install $* failed" >&2; exit 1; fi
  rm -f "$log"
}
pip_quiet --upgrade pip

if [ "$mode" = demo ]; then
  echo "== pip install -e \".[plot]\": the package, and matplotlib for its pictures"
  pip_quiet -e ".[plot]"
  echo "== microgradnb-train xor --out xor_demo"
  microgradnb-train xor --out xor_demo
else
  # PyTorch is the reference the tests compare gradients with: a large download, shown as it goes
  echo "== pip install torch==2.13.0: PyTorch, the tests' reference (a download of hundreds of MB; it may take minutes)"
  torch_ok=0
  if [ -n "${TORCH_INDEX:-}" ]; then
    echo "   from TORCH_INDEX=$TORCH_INDEX"
    python -m pip install --timeout 30 --retries 1 "torch==2.13.0" --index-url "$TORCH_INDEX" && torch_ok=1 \
      || echo "   TORCH_INDEX could not give torch==2.13.0: taking it from the default index instead"
  fi
  [ "$torch_ok" = 1 ] || python -m pip install "torch==2.13.0"
  echo "== pip install -e \".[dev]\": nbdev, pytest, micrograd and the rest of the test tools"
  pip_quiet -e ".[dev]"
  [ "$mode" = test ] || exit 0
  echo "== nbdev-test: every notebook, slow cells included (about five minutes on two cores; each notebook is named as it starts and ends)"
  nbdev-test --flags slow --do-print
  echo "== pytest --runslow: every test, slow ones included"
  rc=0; pytest -q --runslow || rc=$?
  if [ "$rc" -eq 5 ]; then echo "pytest collected no tests" >&2; exit 1; fi
  exit "$rc"
fi
