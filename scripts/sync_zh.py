"""Copy the English tutorials' code cells into their Chinese twins (notebooks/zh/, same file names).

  .venv/bin/python scripts/sync_zh.py [NAME ...]           copy the code over (default: every English tutorial)
  .venv/bin/python scripts/sync_zh.py --check [NAME ...]   change nothing; list what differs, exit 1 if anything does
  .venv/bin/python scripts/sync_zh.py --add-missing [NAME ...]
                                                           also insert English code cells the zh twin lacks (see below)
  --en DIR / --zh DIR                                      other folders than notebooks/ and notebooks/zh/ (tests)

A zh notebook has the code cells of its English twin, byte for byte and in the same order; only the
markdown is Chinese. After editing an English notebook's code, run this to carry the code over (and
write the zh markdown by hand where the English text changed). Code cells are paired by their order
among the code cells. When the counts differ (a code cell was added to or removed from the English
notebook), nothing is written for that notebook: the script exits 1 and lists both notebooks' code
cells by id (the zh cells keep the English cell ids), so that you can add or remove the zh cell, with
its Chinese explanation, first. With --add-missing, English code cells whose id is not in the zh
twin are inserted (after the zh twin of the cell before them), together with the English markdown
cells just before them, each marked 待翻译 (to translate) at the top; translate those, then remove the mark.

A zh notebook may leave out English code cells on purpose, listed by id in its metadata
(`"gankit": {"omitted_code_cells": [...]}`), e.g. a section that is being removed from the English
notebook. An entry whose cell is no longer in the English notebook is stale: --check reports it and a
plain run drops it.

Exit status: 0 in sync (or synced), 1 when a notebook differs (--check) or cannot be synced, 2 on bad
arguments.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
import tempfile
from pathlib import Path

import nbformat

from tutorials import NOTEBOOKS

OMITTED = "omitted_code_cells"


def code_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code"]


def describe(cells) -> str:
    """One line per code cell: position, id and first source line."""
    return "\n".join(f"    [{i}] {c.get('id', '?')}: {c.source.splitlines()[0] if c.source else ''}"[:110] for i, c in enumerate(cells))


def write_atomic(nb, path: Path) -> None:
    """Write `nb` next to `path` and rename it over `path` (no half-written notebook on a crash)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            nbformat.write(nb, f)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


UNTRANSLATED = "**（待翻译：英文原文如下。译好后删除此行。）**\n\n"


def add_missing(en, zh, omitted: list[str]) -> list[str]:
    """Insert into `zh` the English code cells (not omitted) whose id it lacks, each with the English
    markdown cells just before it that it lacks too (marked UNTRANSLATED); returns the inserted ids."""
    zh_ids = {c.get("id") for c in zh.cells}
    inserted: list[str] = []
    pending: list = []  # English markdown cells not in zh, since the last cell that is
    anchor = None       # id of the last English cell that has a zh twin
    for c in en.cells:
        cid = c.get("id")
        if cid in zh_ids:
            anchor, pending = cid, []
            continue
        if c.cell_type == "markdown":
            pending.append(c)
            continue
        if c.cell_type != "code" or cid in omitted:
            continue
        block = []
        for m in pending:
            m = copy.deepcopy(m)
            m.source = UNTRANSLATED + m.source
            block.append(m)
        code = copy.deepcopy(c)
        code.outputs = []
        code.execution_count = None
        block.append(code)
        at = 0 if anchor is None else next(i for i, z in enumerate(zh.cells) if z.get("id") == anchor) + 1
        zh.cells[at:at] = block
        inserted.extend(x.get("id") for x in block)
        zh_ids.update(x.get("id") for x in block)
        anchor, pending = cid, []
    return inserted


def sync_one(en_path: Path, zh_path: Path, check: bool, insert: bool = False) -> list[str]:
    """Sync (or check) one pair; returns the problems found (empty when in sync or synced)."""
    name = zh_path.name
    if not zh_path.is_file():
        return [f"{name}: no zh twin at {zh_path} (translate the English notebook first)"]
    en = nbformat.read(en_path, as_version=4)
    zh = nbformat.read(zh_path, as_version=4)
    en_code = code_cells(en)
    en_ids = {c.get("id") for c in en_code}
    meta = zh.metadata.get("gankit", {})
    omitted = list(meta.get(OMITTED, []))
    stale = [i for i in omitted if i not in en_ids]
    problems: list[str] = []
    changed = False
    if stale:
        if check:
            problems.append(f"{name}: metadata gankit.{OMITTED} lists {', '.join(stale)}, no longer code cells of the "
                            f"English notebook: run scripts/sync_zh.py to drop the stale entries")
        else:
            omitted = [i for i in omitted if i in en_ids]
            if omitted:
                meta[OMITTED] = omitted
            else:
                meta.pop(OMITTED, None)
            if meta:
                zh.metadata["gankit"] = meta
            else:
                zh.metadata.pop("gankit", None)
            print(f"zh/{name}: dropped stale gankit.{OMITTED} entries {', '.join(stale)}")
            changed = True
    source = [c for c in en_code if c.get("id") not in omitted]
    if insert and not check:
        added = add_missing(en, zh, omitted)
        if added:
            print(f"zh/{name}: inserted English cells {', '.join(map(str, added))} (markdown marked 待翻译: translate it)")
            changed = True
    target = code_cells(zh)
    if len(source) != len(target):
        en_only = [c.get("id") for c in source if c.get("id") not in {t.get("id") for t in target}]
        zh_only = [c.get("id") for c in target if c.get("id") not in {s.get("id") for s in source}]
        hint = []
        if en_only:
            hint.append(f"  English code cells without a zh twin (by id): {', '.join(map(str, en_only))}")
        if zh_only:
            hint.append(f"  zh code cells not in English (by id): {', '.join(map(str, zh_only))}")
        skipped = f" (leaving out {', '.join(omitted)} as the zh metadata says)" if omitted else ""
        return problems + [
            f"{name}: the English notebook has {len(source)} code cells{skipped}, zh/{name} has {len(target)}: "
            f"add or remove the zh code cells (with their Chinese explanations) by hand, or insert the missing "
            f"English ones with --add-missing, then run this again; "
            f"zh/{name} was not changed\n" + "\n".join(hint) +
            f"\n  English:\n{describe(source)}\n  zh:\n{describe(target)}"
        ]
    for i, (s, t) in enumerate(zip(source, target)):
        if s.source == t.source:
            continue
        if check:
            problems.append(f"zh/{name}: code cell {i} ({t.get('id')}) differs from the English cell {s.get('id')}")
        else:
            t.source = s.source
            t.outputs = []
            t.execution_count = None
            print(f"zh/{name}: code cell {i} ({t.get('id')}) updated from the English cell {s.get('id')}")
            changed = True
    if changed and not problems:
        write_atomic(zh, zh_path)
    return problems


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("names", nargs="*", help="notebook file names (default: every English tutorial)")
    p.add_argument("--check", action="store_true")
    p.add_argument("--add-missing", action="store_true")
    p.add_argument("--en", type=Path, default=NOTEBOOKS)
    p.add_argument("--zh", type=Path, default=NOTEBOOKS / "zh")
    args = p.parse_args(argv)
    if args.check and args.add_missing:
        print("sync_zh: --check changes nothing; leave out --add-missing", file=sys.stderr)
        return 2
    names = args.names or sorted(x.name for x in args.en.glob("*.ipynb"))
    missing = [n for n in names if not (args.en / n).is_file()]
    if missing or not names:
        print(f"sync_zh: no English notebook {', '.join(missing) or '*.ipynb'} in {args.en}", file=sys.stderr)
        return 2
    problems = [q for n in names for q in sync_one(args.en / n, args.zh / n, args.check, args.add_missing)]
    for q in problems:
        print(q)
    if not problems:
        print(f"sync_zh: {len(names)} zh notebooks {'in sync' if args.check else 'synced'} with the English code cells")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
