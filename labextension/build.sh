#!/usr/bin/env bash
# Build the gankit JupyterLab extension (Node only: tsc + @jupyter/builder) and pip-install it
# into a Python venv.
#
#   bash labextension/build.sh [VENV]      VENV defaults to <repo>/.venv
#   GANKIT_LABEXT_FORCE=1 bash labextension/build.sh   rebuild and reinstall regardless
#
# Idempotent: `npm ci` runs only when package-lock.json changed, the build only when a source,
# style, schema or config file changed, and pip only when that build is not yet in VENV.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${1:-$here/../.venv}
[ -x "$venv/bin/python" ] || { echo "labextension/build.sh: no Python venv at $venv" >&2; exit 1; }
venv=$(cd "$venv" && pwd)
cd "$here"
log() { printf '\033[1m[labextension]\033[0m %s\n' "$*" >&2; }
force=${GANKIT_LABEXT_FORCE:-0}

# The display contract is owned by the library (src/display/types.ts); keep our copy identical.
if [ -f ../src/display/types.ts ] && ! cmp -s ../src/display/types.ts src/contract.ts; then
  cp ../src/display/types.ts src/contract.ts
  log "updated src/contract.ts from src/display/types.ts"
fi

# 1. npm packages ---------------------------------------------------------------------------------
lock=$(sha256sum package-lock.json | cut -c1-16)
if [ "$force" = 1 ] || [ "$(cat node_modules/.gankit-lock 2>/dev/null)" != "$lock" ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock" > node_modules/.gankit-lock
fi

# 2. build ----------------------------------------------------------------------------------------
inputs=$( { find src style schema -type f; ls build.sh package.json package-lock.json .npmrc tsconfig.json webpack.config.js \
  pyproject.toml install.json README.md gankit_labextension/__init__.py; } | LC_ALL=C sort)
hash=$(sha256sum $inputs | sha256sum | cut -c1-16)
out=gankit_labextension/labextension
if [ "$force" = 1 ] || [ "$(cat node_modules/.gankit-build 2>/dev/null)" != "$hash" ] || [ ! -f "$out/package.json" ]; then
  log "building (tsc + @jupyter/builder, production)"
  rm -rf lib "$out" tsconfig.tsbuildinfo
  node node_modules/typescript/bin/tsc -b
  node node_modules/@jupyter/builder/lib/build-labextension.js \
    --core-package-file node_modules/@jupyterlab/core-meta/core.package.json . > node_modules/.gankit-build.log 2>&1 \
    || { cat node_modules/.gankit-build.log >&2; exit 1; }
  grep -E 'compiled' node_modules/.gankit-build.log | sed 's/^/  /' >&2 || true
  echo "$hash" > node_modules/.gankit-build
fi

# 3. install into the venv -------------------------------------------------------------------------
stamp="$venv/.gankit-labextension"
if [ "$force" = 1 ] || [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ] \
  || [ ! -f "$venv/share/jupyter/labextensions/gankit-labextension/package.json" ]; then
  "$venv/bin/python" -c 'import hatchling' 2>/dev/null \
    || { echo "labextension/build.sh: hatchling is missing in $venv (pip install hatchling)" >&2; exit 1; }
  log "pip-installing gankit_labextension into $venv"
  "$venv/bin/python" -m pip install --quiet --retries 0 --disable-pip-version-check --no-build-isolation \
    --no-deps --force-reinstall "$here" >&2
  if ! "$venv/bin/jupyter" labextension list 2>&1 | grep -E 'gankit-labextension v[^ ]+ .*enabled.*OK' >&2; then
    "$venv/bin/jupyter" labextension list >&2 || true
    echo "labextension/build.sh: gankit-labextension is not listed as enabled and OK" >&2
    exit 1
  fi
  echo "$hash" > "$stamp"
fi
