#!/usr/bin/env bash
# Build gankit's optional native addon with node-gyp, offline: node-gyp from npm's own install and
# --nodedir pointing at Node's installed headers, so nothing is downloaded.
# addon/ -> addon/build/Release/gankit_addon.node (Node-API only, portable C++: warps, resize, pixel
# loops; git-ignored). Stamp-based: not rebuilt when its sources, the build flags and Node's version
# are unchanged and it loads. Exit status non-zero when it fails (setup.sh then warns and keeps the
# JavaScript kernels, which give the same bytes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log() { echo "[build-addon] $*" >&2; }

gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
# Use Node's own headers when they are installed (node-gyp would otherwise download them).
nodedir=$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)
gypargs=()
[ -f "$nodedir/include/node/node_api.h" ] && gypargs+=("--nodedir=$nodedir")

# build <dir> <name> <files hashed for the stamp...>: rebuild <dir>/build/Release/<name>.node unless up to date.
build() {
  local dir=$1 name=$2
  shift 2
  local out="$dir/build/Release/$name.node" stamp="$dir/build/.gankit-$name"
  local want
  want=$( (cat "$@"; node -p 'process.version + process.arch') | sha256sum | cut -c1-16)
  local check="require('$out')"
  if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && (cd "$root" && node -e "$check") >/dev/null 2>&1; then
    log "$name up to date: $out"
    return 0
  fi
  [ -f "$gyp" ] || { log "node-gyp not found (it ships with npm)"; return 1; }
  log "compiling $name with node-gyp"
  (cd "$dir" && node "$gyp" rebuild --silent --jobs=2 "${gypargs[@]}") >&2 || { log "$name failed to compile"; return 1; }
  (cd "$root" && node -e "$check") >/dev/null 2>&1 || { log "the built $name does not load"; return 1; }
  echo "$want" > "$stamp"
  log "built $out"
}

build "$root/addon" gankit_addon "$root/addon/binding.gyp" "$root"/addon/src/*
