#!/usr/bin/env bash
# Set up everything gankit needs, idempotently (quick when nothing changed):
#   1. Debian packages: chromium (browser tests), dataset-fashion-mnist (data), build tools, and a CJK
#      font with fontconfig (Chinese titles in PNG fallbacks and the browser; the zh tutorials)
#   2. the project-local Python venv (.venv) from requirements.txt: JupyterLab, nbclient, hatchling
#   3. npm packages from the lockfile (npm ci)
#   4. tfjs-node's native binding, built offline against the tensorflow-cpu wheel, and gankit's
#      optional native kernels (addon/; on failure a warning, the JavaScript fallback stays)
#   5. the gankit library (tsc -> dist/)
#   6. the JupyterLab extension, built and pip-installed into .venv
#   7. the "TypeScript (gankit)" kernelspec, installed into .venv
# Options: --no-apt skips step 1 (e.g. without root).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
log() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
sha() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }
apt=1
for a in "$@"; do case "$a" in --no-apt) apt=0 ;; *) echo "setup.sh: unknown option $a" >&2; exit 2 ;; esac; done

# 1. Debian packages ---------------------------------------------------------------------------
if [ "$apt" = 1 ]; then
  need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  [ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
  command -v g++ >/dev/null || need+=(g++)
  command -v make >/dev/null || need+=(make)
  # A CJK font (1.6 MB; any other one, e.g. fonts-noto-cjk, does as well) and fc-list, which gankit
  # uses to warn when Chinese text would be drawn into a PNG without one.
  command -v fc-list >/dev/null || need+=(fontconfig)
  [ -n "$(fc-list :lang=zh 2>/dev/null || true)" ] || need+=(fonts-wqy-microhei)
  if [ ${#need[@]} -gt 0 ]; then
    sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
    log "installing Debian packages: ${need[*]}"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
fi

# 2. Python venv ---------------------------------------------------------------------------------
want=$(sha requirements.txt)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.gankit-requirements 2>/dev/null)" != "$want" ]; then
  log "creating .venv from requirements.txt"
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --retries 0 --disable-pip-version-check -r requirements.txt \
    > .venv/pip.log 2>&1 || { cat .venv/pip.log >&2; exit 1; }
  echo "$want" > .venv/.gankit-requirements
fi
# The venv sits inside this "type": "module" package: without a package.json of its own, Node runs the
# CommonJS scripts JupyterLab ships (node-version-check.js for the build status, jupyter_builder's yarn.js)
# as ES modules, and they fail ("require is not defined in ES module scope", "Dynamic require of util").
[ -f .venv/package.json ] || echo '{ "type": "commonjs" }' > .venv/package.json

# 3. npm packages --------------------------------------------------------------------------------
want=$(sha package-lock.json)
if [ "$(cat node_modules/.gankit-lock 2>/dev/null)" != "$want" ]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$want" > node_modules/.gankit-lock
fi

# 4. native TensorFlow binding -------------------------------------------------------------------
PYTHON="$root/.venv/bin/python" bash scripts/build-native.sh
# gankit's optional C++ kernels (warps, resize, pixel loops); build-addon.sh skips unchanged sources itself.
if ! bash scripts/build-addon.sh; then
  log "warning: the native addon (addon/) did not build; EditImage uses its JavaScript kernels (same pixels, slower)"
fi
bash scripts/build-tfgraph.sh || log "warning: gankit_tfgraph (addon/tfgraph) did not build; GanTrainer trains eagerly (mode 'eager')"

# 5. the library ---------------------------------------------------------------------------------
if [ ! -f dist/.gankit-build ] || [ -n "$(find src package-lock.json tsconfig.json -type f -newer dist/.gankit-build | head -1)" ]; then
  log "compiling the gankit library (tsc)"
  npx --no-install tsc -p tsconfig.json
  touch dist/.gankit-build
fi

# 6. JupyterLab extension ------------------------------------------------------------------------
if [ -f labextension/build.sh ]; then bash labextension/build.sh "$root/.venv"; fi

# 7. kernelspec ----------------------------------------------------------------------------------
if [ -f kernel/install.sh ]; then bash kernel/install.sh "$root/.venv"; fi

log "ready: $(node dist/src/cli/main.js info 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(`backend ${r.backend} (${r.package} ${r.versions[r.package.replace("@tensorflow/","")]??""})`)})')"
