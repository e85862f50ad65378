#!/usr/bin/env bash
# Set everything up, then start JupyterLab on notebooks/ with the gankit kernel and extension.
#   bash scripts/lab.sh              open JupyterLab in a browser
#   bash scripts/lab.sh --headless   no browser; listen on 127.0.0.1 (or $GANKIT_LAB_IP), print the URL
# Extra arguments go to `jupyter lab` (e.g. --port=8899). As root (containers, CI) it passes
# --allow-root, which JupyterLab requires there, and says so.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
args=()
for a in "$@"; do
  case "$a" in
    --headless) args+=(--no-browser "--ip=${GANKIT_LAB_IP:-127.0.0.1}") ;;
    *) args+=("$a") ;;
  esac
done
bash scripts/setup.sh
if [ "$(id -u)" = 0 ]; then
  printf '\033[1m[lab]\033[0m running as root: passing --allow-root to JupyterLab\n' >&2
  args+=(--allow-root)
fi
export TF_CPP_MIN_LOG_LEVEL=2
exec .venv/bin/jupyter lab --notebook-dir="$root/notebooks" ${args[@]+"${args[@]}"}
