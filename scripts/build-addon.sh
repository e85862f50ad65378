#!/usr/bin/env bash
# Build gankit's optional native kernels (addon/, Node-API only) with node-gyp, offline: node-gyp
# from npm's own install and --nodedir pointing at Node's installed headers, so nothing is
# downloaded. Output: addon/build/Release/gankit_addon.node (git-ignored). Stamp-based: does nothing
# when the sources, the build flags and Node's version are unchanged and the addon loads.
# Exit status non-zero on failure (setup.sh then warns and keeps the JavaScript fallback).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/addon"
out="$dir/build/Release/gankit_addon.node"
stamp="$dir/build/.gankit-addon"
log() { echo "[build-addon] $*" >&2; }

want=$( (cat "$dir/binding.gyp" "$dir"/src/*; node -p 'process.version + process.arch') | sha256sum | cut -c1-16)
if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && node -e "require('$out')" >/dev/null 2>&1; then
  log "addon up to date: $out"
  exit 0
fi

gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { log "node-gyp not found (it ships with npm)"; exit 1; }
# Use Node's own headers when they are installed (node-gyp would otherwise download them).
nodedir=$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)
gypargs=()
[ -f "$nodedir/include/node/node_api.h" ] && gypargs+=("--nodedir=$nodedir")
log "compiling the addon with node-gyp"
(cd "$dir" && node "$gyp" rebuild --silent --jobs=2 "${gypargs[@]}") >&2
node -e "require('$out')" >/dev/null 2>&1 || { log "the built addon does not load"; exit 1; }
echo "$want" > "$stamp"
log "built $out"
