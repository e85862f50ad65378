#!/usr/bin/env bash
# Build gankit_tfgraph (addon/tfgraph): the Node-API binding to TensorFlow's graph C API that runs a
# GAN training step as one compiled graph. Offline: node-gyp from npm's own install, Node's installed
# headers, and the TF C library that scripts/build-native.sh extracted into .cache/libtensorflow (the
# one tfjs-node's binding links; the rpath makes both load the same file).
# Skips the build when the sources, the library and Node's version are unchanged and the addon loads.
# Exit status non-zero on failure (setup.sh then warns: training stays eager).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir="$root/addon/tfgraph"
out="$dir/build/Release/gankit_tfgraph.node"
stamp="$dir/build/.gankit-tfgraph"
lib="$root/.cache/libtensorflow"
log() { echo "[build-tfgraph] $*" >&2; }

[ -f "$lib/lib/libtensorflow_cc.so.2" ] && [ -f "$lib/include/tensorflow/c/c_api.h" ] \
  || { log "no TensorFlow C library in $lib (scripts/build-native.sh extracts it)"; exit 1; }
want=$( (cat "$dir/binding.gyp" "$dir"/src/*; ls -l "$lib/lib/libtensorflow_cc.so.2"; node -p 'process.version + process.arch') | sha256sum | cut -c1-16)
check="require('$out').version()"
if [ -f "$out" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] && node -e "$check" >/dev/null 2>&1; then
  log "gankit_tfgraph up to date: $out"
  exit 0
fi
gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || { log "node-gyp not found (it ships with npm)"; exit 1; }
# Use Node's own headers when they are installed (node-gyp would otherwise download them).
nodedir=$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)
gypargs=()
[ -f "$nodedir/include/node/node_api.h" ] && gypargs+=("--nodedir=$nodedir")
log "compiling gankit_tfgraph with node-gyp"
(cd "$dir" && node "$gyp" rebuild --silent --jobs=2 "${gypargs[@]}") >&2 || { log "gankit_tfgraph failed to compile"; exit 1; }
node -e "$check" >/dev/null 2>&1 || { log "the built gankit_tfgraph does not load"; exit 1; }
echo "$want" > "$stamp"
log "built $out (TensorFlow $(node -p "$check"))"
