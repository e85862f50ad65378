"""Execute the tutorial notebooks headless on the gankit kernel and check their rich outputs.

Run with the project's venv:  .venv/bin/python scripts/run_notebooks.py [NOTEBOOK ...] [options]

  NOTEBOOK          .ipynb files to run (default: every tutorial, English notebooks/*.ipynb first, then
                    each translation, e.g. notebooks/zh/*.ipynb, in name order)
  --out DIR         write the executed copies there (default: test-artifacts/notebooks); the
                    committed notebooks are never written
  --steps N         set GANKIT_NOTEBOOK_STEPS=N (>= 2) for the kernel: training runs take N steps (CI)
  --timeout S       per-cell timeout in seconds (default 600)
  --json FILE       also write a JSON summary (per notebook: ok, error, wall time, output MIME types,
                    message counts) to FILE ('-' for stdout; the human-readable lines go to stderr then)

Each notebook runs in a fresh kernel with the notebook's own folder as its working directory, as in
JupyterLab (a translation folder such as notebooks/zh/ links data -> ../data). A notebook fails when
a cell errors (the cell number, its source and the error are printed) or when its outputs break the
display contract: it must show at least one gankit rich output (application/vnd.gankit.*.v1+json),
and every such output must carry an image/png fallback (a real PNG) and text/plain. Exit status 0
when every notebook passed, 1 otherwise, 2 on bad arguments.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from tutorials import ROOT, all_tutorials, label
GANKIT_MIME = re.compile(r"^application/vnd\.gankit\.[a-z]+\.v1\+json$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CountingClient(NotebookClient):
    """A NotebookClient that also counts the kernel's output messages per type and gankit MIME type."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.messages: Counter[str] = Counter()

    def process_message(self, msg, cell, cell_index):
        msg_type = msg["msg_type"]  # read first: nbclient renames update_display_data in place
        if msg_type in ("display_data", "update_display_data", "execute_result"):
            self.messages[msg_type] += 1
            for mime in msg["content"].get("data", {}):
                if GANKIT_MIME.match(mime):
                    self.messages[f"{msg_type} {mime}"] += 1
        return super().process_message(msg, cell, cell_index)


def check_outputs(nb) -> tuple[Counter[str], list[str]]:
    """MIME types of all outputs, and display-contract problems (an empty list when all is well)."""
    mimes: Counter[str] = Counter()
    problems: list[str] = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            mimes.update(data.keys())
            for mime in data:
                if not GANKIT_MIME.match(mime):
                    continue
                png = data.get("image/png")
                if not isinstance(png, str) or not base64.b64decode(png)[:8] == PNG_SIGNATURE:
                    problems.append(f"cell {index}: {mime} output without a valid image/png fallback")
                if not isinstance(data.get("text/plain"), str):
                    problems.append(f"cell {index}: {mime} output without text/plain")
    if not any(GANKIT_MIME.match(m) for m in mimes):
        problems.append("no gankit rich output (application/vnd.gankit.*.v1+json) in the notebook")
    return mimes, problems


def run_one(path: Path, out_dir: Path, timeout: int) -> dict:
    """Execute one notebook in a fresh gankit kernel; returns its summary (and writes the executed copy)."""
    nb = nbformat.read(path, as_version=4)
    client = CountingClient(nb, timeout=timeout, kernel_name="gankit", resources={"metadata": {"path": str(path.parent)}})
    result: dict = {"notebook": label(path), "ok": True}
    t = time.monotonic()
    try:
        client.execute()
    except CellExecutionError as e:
        failed = next((i for i, c in enumerate(nb.cells) if any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        result.update(ok=False, error={"cell": failed, "ename": e.ename, "evalue": e.evalue,
                                       "source": nb.cells[failed].source[:500] if failed is not None else None})
    except (CellTimeoutError, DeadKernelError, TimeoutError, RuntimeError) as e:
        result.update(ok=False, error={"cell": None, "ename": type(e).__name__, "evalue": str(e)[:1000], "source": None})
    result["seconds"] = round(time.monotonic() - t, 2)
    mimes, problems = check_outputs(nb)
    result["mimes"] = dict(sorted(mimes.items()))
    result["messages"] = dict(sorted(client.messages.items()))
    result["problems"] = problems
    if problems and result["ok"]:
        result["ok"] = False
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / label(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.resolve() == path.resolve():
        raise SystemExit(f"refusing to overwrite the committed notebook {path}")
    nbformat.write(nb, target)
    result["executed"] = str(target)
    result["bytes"] = target.stat().st_size
    return result


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("notebooks", nargs="*", type=Path)
    p.add_argument("--out", type=Path, default=ROOT / "test-artifacts" / "notebooks")
    p.add_argument("--steps", type=int)
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--json")
    args = p.parse_args(argv)
    paths = args.notebooks or all_tutorials()
    missing = [str(x) for x in paths if not x.is_file()]
    if missing or not paths:
        print(f"run_notebooks: no such notebook: {', '.join(missing) or 'notebooks/*.ipynb'}", file=sys.stderr)
        return 2
    if args.steps is not None:
        if args.steps < 2:  # notebook 3 stops halfway and resumes: it needs two steps at least
            print(f"run_notebooks: --steps must be an integer >= 2, got {args.steps}", file=sys.stderr)
            return 2
        os.environ["GANKIT_NOTEBOOK_STEPS"] = str(args.steps)
    log = sys.stderr if args.json == "-" else sys.stdout
    results = []
    t0 = time.monotonic()
    for path in paths:
        r = run_one(path.resolve(), args.out.resolve(), args.timeout)
        results.append(r)
        status = "ok" if r["ok"] else "FAILED"
        print(f"{r['notebook']}: {status} in {r['seconds']:.1f} s ({r['bytes']} bytes executed)", file=log)
        if "error" in r:
            e = r["error"]
            print(f"  cell {e['cell']}: {e['ename']}: {e['evalue']}", file=log)
            if e["source"]:
                print("  " + e["source"].replace("\n", "\n  "), file=log)
        for problem in r["problems"]:
            print(f"  {problem}", file=log)
    total = time.monotonic() - t0
    failed = [r["notebook"] for r in results if not r["ok"]]
    print(f"{len(results) - len(failed)}/{len(results)} notebooks passed in {total:.1f} s", file=log)
    if args.json:
        text = json.dumps({"ok": not failed, "seconds": round(total, 2), "notebooks": results}, indent=1)
        if args.json == "-":
            print(text)
        else:
            Path(args.json).write_text(text + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
