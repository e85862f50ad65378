#!/usr/bin/env bash
# Set up the benchmarks' references on a fresh machine:
# - the Debian packages bench/edit.ts's reference (bench/edit_ref.py, run by /usr/bin/python3) needs:
#   python3-torchvision (with python3-torch), python3-pil, python3-numpy, python3-skimage; installed
#   with apt-get only when one is missing (needs root or sudo);
# - the Python venv (.venv-bench) with the PyTorch CPU reference of bench/dcgan.ts.
# Idempotent: an existing venv is kept and pip leaves satisfied requirements alone
# (torch 2.13 CPU comes from the local wheel index; --retries 0 fails fast when offline).
# Env: PYTHON  interpreter to create the venv with (default python3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
venv="$root/.venv-bench"
log() { echo "[bench/setup] $*" >&2; }

debs=(python3-torchvision python3-pil python3-numpy python3-skimage)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages for bench/edit_ref.py: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c "import torch, torchvision, PIL, numpy, skimage; print('[bench/setup] edit reference: torchvision', torchvision.__version__, 'Pillow', PIL.__version__)" >&2

if [ ! -x "$venv/bin/python" ]; then
  log "creating $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --retries 0 -r "$root/bench/requirements.txt"
"$venv/bin/python" -c "import torch; print('[bench/setup] torch', torch.__version__, 'default threads', torch.get_num_threads())" >&2
