#!/usr/bin/env bash
# Create the benchmarks' Python venv (.venv-bench) with the PyTorch CPU reference of bench/dcgan.ts.
# Idempotent: an existing venv is kept and pip leaves satisfied requirements alone
# (torch 2.13 CPU comes from the local wheel index; --retries 0 fails fast when offline).
# Env: PYTHON  interpreter to create the venv with (default python3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv="$root/.venv-bench"
log() { echo "[bench/setup] $*" >&2; }

if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --retries 0 -r "$root/bench/requirements.txt"
"$venv/bin/python" -c "import torch; print('[bench/setup] torch', torch.__version__, 'default threads', torch.get_num_threads())" >&2
