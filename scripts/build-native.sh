#!/usr/bin/env bash
# Build @tensorflow/tfjs-node's native binding offline, against the TensorFlow C library
# shipped inside the `tensorflow-cpu` wheel (for machines where tfjs-node's prebuilt
# libtensorflow download is unreachable, e.g. behind a firewall).
#
# Only the two shared libraries and the C API headers are extracted from the wheel into
# .cache/libtensorflow; no TensorFlow Python install happens. Idempotent: does nothing when
# the binding already loads.
#
# Env: GANKIT_TF_WHEEL      path to a tensorflow-cpu wheel to use instead of `pip download`
#      GANKIT_TF_VERSION    tensorflow-cpu version to download (default 2.21.0)
#      PYTHON               python with pip (default .venv/bin/python, then python3)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tfnode="$root/node_modules/@tensorflow/tfjs-node"
napi=8
binding="$tfnode/lib/napi-v$napi/tfjs_binding.node"
log() { echo "[build-native] $*" >&2; }

if [ ! -f "$tfnode/binding.gyp" ]; then
  # npm drops an optional dependency whole when its install script fails; fetch the tarball
  # (no scripts run) and unpack it in place. Its runtime deps are already in the lockfile.
  log "tfjs-node missing from node_modules; unpacking it with npm pack"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "@tensorflow/tfjs-node@$(node -p "require('$root/package.json').optionalDependencies['@tensorflow/tfjs-node']")" >/dev/null)
  mkdir -p "$tfnode" && tar xzf "$tmp"/*.tgz -C "$tfnode" --strip-components=1 && rm -rf "$tmp"
fi

if [ -f "$binding" ] && node -e "require('$tfnode')" >/dev/null 2>&1; then
  log "native binding already loads: $binding"
  exit 0
fi

cache="$root/.cache/libtensorflow"
if [ ! -f "$cache/lib/libtensorflow_cc.so.2" ] || [ ! -f "$cache/include/tensorflow/c/c_api.h" ]; then
  wheel=${GANKIT_TF_WHEEL:-}
  if [ -z "$wheel" ]; then
    py=${PYTHON:-}
    [ -n "$py" ] || { [ -x "$root/.venv/bin/python" ] && py="$root/.venv/bin/python"; } || py=python3
    mkdir -p "$root/.cache/wheels"
    ver=${GANKIT_TF_VERSION:-2.21.0}
    wheel=$(ls "$root"/.cache/wheels/tensorflow_cpu-"$ver"-*.whl 2>/dev/null | head -1 || true)
    if [ -z "$wheel" ]; then
      log "downloading tensorflow-cpu==$ver wheel (no dependencies)"
      "$py" -m pip download --quiet --retries 0 --no-deps --only-binary=:all: \
        "tensorflow-cpu==$ver" -d "$root/.cache/wheels"
      wheel=$(ls "$root"/.cache/wheels/tensorflow_cpu-"$ver"-*.whl | head -1)
    fi
  fi
  log "extracting the C library and headers from $(basename "$wheel")"
  tmp=$(mktemp -d)
  "${PYTHON:-python3}" - "$wheel" "$tmp" <<'PY'
import sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
want = ("tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2")
with zipfile.ZipFile(wheel) as z:
    for n in z.namelist():
        # the C API headers and the few platform headers they include
        if n in want or n.startswith(("tensorflow/include/tensorflow/c/",
                                      "tensorflow/include/xla/tsl/c/",
                                      "tensorflow/include/tensorflow/core/platform/ctstring",
                                      "tensorflow/include/tsl/platform/ctstring")):
            z.extract(n, dest)
PY
  rm -rf "$cache" && mkdir -p "$cache/lib"
  mv "$tmp/tensorflow/libtensorflow_cc.so.2" "$tmp/tensorflow/libtensorflow_framework.so.2" "$cache/lib/"
  mv "$tmp/tensorflow/include" "$cache/include"
  rm -rf "$tmp"
fi

# tfjs-node's binding.gyp links -ltensorflow -ltensorflow_framework from deps/lib with an
# rpath of $ORIGIN/../../deps/lib; give the wheel's libraries those names and their sonames.
deps="$tfnode/deps"
rm -rf "$deps" && mkdir -p "$deps/lib"
ln -s "$cache/include" "$deps/include"
for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do ln -s "$cache/lib/$f" "$deps/lib/$f"; done
ln -s libtensorflow_cc.so.2 "$deps/lib/libtensorflow.so"
ln -s libtensorflow_framework.so.2 "$deps/lib/libtensorflow_framework.so"

gyp="$(npm root -g)/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$gyp" ] || gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
# Use Node's own headers when they are installed (node-gyp would otherwise download them).
nodedir=$(cd "$(dirname "$(readlink -f "$(command -v node)")")/.." && pwd)
gypargs=()
[ -f "$nodedir/include/node/node_api.h" ] && gypargs+=("--nodedir=$nodedir")
log "compiling the binding with node-gyp"
(cd "$tfnode" && node "$gyp" rebuild --silent --jobs=2 "${gypargs[@]}" \
  --module_name=tfjs_binding --module_path="$tfnode/lib/napi-v$napi" --napi_build_version=$napi) >&2
node -e "require('$tfnode')" >/dev/null 2>&1 || { log "the built binding does not load"; exit 1; }
log "built $binding"
