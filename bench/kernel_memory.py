"""Kernel memory for bench/kernel.ts --memory (run with the project's .venv python).

Usage: kernel_memory.py ROUNDS ROOT STEPS  ->  JSON on stdout
Starts the gankit kernel, stock tslab and ipykernel through jupyter_client (as JupyterLab does), in
interleaved rounds, and reads the resident memory (VmRSS, and the peak VmHWM, of the kernel process and
its children, from /proc) once idle after the first cell (gankit: import the library and report the
backend; others: 1 + 1). For gankit it then runs notebooks/03-training-a-dcgan.ipynb cell by cell with
GANKIT_NOTEBOOK_STEPS=STEPS (the notebook test's CI override) and reads the memory again.
"""
import json
import os
import sys
import tempfile
import time

import nbformat
from jupyter_client.manager import KernelManager

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kernel_start import FIRST_CELL, make_specs  # noqa: E402

ROUNDS = int(sys.argv[1])
ROOT = sys.argv[2]
STEPS = sys.argv[3]
SETTLE_S = 2.0


def tree(pid):
    """pid and all its descendants."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in os.listdir(f"/proc/{p}/task"):
            try:
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
            except OSError:
                pass
    return out


def memory_mb(pid):
    """(rss, peak rss) in MiB, summed over the process tree."""
    rss = hwm = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("VmHWM:"):
                        hwm += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, hwm / 1024


def execute(kc, code, timeout=900):
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=lambda m: None)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}\n{code[:300]}")


def run_once(ksm, which, notebook):
    name = "gankit" if which == "gankit" else f"bench-{which}"
    km = KernelManager(kernel_name=name, kernel_spec_manager=ksm)
    nb_dir = os.path.join(ROOT, "notebooks")
    km.start_kernel(cwd=nb_dir, env={**os.environ, "GANKIT_NOTEBOOK_STEPS": STEPS}, stdout=sys.stderr)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=300)
        execute(kc, FIRST_CELL[which])
        time.sleep(SETTLE_S)
        pid = km.provisioner.process.pid
        idle, _ = memory_mb(pid)
        res = {"idle": idle}
        if notebook:
            nb = nbformat.read(os.path.join(nb_dir, "03-training-a-dcgan.ipynb"), as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "code":
                    execute(kc, cell.source)
            time.sleep(SETTLE_S)
            res["after_nb3"], res["peak"] = memory_mb(pid)
        return res
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        ksm = make_specs(tmp)
        out = {"gankit": [], "tslab": [], "python": []}
        for r in range(ROUNDS):
            for which in ("gankit", "tslab", "python"):
                out[which].append(run_once(ksm, which, notebook=(which == "gankit")))
                print(f"[kernel_memory] round {r + 1} {which}: {out[which][-1]}", file=sys.stderr)
        json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
