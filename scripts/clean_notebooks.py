"""Store notebooks clean: no outputs, execution_count null, no execution metadata.

  .venv/bin/python scripts/clean_notebooks.py [NOTEBOOK ...]           clean in place (default: every tutorial, notebooks/*.ipynb and notebooks/zh/*.ipynb)
  .venv/bin/python scripts/clean_notebooks.py --check [NOTEBOOK ...]   list unclean notebooks, exit 1 if any

The tutorials are committed without outputs so that diffs show only what changed in the text and
code, and so that no stored output can go stale; CI executes them (scripts/run_notebooks.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from tutorials import all_tutorials
CELL_METADATA_DROPPED = ("execution", "collapsed", "scrolled")


def clean(nb) -> bool:
    """Strip outputs and run state from `nb` in place; True when something changed."""
    changed = False
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("outputs") or cell.get("execution_count") is not None:
            changed = True
        cell.outputs = []
        cell.execution_count = None
        for key in CELL_METADATA_DROPPED:
            if key in cell.metadata:
                del cell.metadata[key]
                changed = True
    for key in ("widgets", "papermill"):
        if key in nb.metadata:
            del nb.metadata[key]
            changed = True
    return changed


def main(argv: list[str]) -> int:
    check = "--check" in argv
    paths = [Path(a) for a in argv if a != "--check"] or all_tutorials()
    unclean = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if clean(nb):
            unclean.append(path)
            if not check:
                nbformat.write(nb, path)
    for path in unclean:
        print(f"{'not clean' if check else 'cleaned'}: {path}")
    return 1 if check and unclean else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
