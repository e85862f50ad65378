#!/usr/bin/env bash
# Install the "TypeScript (gankit)" Jupyter kernelspec into a Python environment (idempotent):
#   bash kernel/install.sh <venv>     ->  <venv>/share/jupyter/kernels/gankit/{kernel.json,logo-*.png}
# kernel.json starts the launcher with absolute paths to node and to kernel/launcher.mjs, so the kernel
# does not depend on PATH or on the directory Jupyter starts it in. GANKIT_NODE=/path/to/node picks
# another Node.js (>= 20). The kernel loads the library from dist/: build it first (npm run build).
set -euo pipefail
venv=${1:?usage: kernel/install.sh <venv>}
[ -d "$venv" ] || { echo "install.sh: no such directory: $venv" >&2; exit 2; }
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
venv=$(cd "$venv" && pwd)
node_bin=${GANKIT_NODE:-$(command -v node || true)}
[ -n "$node_bin" ] || { echo "install.sh: node not found (set GANKIT_NODE)" >&2; exit 1; }
# The real, absolute path of the node binary (resolves nvm/asdf shims and symlinks).
node_bin=$("$node_bin" -p 'process.execPath')
major=$("$node_bin" -p 'process.versions.node.split(".")[0]')
[ "$major" -ge 20 ] || { echo "install.sh: Node.js >= 20 required, $node_bin is $("$node_bin" -v)" >&2; exit 1; }
dest="$venv/share/jupyter/kernels/gankit"
mkdir -p "$dest"
GK_NODE="$node_bin" GK_LAUNCHER="$here/launcher.mjs" GK_ROOT="$root" "$node_bin" -e '
  const spec = {
    argv: [process.env.GK_NODE, process.env.GK_LAUNCHER, "{connection_file}"],
    display_name: "TypeScript (gankit)",
    language: "typescript",
    interrupt_mode: "message",
    env: { TF_CPP_MIN_LOG_LEVEL: "2" },
    metadata: { debugger: false, gankit: { root: process.env.GK_ROOT } },
  };
  process.stdout.write(JSON.stringify(spec, null, 2) + "\n");
' > "$dest/kernel.json.tmp"
mv "$dest/kernel.json.tmp" "$dest/kernel.json"
install -m 644 "$here/logo-32x32.png" "$here/logo-64x64.png" "$dest/"
[ -f "$root/dist/src/index.js" ] || echo "install.sh: warning: $root/dist/src/index.js is missing; run npm run build" >&2
echo "installed kernelspec gankit -> $dest"
