"""Kernel start-up timings for bench/kernel.ts (run with the project's .venv python).

Usage: kernel_start.py ROUNDS ROOT  ->  JSON on stdout
Starts, in interleaved rounds, three kernels through jupyter_client exactly as JupyterLab does:
  gankit  the installed "TypeScript (gankit)" kernelspec (tslab + the gankit library preloaded)
  tslab   stock tslab from node_modules (no gankit), the reference for what gankit adds
  python  ipykernel from the same venv, the reference a Jupyter user knows
For each start it records start -> ready (kernel_info answered), then the first cell's wall time
(gankit: import the library and report the backend; others: 1 + 1), then shuts the kernel down.
"""
import json
import os
import sys
import tempfile
import time

from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

ROUNDS = int(sys.argv[1])
ROOT = sys.argv[2]

FIRST_CELL = {
    "gankit": "import { initBackend } from 'gankit'\n(await initBackend()).backend",
    "tslab": "1 + 1",
    "python": "1 + 1",
}


def make_specs(tmp):
    """Kernelspecs for stock tslab and ipykernel in a temporary kernels dir (gankit's is installed)."""
    specs = {
        "tslab": {"argv": ["node", os.path.join(ROOT, "node_modules/tslab/bin/tslab"), "kernel", "--config-path", "{connection_file}"],
                  "display_name": "tslab", "language": "typescript"},
        "python": {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                   "display_name": "python", "language": "python"},
    }
    for name, spec in specs.items():
        d = os.path.join(tmp, "kernels", f"bench-{name}")
        os.makedirs(d)
        with open(os.path.join(d, "kernel.json"), "w") as f:
            json.dump(spec, f)
    ksm = KernelSpecManager()
    ksm.kernel_dirs = [os.path.join(tmp, "kernels")] + ksm.kernel_dirs
    return ksm


def run_once(ksm, which, cwd):
    name = "gankit" if which == "gankit" else f"bench-{which}"
    km = KernelManager(kernel_name=name, kernel_spec_manager=ksm)
    t0 = time.monotonic()
    km.start_kernel(cwd=cwd)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        ready = time.monotonic() - t0
        t1 = time.monotonic()
        reply = kc.execute_interactive(FIRST_CELL[which], timeout=120, output_hook=lambda m: None)
        first = time.monotonic() - t1
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{which}: first cell failed: {reply['content']}")
        return {"ready": ready, "first_cell": first}
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ksm = make_specs(tmp)
        cwd = tempfile.mkdtemp(dir=tmp)
        out = {k: [] for k in FIRST_CELL}
        order = list(FIRST_CELL)
        run_once(ksm, "gankit", cwd)  # warm the OS file cache once
        for r in range(ROUNDS):
            for which in (order if r % 2 == 0 else order[::-1]):
                out[which].append(run_once(ksm, which, cwd))
        print(json.dumps(out))


if __name__ == "__main__":
    main()
